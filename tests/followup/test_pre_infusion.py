"""The visits up to the infusion (lymphodepletion, Day 0) are planned from the Day 0 the
lymphodepletion implies, before the infusion exists; once Day 0 is recorded they follow it like
the rest of the schedule."""

from __future__ import annotations

import datetime as dt

import pytest

from edc.crfs import crf_spec
from edc.services.crfs import crf_update
from followup.models import VisitInstance
from followup.services import subject_planned_day0
from tests.dosing.journeys import enrol, lymphodeplete, record_infusion
from tests.screening.journeys import TODAY

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
PLANNED = dt.date(2026, 5, 6)


@pytest.fixture
def subject(actor):
    subject = enrol(actor, today=TODAY)
    lymphodeplete(subject, actor, day0=PLANNED)
    subject.refresh_from_db()
    return subject


def _windows(subject) -> dict[str, tuple[dt.date, dt.date, dt.date]]:
    return {
        r.visit_code: (r.window_start, r.target_date, r.window_end)
        for r in VisitInstance.objects.filter(subject=subject)
    }


def test_the_lymphodepletion_plans_day0_from_its_first_day(subject):
    assert subject_planned_day0(subject) == PLANNED


def test_lymphodepletion_creates_only_the_visits_up_to_the_infusion(subject):
    assert _windows(subject) == {
        "LD": (PLANNED - 7 * DAY, PLANNED - 5 * DAY, PLANNED - 5 * DAY),
        "D0": (PLANNED, PLANNED, PLANNED),
    }


def test_no_visit_is_planned_before_the_lymphodepletion(actor):
    subject = enrol(actor, today=TODAY)
    assert not VisitInstance.objects.filter(subject=subject).exists()


def test_correcting_the_lymphodepletion_start_moves_the_planned_visits(subject, actor):
    course = crf_spec("lymphodepletion").model.objects.get(subject=subject)
    crf_update(
        course,
        spec=crf_spec("lymphodepletion"),
        data={"first_day_on": course.first_day_on + DAY},
        reason="Start date transcribed wrongly",
        expected_version=course.row_version,
        actor=actor,
    )
    d0 = VisitInstance.objects.get(subject=subject, visit_code="D0")
    assert d0.target_date == PLANNED + DAY
    assert d0.history.latest().history_change_reason == (
        f"Planned Day 0 is now {PLANNED + DAY}: Start date transcribed wrongly"
    )


def test_the_infusion_on_another_day_moves_the_open_pre_infusion_visits(subject, actor):
    record_infusion(subject, actor, day0=PLANNED + DAY)
    assert _windows(subject)["D0"] == (PLANNED + DAY,) * 3
    assert _windows(subject)["LD"][1] == PLANNED - 4 * DAY


def test_the_lymphodepletion_visit_is_done_on_the_forms_first_day(subject):
    ld = VisitInstance.objects.get(subject=subject, visit_code="LD")
    assert (ld.state, ld.done_on, ld.deviation_days) == ("done", ld.target_date, None)


def test_a_delayed_infusion_leaves_the_lymphodepletion_visit_early_by_days(subject, actor):
    ld = VisitInstance.objects.get(subject=subject, visit_code="LD")
    record_infusion(subject, actor, day0=PLANNED + 4 * DAY)
    ld.refresh_from_db()
    # The course began on the planned day -5, which is day -9 of the actual Day 0: two days
    # before the window of day -5 (two days early allowed) opens.
    assert (ld.target_date, ld.done_on, ld.deviation_days) == (
        PLANNED + 4 * DAY - 5 * DAY,
        PLANNED - 5 * DAY,
        -2,
    )


def test_the_infusion_adds_the_follow_up_visits_once(subject, actor):
    record_infusion(subject, actor, day0=PLANNED)
    codes = list(VisitInstance.objects.filter(subject=subject).values_list("visit_code", flat=True))
    assert {"LD", "D0", "D1", "M24"} <= set(codes)
    assert len(codes) == len(set(codes))
