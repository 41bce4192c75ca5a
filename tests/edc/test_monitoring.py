"""The Monitoring page: key risk indicators per site against the whole study, the sites that
stand out with the reason, the critical data's SDV, in a constant number of queries."""

import datetime as dt

import pytest
from django.urls import reverse

from edc.audit import audited_create
from edc.data_queries import Query
from edc.domain.risk_indicators import Measure
from edc.models import UserPreference
from edc.monitoring import open_query_age, sdv_backlog
from edc.roles import Role
from edc.selectors import protocol_definition
from tests.adverse_events.factories import AdverseEventFactory
from tests.edc.factories import SubjectFactory, UserFactory
from tests.edc.monitoring_scope import scope_of
from tests.edc.review_journeys import vitals
from tests.followup.factories import DeviatingVisitFactory
from tests.queries import query_counts

pytestmark = pytest.mark.django_db

DAY0 = dt.date(2026, 4, 1)


def _treated(site, stratum, n):
    return [SubjectFactory(study_site=site, stratum=stratum, day0_date=DAY0) for _ in range(n)]


@pytest.fixture
def ae_heavy_site_a(site_a, site_b, stratum):
    """Site 01: 2 treated subjects, 6 AEs (3.00 each); site 02: 4 treated subjects, 2 AEs
    (0.50 each); the study: 8 AEs over 6 subjects (1.33), so site 01 is 2.25 times the study."""
    a, b = _treated(site_a, stratum, 2), _treated(site_b, stratum, 4)
    for subject in (a[0], a[0], a[0], a[1], a[1], a[1], b[0], b[1]):
        AdverseEventFactory(subject=subject)
    return a, b


def _page(client, member, study, role, study_site=None):
    client.force_login(member(role, study_site=study_site))
    return client.get(reverse("edc:monitoring", args=[study.registry_id]))


def _row(response, label):
    return next(r for r in response.context["rows"] if r.label == label)


def test_a_site_with_many_adverse_events_stands_out_with_the_numbers(
    client, member, study, ae_heavy_site_a
):
    response = _page(client, member, study, Role.DATA_MANAGER)
    row = _row(response, "Adverse events per treated subject")
    assert row.study == "1.33"
    assert [c.text for c in row.cells] == ["3.00", "0.50"]
    assert [c.finding.stands_out for c in row.cells] == [True, False]
    flags = [(f.indicator, f.reason) for f in response.context["page"]]
    assert (
        "Adverse events per treated subject",
        "3.00 against 1.33 for the whole study (6 adverse events): above 1.5 times the study's "
        "value, with at least 3.",
    ) in flags


def test_the_site_flagged_on_adverse_events_is_flagged_on_nothing_else(
    client, member, study, ae_heavy_site_a
):
    response = _page(client, member, study, Role.DATA_MANAGER)
    assert [f.indicator for f in response.context["page"]] == ["Adverse events per treated subject"]


def test_a_principal_investigator_sees_their_site_against_the_whole_study(
    client, member, study, site_a, ae_heavy_site_a
):
    response = _page(client, member, study, Role.PRINCIPAL_INVESTIGATOR, study_site=site_a)
    row = _row(response, "Adverse events per treated subject")
    assert (row.study, [c.text for c in row.cells]) == ("1.33", ["3.00"])


def test_the_reason_reads_chinese(client, member, study, ae_heavy_site_a):
    user = member(Role.DATA_MANAGER)
    UserPreference.objects.create(user=user, language="zh-hans")
    client.force_login(user)
    response = client.get(reverse("edc:monitoring", args=[study.registry_id]))
    assert response.context["page"][0].reason == (
        "3.00，全研究为 1.33（6 个不良事件）：超过全研究数值的 1.5 倍，且至少有 3 个事件。"
    )


def test_the_critical_data_show_their_sdv_progress_per_site(
    client, member, study, site_a, site_b, ae_heavy_site_a
):
    response = _page(client, member, study, Role.MONITOR, study_site=site_a)
    codes = [row.crf_code for row, _progress in response.context["critical"]]
    assert codes == list(protocol_definition(study).sdv.full)


def test_the_page_runs_the_same_queries_for_few_and_many_subjects(
    client, member, site_a, site_b, stratum, study
):
    client.force_login(member(Role.DATA_MANAGER))

    def add(n):
        for subject in _treated(site_a, stratum, n) + _treated(site_b, stratum, n):
            vitals(subject)
            AdverseEventFactory(subject=subject)
            DeviatingVisitFactory(subject=subject)

    counts = query_counts(client, reverse("edc:monitoring", args=[study.registry_id]), add)
    assert counts[0] == counts[1]


def test_open_query_age_is_the_days_each_unresolved_query_has_been_open(study, site_a, stratum):
    subject = SubjectFactory(study_site=site_a, stratum=stratum)
    query = audited_create(
        Query(subject=subject, visit_code="SCR", crf_code="vital_signs", field_name="weight_kg",
              origin="manual", raised_by=UserFactory(), raised_role=Role.MONITOR),
        actor=UserFactory(),
    )  # fmt: skip
    later = query.created_at.date() + dt.timedelta(days=9)
    assert open_query_age(scope_of(study, today=later)) == {site_a.pk: Measure.of_values([9])}


def test_the_sdv_backlog_is_the_required_forms_not_yet_verified(study, site_a, stratum):
    subject = SubjectFactory(study_site=site_a, stratum=stratum)
    vitals(subject)
    assert sdv_backlog(scope_of(study)) == {site_a.pk: Measure(1, 1)}  # every form (no plan)
