"""The follow-up schedule: created once from Day 0, moved with a Day-0 correction (open visits
only), visits done inside or outside their window, missed with a reason, and the status each
visit has as the days pass at the site."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from edc.crfs import crf_spec
from edc.domain.visits import visit_window
from edc.selectors import protocol_definition
from edc.services.crfs import crf_update
from followup.domain.schedule import VisitStatus
from followup.models import VisitInstance
from followup.selectors import subject_schedule
from followup.services import (
    schedule_create,
    schedule_follow_day0,
    visit_mark_done,
    visit_mark_missed,
)
from tests.adverse_events.journeys import DAY0

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def _visit(subject, code: str) -> VisitInstance:
    return VisitInstance.objects.get(subject=subject, visit_code=code)


def _first_two(subject) -> tuple[VisitInstance, VisitInstance]:
    first, second = VisitInstance.objects.filter(subject=subject, state="open").order_by(
        "target_date"
    )[:2]
    return first, second


def _correct_day0(subject, actor, day0: dt.date) -> None:
    infusion = crf_spec("infusion").model.objects.get(subject=subject)
    crf_update(
        infusion,
        spec=crf_spec("infusion"),
        data={"infused_on": day0},
        reason="Infusion date transcribed wrongly",
        expected_version=infusion.row_version,
        actor=actor,
    )


def test_recording_day0_creates_every_day0_anchored_visit_with_its_window(subject):
    expected = {
        v.code: visit_window(
            anchor=DAY0,
            day=v.day,
            window_before_days=v.window_before_days,
            window_after_days=v.window_after_days,
        )
        for v in protocol_definition(subject.study).visits
        if v.anchor == "day0"
    }
    rows = VisitInstance.objects.filter(subject=subject)
    assert {"LD", "D0"} <= set(expected)
    assert {row.visit_code: row.window for row in rows} == expected
    assert {row.visit_code for row in rows if row.state == VisitInstance.State.DONE} == {"LD", "D0"}
    assert {row.state for row in rows if row.visit_code not in {"LD", "D0"}} == {"open"}


def test_the_visits_of_the_lymphodepletion_and_infusion_forms_are_done_on_their_dates(subject):
    course = crf_spec("lymphodepletion").model.objects.get(subject=subject)
    assert _visit(subject, "LD").done_on == course.first_day_on
    assert _visit(subject, "D0").done_on == DAY0
    assert _visit(subject, "D0").deviation_days is None


def test_a_day0_correction_moves_the_infusion_visit_with_it(subject, actor):
    _correct_day0(subject, actor, DAY0 + DAY)
    d0 = _visit(subject, "D0")
    assert (d0.state, d0.done_on, d0.target_date) == ("done", DAY0 + DAY, DAY0 + DAY)


def test_creating_the_schedule_again_creates_nothing(subject, actor):
    count = VisitInstance.objects.filter(subject=subject).count()
    assert schedule_create(subject, actor=actor) == []
    infusion = crf_spec("infusion").model.objects.get(subject=subject)
    schedule_follow_day0(infusion, actor=actor)
    assert VisitInstance.objects.filter(subject=subject).count() == count


@pytest.mark.postgres
def test_the_database_refuses_a_second_row_for_the_same_visit(subject):
    first = _visit(subject, "D1")
    duplicate = VisitInstance(
        subject=subject,
        visit_code=first.visit_code,
        target_date=first.target_date,
        window_start=first.window_start,
        window_end=first.window_end,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save(force_insert=True)


def test_a_day0_correction_moves_exactly_the_open_visits(subject, actor):
    done, missed = _first_two(subject)
    visit_mark_done(done, done_on=done.target_date, actor=actor, expected_version=None)
    visit_mark_missed(missed, reason="Patient in hospital", actor=actor, expected_version=None)
    before = {row.pk: row.window for row in VisitInstance.objects.filter(subject=subject)}

    _correct_day0(subject, actor, DAY0 + 2 * DAY)

    for row in VisitInstance.objects.filter(subject=subject):
        if row.pk in (done.pk, missed.pk):
            assert row.window == before[row.pk]
        else:
            assert row.target_date == before[row.pk].target + 2 * DAY
            assert row.window_start == before[row.pk].earliest + 2 * DAY
            assert row.window_end == before[row.pk].latest + 2 * DAY


def test_a_moved_visit_says_why_in_its_history(subject, actor):
    _correct_day0(subject, actor, DAY0 + DAY)
    moved = VisitInstance.objects.filter(subject=subject, state="open").first()
    assert moved.history.latest().history_change_reason == (
        f"Day 0 is now {DAY0 + DAY}: Infusion date transcribed wrongly"
    )


def test_a_visit_done_inside_its_window_is_no_deviation(subject, actor):
    visit, _ = _first_two(subject)
    visit = visit_mark_done(visit, done_on=visit.window_end, actor=actor, expected_version=None)
    assert visit.state == VisitInstance.State.DONE
    assert visit.deviation_days is None


@pytest.mark.parametrize(("edge", "offset", "days"), [("start", -2, -2), ("end", 3, 3)])
def test_a_visit_done_outside_its_window_is_kept_as_a_deviation_of_its_size(
    subject, actor, edge, offset, days
):
    _, visit = _first_two(subject)
    edge_date = visit.window_start if edge == "start" else visit.window_end
    visit = visit_mark_done(
        visit, done_on=edge_date + offset * DAY, actor=actor, expected_version=None
    )
    assert visit.state == VisitInstance.State.DONE
    assert visit.done_on == edge_date + offset * DAY
    assert visit.deviation_days == days


def test_a_visit_cannot_be_done_in_the_future(subject, actor):
    visit, _ = _first_two(subject)
    with pytest.raises(ValidationError) as exc:
        visit_mark_done(
            visit, done_on=dt.date.today() + 2 * DAY, actor=actor, expected_version=None
        )
    assert "done_on" in exc.value.error_dict
    assert _visit(subject, visit.visit_code).state == VisitInstance.State.OPEN


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_missed_visit_needs_a_reason(subject, actor, reason):
    visit, _ = _first_two(subject)
    with pytest.raises(ValidationError) as exc:
        visit_mark_missed(visit, reason=reason, actor=actor, expected_version=None)
    assert "missed_reason" in exc.value.error_dict
    assert _visit(subject, visit.visit_code).state == VisitInstance.State.OPEN


def test_a_missed_visit_keeps_its_reason_in_the_row_and_the_history(subject, actor):
    visit, _ = _first_two(subject)
    visit = visit_mark_missed(
        visit, reason="Patient moved away", actor=actor, expected_version=None
    )
    assert visit.state == VisitInstance.State.MISSED
    assert visit.missed_reason == "Patient moved away"
    assert visit.history.latest().history_change_reason == "Patient moved away"


def test_a_done_visit_cannot_be_declared_missed(subject, actor):
    visit, _ = _first_two(subject)
    visit = visit_mark_done(visit, done_on=visit.target_date, actor=actor, expected_version=None)
    with pytest.raises(ValidationError):
        visit_mark_missed(visit, reason="Changed my mind", actor=actor, expected_version=None)
    assert _visit(subject, visit.visit_code).state == VisitInstance.State.DONE


def _status_at_site(subject, code: str, day: dt.date, hour: int) -> VisitStatus:
    """The visit's status at `hour` o'clock on `day` at the site (Asia/Shanghai, UTC+8)."""
    instant = dt.datetime.combine(day, dt.time(hour), tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with time_machine.travel(instant, tick=False):
        return next(
            s.status for s in subject_schedule(subject, lang="en") if s.visit.visit_code == code
        )


def test_a_visit_walks_from_upcoming_through_due_to_overdue_by_the_sites_calendar(subject):
    visit, _ = _first_two(subject)
    code = visit.visit_code
    # Just after midnight at the site, while it is still the day before in UTC.
    assert _status_at_site(subject, code, visit.window_start - DAY, 23) is VisitStatus.UPCOMING
    assert _status_at_site(subject, code, visit.window_start, 0) is VisitStatus.DUE
    assert _status_at_site(subject, code, visit.window_end, 23) is VisitStatus.DUE
    assert _status_at_site(subject, code, visit.window_end + DAY, 0) is VisitStatus.OVERDUE


def test_a_done_visit_stays_done_after_its_window(subject, actor):
    visit, _ = _first_two(subject)
    visit_mark_done(visit, done_on=visit.target_date, actor=actor, expected_version=None)
    later = visit.window_end + 30 * DAY
    assert _status_at_site(subject, visit.visit_code, later, 12) is VisitStatus.DONE
