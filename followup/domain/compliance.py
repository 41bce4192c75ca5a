"""Visit compliance for the dashboard: what became of each scheduled visit so far.

A visit counts as done in its window, done outside it (a deviation, early or late), missed, or
overdue (still open after its window closed). A visit still upcoming or due, and one the end of
participation made not applicable, is not yet a compliance fact and counts nowhere.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from edc.domain.visits import VisitWindow
from followup.domain.schedule import VisitState, VisitStatus, visit_status


class Compliance(StrEnum):
    IN_WINDOW = "in_window"
    OUT_OF_WINDOW = "out_of_window"
    MISSED = "missed"
    OVERDUE = "overdue"


def visit_compliance(
    *, state: VisitState, deviation_days: int | None, window: VisitWindow, today: dt.date
) -> Compliance | None:
    """The visit's compliance category today, or None while it cannot be judged."""
    if state is VisitState.DONE:
        return Compliance.OUT_OF_WINDOW if deviation_days else Compliance.IN_WINDOW
    if state is VisitState.MISSED:
        return Compliance.MISSED
    if visit_status(state=state, window=window, today=today) is VisitStatus.OVERDUE:
        return Compliance.OVERDUE
    return None
