"""The dashboard's enrolment and screen-failure panels count the decisions recorded, within the
sites the user sees (screening/dashboards.py)."""

import datetime as dt

import pytest

from edc.roles import Role
from tests.dashboard_panels import panel, rows
from tests.edc.factories import StratumFactory, SubjectFactory
from tests.screening.factories import EligibilityDecisionFactory, ScreenFailureFactory

pytestmark = pytest.mark.django_db


def _enrol(site, stratum, when):
    subject = SubjectFactory(study_site=site, stratum=stratum, status="enrolled")
    EligibilityDecisionFactory(subject=subject, decided_at=when)
    return subject


@pytest.fixture
def enrolled(site_a, site_b, stratum, study):
    ssc = StratumFactory(study=study, code="ssc", target_enrolment=4)
    march = dt.datetime(2026, 3, 10, 2, tzinfo=dt.UTC)
    _enrol(site_a, stratum, march)
    _enrol(site_a, ssc, march + dt.timedelta(days=3))
    _enrol(site_b, stratum, march + dt.timedelta(days=7))
    SubjectFactory(study_site=site_b, stratum=stratum)  # still screening: not enrolled
    return ssc


def test_enrolment_counts_each_site_and_stratum_against_its_target(
    client, member, study, site_a, site_b, stratum, enrolled
):
    client.force_login(member(Role.DATA_MANAGER))
    table = panel(client, study, "enrolment").tables[0]
    assert rows(table) == {
        f"Site: {site_a}": (2, 6),
        f"Site: {site_b}": (1, 6),
        "Stratum: SLE": (2, 6),
        "Stratum: SSC": (1, 4),
        "All shown": (3, 12),  # the study's planned sample size
    }


def test_the_enrolment_lines_climb_on_each_enrolment_date(client, member, study, enrolled):
    client.force_login(member(Role.DATA_MANAGER))
    chart = panel(client, study, "enrolment").charts[0]
    assert chart.config["data"]["labels"] == ["2026-03-10", "2026-03-13", "2026-03-17"]
    total = chart.config["data"]["datasets"][-1]
    assert (total["label"], total["data"]) == ("All shown", [1, 2, 3])


def test_the_target_line_is_the_planned_sample_size(client, member, study, enrolled):
    client.force_login(member(Role.DATA_MANAGER))
    chart = panel(client, study, "enrolment").charts[0]
    target = chart.config["options"]["plugins"]["annotation"]["annotations"]["target"]
    assert (target["yMin"], target["label"]["content"]) == (12, "Target 12")


def test_the_enrolment_date_is_the_sites_calendar_day(client, member, study, site_a, stratum):
    # 20:00 UTC on 9 March is 04:00 on 10 March in Shanghai, the site's timezone.
    _enrol(site_a, stratum, dt.datetime(2026, 3, 9, 20, tzinfo=dt.UTC))
    client.force_login(member(Role.DATA_MANAGER))
    chart = panel(client, study, "enrolment").charts[0]
    assert chart.config["data"]["labels"] == ["2026-03-10"]


def test_an_investigator_sees_the_enrolment_of_their_site_only(
    client, member, study, site_a, enrolled
):
    client.force_login(member(Role.INVESTIGATOR, study_site=site_a))
    table = panel(client, study, "enrolment").tables[0]
    assert rows(table)["All shown"] == (2, 6)  # the site's target, not the study's
    assert not any(str(label).startswith("Site: 02") for label in rows(table))


def test_the_site_filter_narrows_the_enrolment(client, member, study, site_b, enrolled):
    client.force_login(member(Role.SPONSOR))
    table = panel(client, study, "enrolment", site=site_b.pk).tables[0]
    assert rows(table)["All shown"] == (1, 6)


def test_screen_failures_count_subjects_per_criterion_not_met(client, member, study, site_a):
    for failed in (["IN-1"], ["IN-1"], []):
        ScreenFailureFactory(subject__study_site=site_a, failed_criteria=failed)
    client.force_login(member(Role.DATA_MANAGER))
    table = panel(client, study, "screen_failures").tables[0]
    assert rows(table) == {
        "I-1": ("Age 18-70", 2),
        "No criterion (investigator's reason)": ("", 1),
    }


def test_screen_failure_chart_draws_the_same_counts(client, member, study, site_a):
    ScreenFailureFactory(subject__study_site=site_a, failed_criteria=["IN-1"])
    client.force_login(member(Role.DATA_MANAGER))
    config = panel(client, study, "screen_failures").charts[0].config
    assert config["data"]["labels"] == ["I-1"]
    assert config["data"]["datasets"][0]["data"] == [1]


def test_enrolment_decisions_are_not_screen_failures(client, member, study, site_a, stratum):
    _enrol(site_a, stratum, dt.datetime(2026, 3, 10, tzinfo=dt.UTC))
    client.force_login(member(Role.DATA_MANAGER))
    assert panel(client, study, "screen_failures").tables[0].rows == ()


def test_a_site_closed_to_new_subjects_still_counts_its_enrolment(
    client, member, study, site_b, stratum
):
    _enrol(site_b, stratum, dt.datetime(2026, 3, 10, tzinfo=dt.UTC))
    site_b.is_active = False
    site_b._change_reason = "Closed to new subjects"
    site_b.save()
    client.force_login(member(Role.DATA_MANAGER))
    assert rows(panel(client, study, "enrolment").tables[0])[f"Site: {site_b}"] == (1, 6)
