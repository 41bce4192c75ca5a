"""A scheduled visit's status and its deviation, from its window, its recorded state and today.

Upcoming, due and overdue are not stored: they follow from the calendar, so they are computed
from the site's today whenever they are shown, and no nightly job has to keep them true. What a
person declares (done, missed, not applicable) is stored and wins over the calendar.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from edc.domain.visits import VisitWindow


class VisitState(StrEnum):
    """What is recorded about a visit."""

    OPEN = "open"
    DONE = "done"
    MISSED = "missed"
    NOT_APPLICABLE = "not_applicable"


class VisitStatus(StrEnum):
    """What a visit is today."""

    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    DONE = "done"
    MISSED = "missed"
    NOT_APPLICABLE = "not_applicable"


OPEN_STATUSES = frozenset({VisitStatus.UPCOMING, VisitStatus.DUE, VisitStatus.OVERDUE})


def visit_status(*, state: VisitState, window: VisitWindow, today: dt.date) -> VisitStatus:
    """An open visit is upcoming before its window, due inside it (both ends included), overdue
    after it; a declared state is the status whatever the date."""
    if state is not VisitState.OPEN:
        return VisitStatus(state.value)
    if today < window.earliest:
        return VisitStatus.UPCOMING
    if today <= window.latest:
        return VisitStatus.DUE
    return VisitStatus.OVERDUE


def deviation_days(*, window: VisitWindow, done_on: dt.date) -> int:
    """Days outside the window: negative when done early, positive when late, 0 inside it."""
    if done_on < window.earliest:
        return (done_on - window.earliest).days
    if done_on > window.latest:
        return (done_on - window.latest).days
    return 0


def planned_day0(*, first_lymphodepletion_on: dt.date, regimen_first_day: int) -> dt.date:
    """The Day 0 a lymphodepletion course plans: the regimen fixes its first day relative to the
    infusion (day -5 in both protocols), so its date sets the infusion's date until the infusion
    itself is recorded."""
    return first_lymphodepletion_on - dt.timedelta(days=regimen_first_day)


def stopped_by(*, target: dt.date, stop: dt.date | None) -> bool:
    """Whether the end of a subject's participation makes a visit not applicable: its target
    date lies after the stop. A visit due on or before the stop stays open, so the site still
    declares it done or missed."""
    return stop is not None and target > stop
