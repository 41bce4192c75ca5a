"""Pregnancy reports: exposure derived from Day 0 and the protocol's contraception window, an open
pregnancy on the site team's task list until its outcome is entered, and the contraception window
on the casebook."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from adverse_events.models import PregnancyReport
from edc.crfs import crf_spec
from edc.models import Membership, UserPreference
from edc.roles import Role
from edc.services.crfs import crf_create, crf_update
from edc.tasks_inbox import task_count
from tests.adverse_events.journeys import DAY0, infused_subject
from tests.edc.factories import UserFactory
from tests.queries import query_counts

pytestmark = pytest.mark.django_db

REPORT = {
    "who": "partner",
    "lmp_date": DAY0 + dt.timedelta(days=50),
    "conception_date": None,
    "site_aware_at": dt.datetime.combine(DAY0 + dt.timedelta(days=90), dt.time(9), tzinfo=dt.UTC),
    "reported_on": None,
}
OUTCOME = {
    "outcome": "spontaneous_abortion",
    "outcome_date": DAY0 + dt.timedelta(days=120),
    "congenital_anomaly": False,
}


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def subject(actor):
    return infused_subject(actor)


@pytest.fixture
def investigator(subject):
    user = UserFactory()
    Membership.objects.create(
        user=user, study=subject.study, study_site=subject.study_site, role=Role.INVESTIGATOR
    )
    return user


def _report(subject, actor, **changes):
    return crf_create(
        spec=crf_spec("pregnancy_report"),
        subject=subject,
        visit_code="M3",
        data={**REPORT, **changes},
        actor=actor,
    )


def _enter_outcome(report, actor, **outcome):
    report = PregnancyReport.objects.get(pk=report.pk)
    return crf_update(
        report,
        spec=crf_spec("pregnancy_report"),
        data=outcome or OUTCOME,
        reason="Outcome of the pregnancy",
        expected_version=report.row_version,
        actor=actor,
    )


def test_a_conception_inside_the_ct1192_year_is_within_the_contraception_window(subject, actor):
    report = _report(subject, actor)
    assert report.estimated_conception == DAY0 + dt.timedelta(days=64)
    assert report.exposure == "within_window"


def test_an_open_pregnancy_is_a_task_for_the_site_investigator_until_its_outcome(
    subject, actor, investigator
):
    report = _report(subject, actor)
    assert task_count(investigator) == 1
    _enter_outcome(report, actor)
    assert task_count(investigator) == 0


def test_an_open_pregnancy_is_no_task_for_a_monitor(subject, actor):
    monitor = UserFactory()
    Membership.objects.create(
        user=monitor, study=subject.study, study_site=subject.study_site, role=Role.MONITOR
    )
    _report(subject, actor)
    assert task_count(monitor) == 0


def test_an_outcome_needs_its_date_and_the_anomaly_answer(subject, actor):
    report = _report(subject, actor)
    with pytest.raises(ValidationError) as info:
        _enter_outcome(report, actor, outcome="stillbirth")
    assert {"outcome_date", "congenital_anomaly"} <= set(info.value.message_dict)
    assert PregnancyReport.objects.get(pk=report.pk).outcome == "ongoing"


def test_my_tasks_lists_open_pregnancies_in_the_same_queries_for_few_and_many(
    client, subject, actor, investigator
):
    client.force_login(investigator)

    def add(n):
        for _ in range(n):
            _report(subject, actor)

    counts = query_counts(client, reverse("edc:my-tasks"), add)
    assert counts[0] == counts[1]
    page = client.get(reverse("edc:my-tasks")).content.decode()
    assert page.count("enter the pregnancy outcome") == 9


def test_the_casebook_shows_the_ct1192_contraception_window_in_both_languages(
    client, subject, investigator
):
    url = reverse("edc:subject-detail", args=[subject.study.registry_id, subject.pk])
    client.force_login(investigator)
    assert "Contraception required until 2027-05-06 (1 year after infusion)" in (
        client.get(url).content.decode()
    )
    UserPreference.objects.create(user=investigator, language="zh-hans")
    assert "需避孕至2027-05-06（回输后1年）" in client.get(url).content.decode()
