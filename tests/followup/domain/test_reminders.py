"""Which reminders a visit calls for on each day at its site, including a run that comes late."""

from __future__ import annotations

import datetime as dt

import pytest

from edc.domain.visits import visit_window
from followup.domain.reminders import ReminderKind, reminders_due, run_horizon
from followup.domain.schedule import VisitState

# Day 28 with a window of 3 days before and 7 after: target 2026-06-03, window 05-31 .. 06-10.
WINDOW = visit_window(anchor=dt.date(2026, 5, 6), day=28, window_before_days=3, window_after_days=7)
DAY = dt.timedelta(days=1)
OPENS, TOMORROW, OVERDUE = (
    ReminderKind.WINDOW_OPENS,
    ReminderKind.DUE_TOMORROW,
    ReminderKind.OVERDUE,
)


def _due(today: dt.date, state: VisitState = VisitState.OPEN) -> frozenset[ReminderKind]:
    return reminders_due(state=state, window=WINDOW, today=today)


@pytest.mark.parametrize(
    ("today", "kinds"),
    [
        (WINDOW.earliest - DAY, set()),
        (WINDOW.earliest, {OPENS}),
        (WINDOW.target - DAY, {OPENS, TOMORROW}),
        (WINDOW.target, {OPENS}),
        (WINDOW.latest, {OPENS}),
        (WINDOW.latest + DAY, {OVERDUE}),
        (WINDOW.latest + 30 * DAY, {OVERDUE}),
    ],
)
def test_an_open_visit_calls_for_the_reminders_of_its_day(today, kinds):
    assert _due(today) == kinds


def test_a_visit_due_tomorrow_before_its_window_opens_is_reminded_the_day_before():
    no_early_window = visit_window(
        anchor=dt.date(2026, 5, 6), day=7, window_before_days=0, window_after_days=2
    )
    due = reminders_due(
        state=VisitState.OPEN, window=no_early_window, today=no_early_window.target - DAY
    )
    assert due == {TOMORROW}


@pytest.mark.parametrize("state", [VisitState.DONE, VisitState.MISSED, VisitState.NOT_APPLICABLE])
def test_a_recorded_visit_calls_for_no_reminder_on_any_day(state):
    days = [WINDOW.earliest - DAY + n * DAY for n in range(40)]
    assert all(_due(day, state) == set() for day in days)


def test_a_run_late_by_days_still_sends_the_window_opening_while_the_window_lasts():
    assert OPENS in _due(WINDOW.earliest + 3 * DAY)


def test_a_run_that_missed_the_day_before_target_does_not_say_due_tomorrow_later():
    assert TOMORROW not in _due(WINDOW.target)


def test_a_run_that_missed_the_whole_window_says_overdue_only():
    assert _due(WINDOW.latest + 3 * DAY) == {OVERDUE}


def test_the_run_looks_at_windows_starting_up_to_two_days_after_utc_today():
    # UTC+14 is one day ahead of UTC, and due-tomorrow looks one day further.
    assert run_horizon(dt.date(2026, 6, 1)) == dt.date(2026, 6, 3)
