"""The efficacy page and the casebook's response notes: what they show, in both languages, and
that they answer in the same number of queries for few and many assessments."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest
from django.urls import reverse
from django.utils import translation

from edc.roles import Role
from followup.domain import response as rules
from followup.efficacy import DEFINITIONS
from followup.efficacy_labels import CRITERION_LABELS, DEFINITION_LABELS, INPUT_LABELS
from tests.edc.factories import SubjectFactory, UserFactory
from tests.followup.efficacy_journeys import BASELINE_ON, DAY0, on_day, sledai
from tests.queries import query_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def lupus(site_a, stratum, actor):
    subject = SubjectFactory(study_site=site_a, stratum=stratum, day0_date=DAY0)
    sledai(subject, "SCR", BASELINE_ON, actor, "arthritis", "proteinuria", pga="2")
    return subject


@pytest.fixture
def investigator(client, site_a, member):
    client.force_login(member(Role.INVESTIGATOR, study_site=site_a))
    return client


def _page(subject) -> str:
    return reverse("followup:efficacy", args=[subject.study.registry_id, subject.pk])


def _casebook(subject) -> str:
    return reverse("edc:subject-detail", args=[subject.study.registry_id, subject.pk])


def test_the_page_shows_each_definition_with_its_result_and_evidence(investigator, lupus, actor):
    sledai(lupus, "D7", on_day(7), actor, "low_complement", pga="0.3")
    html = investigator.get(_page(lupus)).content.decode()
    assert 'data-definition="doris_remission" data-result="met"' in html
    assert "PGA 0.3, must be &lt; 0.5" in html


def test_the_page_names_a_missing_input(investigator, lupus, actor):
    sledai(lupus, "D7", on_day(7), actor, pga=None)
    html = investigator.get(_page(lupus)).content.decode()
    assert "physician global assessment (PGA) at the visit" in html


def test_the_page_reads_chinese(investigator, lupus, actor):
    sledai(lupus, "D7", on_day(7), actor, "low_complement", pga="0.3")
    investigator.cookies["django_language"] = "zh-hans"
    with translation.override("zh-hans"):
        expected = str(DEFINITION_LABELS["doris_remission"])
    assert expected != "DORIS remission"
    assert (
        expected in investigator.get(_page(lupus), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    )


def test_the_chart_plots_the_score_from_baseline_with_remission_points_green(
    investigator, lupus, actor
):
    sledai(lupus, "D7", on_day(7), actor, "low_complement", pga="0.3")
    chart = investigator.get(_page(lupus)).context["chart"]
    dataset = chart["data"]["datasets"][0]
    assert dataset["data"] == [8.0, 2.0]
    assert dataset["pointBackgroundColor"] == ["#6c757d", "#198754"]


def test_the_casebook_shows_the_response_met_at_its_visit(investigator, lupus, actor):
    sledai(lupus, "D7", on_day(7), actor, "low_complement", pga="0.3")
    grid = investigator.get(_casebook(lupus)).context["grid"]
    notes = {row.visit_code: [n.text for n in row.notes] for row in grid}
    assert notes["D7"] == ["DORIS remission: met", "Drug-free remission: met"]
    assert notes["SCR"] == []


def test_a_sponsor_sees_the_page_without_personal_data(client, member, lupus, actor):
    sledai(lupus, "D7", on_day(7), actor, "low_complement", pga="0.3")
    client.force_login(member(Role.SPONSOR))
    response = client.get(_page(lupus))
    assert response.status_code == 200
    assert 'data-testid="personal-initials"' not in response.content.decode()


def _more_visits(subject, actor):
    made = []

    def add(n):
        for _ in range(n):
            day = 30 + 10 * len(made)
            made.append(day)
            sledai(subject, f"V{day}", DAY0 + dt.timedelta(days=day), actor, pga="0.3")

    return add


def test_the_page_runs_the_same_queries_for_few_and_many_assessments(investigator, lupus, actor):
    counts = query_counts(investigator, _page(lupus), _more_visits(lupus, actor))
    assert counts[0] == counts[1]


def test_the_casebook_runs_the_same_queries_for_few_and_many_assessments(
    investigator, lupus, actor
):
    counts = query_counts(investigator, _casebook(lupus), _more_visits(lupus, actor))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("definition", sorted({d for ds in DEFINITIONS.values() for d in ds}))
def test_every_code_a_rule_returns_has_words(definition):
    rule = getattr(rules, definition)
    result = rule(**dict.fromkeys(inspect.signature(rule).parameters))
    assert definition in DEFINITION_LABELS
    assert {c.code for c in result.criteria} <= set(CRITERION_LABELS)
    assert set(result.missing) <= set(INPUT_LABELS)


def test_the_page_shows_each_visits_score_change_from_baseline(investigator, lupus, actor):
    sledai(lupus, "D7", on_day(7), actor, "low_complement", pga="0.3")
    html = investigator.get(_page(lupus)).content.decode()
    assert "SLEDAI-2K total 8 → 2 (change -6, -75 %)" in html
