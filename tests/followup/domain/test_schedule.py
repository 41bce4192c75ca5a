"""A visit's status and deviation at each edge of its window."""

from __future__ import annotations

import datetime as dt

import pytest

from edc.domain.visits import visit_window
from followup.domain.schedule import VisitState, VisitStatus, deviation_days, visit_status

# Day 28 with a window of 3 days before and 7 after: 2026-06-03 .. 2026-06-13.
WINDOW = visit_window(anchor=dt.date(2026, 5, 6), day=28, window_before_days=3, window_after_days=7)
DAY = dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (WINDOW.earliest - DAY, VisitStatus.UPCOMING),
        (WINDOW.earliest, VisitStatus.DUE),
        (WINDOW.target, VisitStatus.DUE),
        (WINDOW.latest, VisitStatus.DUE),
        (WINDOW.latest + DAY, VisitStatus.OVERDUE),
    ],
)
def test_an_open_visit_follows_the_calendar(today, status):
    assert visit_status(state=VisitState.OPEN, window=WINDOW, today=today) is status


@pytest.mark.parametrize(
    ("state", "status"),
    [
        (VisitState.DONE, VisitStatus.DONE),
        (VisitState.MISSED, VisitStatus.MISSED),
        (VisitState.NOT_APPLICABLE, VisitStatus.NOT_APPLICABLE),
    ],
)
@pytest.mark.parametrize("today", [WINDOW.earliest - DAY, WINDOW.target, WINDOW.latest + DAY])
def test_a_declared_state_wins_over_the_calendar(state, status, today):
    assert visit_status(state=state, window=WINDOW, today=today) is status


@pytest.mark.parametrize(
    ("done_on", "days"),
    [
        (WINDOW.earliest - 2 * DAY, -2),
        (WINDOW.earliest - DAY, -1),
        (WINDOW.earliest, 0),
        (WINDOW.target, 0),
        (WINDOW.latest, 0),
        (WINDOW.latest + DAY, 1),
        (WINDOW.latest + 5 * DAY, 5),
    ],
)
def test_the_deviation_is_the_days_outside_the_window(done_on, days):
    assert deviation_days(window=WINDOW, done_on=done_on) == days
