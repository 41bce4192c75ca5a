"""Visit compliance (followup/domain/compliance.py): done in or out of window, missed, overdue;
a visit not yet due or not applicable counts nowhere."""

import datetime as dt

import pytest

from edc.domain.visits import VisitWindow
from followup.domain.compliance import Compliance, visit_compliance
from followup.domain.schedule import VisitState

WINDOW = VisitWindow(
    target=dt.date(2026, 4, 8), earliest=dt.date(2026, 4, 7), latest=dt.date(2026, 4, 9)
)


def _compliance(state, today=dt.date(2026, 4, 8), deviation=None):
    return visit_compliance(state=state, deviation_days=deviation, window=WINDOW, today=today)


def test_a_visit_done_without_deviation_is_in_window():
    assert _compliance(VisitState.DONE, deviation=0) is Compliance.IN_WINDOW


@pytest.mark.parametrize("deviation", [-2, 3])
def test_a_visit_done_early_or_late_is_out_of_window(deviation):
    assert _compliance(VisitState.DONE, deviation=deviation) is Compliance.OUT_OF_WINDOW


def test_a_missed_visit_is_missed_whatever_the_date():
    assert _compliance(VisitState.MISSED, today=dt.date(2026, 4, 1)) is Compliance.MISSED


def test_an_open_visit_after_its_window_is_overdue():
    assert _compliance(VisitState.OPEN, today=dt.date(2026, 4, 10)) is Compliance.OVERDUE


@pytest.mark.parametrize("today", [dt.date(2026, 4, 1), dt.date(2026, 4, 9)])
def test_an_open_visit_upcoming_or_due_counts_nowhere(today):
    assert _compliance(VisitState.OPEN, today=today) is None


def test_a_visit_not_applicable_counts_nowhere():
    assert _compliance(VisitState.NOT_APPLICABLE, today=dt.date(2026, 5, 1)) is None
