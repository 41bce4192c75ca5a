"""The dashboard's dose-level and CRS-timing panels, against hand-counted rows
(adverse_events/dashboards.py)."""

import datetime as dt

import pytest

from edc.roles import Role
from tests.adverse_events.factories import ToxicityEpisodeFactory
from tests.dashboard_panels import panel, rows
from tests.dosing.factories import DltAssessmentFactory, InfusionFactory

pytestmark = pytest.mark.django_db

LEVEL_1 = "1 · DL1"


@pytest.fixture
def three_treated(site_a, stratum):
    """Three subjects infused at level 1, all DLT-evaluable, one with a DLT; maximum CRS grades
    1, 2 (two episodes, 1 then 2) and none; one ICANS of grade 3."""
    infused = [
        InfusionFactory(subject__study_site=site_a, subject__stratum=stratum).subject
        for _ in range(3)
    ]
    for subject, had_dlt in zip(infused, (True, False, False), strict=True):
        DltAssessmentFactory(subject=subject, had_dlt=had_dlt)
    ToxicityEpisodeFactory(subject=infused[0], max_grade=1)
    ToxicityEpisodeFactory(subject=infused[1], max_grade=1)
    ToxicityEpisodeFactory(
        subject=infused[1], max_grade=2, onset_at=dt.datetime(2026, 4, 9, tzinfo=dt.UTC)
    )
    ToxicityEpisodeFactory(subject=infused[0], kind="icans", max_grade=3)
    return infused


def _tables(client, member, study):
    client.force_login(member(Role.SPONSOR))
    return panel(client, study, "dose_levels").tables


def test_the_dlt_table_counts_treated_evaluable_and_dlt_subjects(
    client, member, study, three_treated
):
    dlt_table = _tables(client, member, study)[0]
    assert rows(dlt_table) == {LEVEL_1: (3, 3, 1)}


def test_a_subject_not_evaluable_is_treated_but_not_counted_for_dlts(client, member, study, site_a):
    subject = InfusionFactory(subject__study_site=site_a).subject
    DltAssessmentFactory(subject=subject, evaluable=False, had_dlt=True)
    assert rows(_tables(client, member, study)[0]) == {LEVEL_1: (1, 0, 0)}


def test_each_subject_counts_under_their_highest_crs_grade(client, member, study, three_treated):
    crs = _tables(client, member, study)[1]
    # No event, grade 1, 2, 3, 4, 5
    assert rows(crs) == {LEVEL_1: (1, 1, 1, 0, 0, 0)}


def test_icans_grades_are_counted_apart_from_crs(client, member, study, three_treated):
    icans = _tables(client, member, study)[2]
    assert rows(icans) == {LEVEL_1: (2, 0, 0, 1, 0, 0)}


def test_the_grade_chart_stacks_the_same_counts(client, member, study, three_treated):
    client.force_login(member(Role.SPONSOR))
    crs_chart = panel(client, study, "dose_levels").charts[0]
    assert crs_chart.config["options"]["scales"]["y"]["stacked"] is True
    assert [d["data"] for d in crs_chart.config["data"]["datasets"]] == [
        [1],
        [1],
        [1],
        [0],
        [0],
        [0],
    ]


def test_a_subject_assessed_but_never_infused_is_not_treated(client, member, study, site_a):
    DltAssessmentFactory(subject__study_site=site_a, had_dlt=True)
    assert rows(_tables(client, member, study)[0]) == {LEVEL_1: (0, 0, 0)}


def test_crs_onset_and_duration_are_summarised(client, member, study, site_a):
    day0 = dt.date(2026, 4, 1)
    onsets = [(2, 36), (4, 48), (6, None)]  # (study day at 10:00 Shanghai, hours to resolution)
    for day, hours in onsets:
        onset = dt.datetime(2026, 4, 1, 2, tzinfo=dt.UTC) + dt.timedelta(days=day)
        resolved = None if hours is None else onset + dt.timedelta(hours=hours)
        ToxicityEpisodeFactory(
            subject__study_site=site_a,
            subject__day0_date=day0,
            onset_at=onset,
            resolved_at=resolved,
        )
    client.force_login(member(Role.DATA_MANAGER))
    timing = panel(client, study, "crs_timing")
    summary = rows(timing.tables[0])
    assert summary["Days to CRS onset"] == (3, 2.0, 3.0, 4.0, 5.0, 6.0)
    assert summary["CRS duration (days)"] == (2, 1.5, 1.6, 1.8, 1.9, 2.0)
    assert "1 still ongoing" in timing.note


def test_crs_onset_is_counted_on_the_sites_calendar(client, member, study, site_a):
    # 18:00 UTC on Day 1 is 02:00 on Day 2 in Shanghai.
    ToxicityEpisodeFactory(
        subject__study_site=site_a, onset_at=dt.datetime(2026, 4, 2, 18, tzinfo=dt.UTC)
    )
    client.force_login(member(Role.DATA_MANAGER))
    onset_histogram = panel(client, study, "crs_timing").tables[1]
    assert rows(onset_histogram) == {"2": (1,)}


def test_icans_is_not_crs_timing(client, member, study, site_a):
    ToxicityEpisodeFactory(subject__study_site=site_a, kind="icans")
    client.force_login(member(Role.DATA_MANAGER))
    assert panel(client, study, "crs_timing").tables[0].rows[0][1] == 0
