"""What a casebook cell shows: a form's state at a glance, and what it counts towards.

A saved form shows its workflow status (complete, verified, signed, locked). A form not saved yet
is judged against its visit's window on the site's today: not yet due before the window opens (or
while the visit has no date, before Day 0), due inside it, missing once it has closed. A form kept
on a page of its own (the eligibility page, the CRS/ICANS episodes) shows as such, and a form the
product lacks shows as unavailable: neither is ever counted as missing work, nor is a log
(adverse events, medications) with no entry, nor a form of a visit that was declared missed or
not applicable (it will not take place, so nothing of it is expected).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from enum import StrEnum

from edc.domain.crf_status import CrfStatus
from edc.domain.visits import VisitWindow


class CellState(StrEnum):
    NOT_YET_DUE = "not_yet_due"
    DUE = "due"
    MISSING = "missing"
    DRAFT = "draft"
    COMPLETE = "complete"
    VERIFIED = "verified"
    SIGNED = "signed"
    LOCKED = "locked"
    NONE_RECORDED = "none_recorded"  # a log (adverse events, medications) with no entry
    OWN_PAGE = "own_page"  # recorded on a page of its own when it happens (a CRS episode)
    UNAVAILABLE = "unavailable"  # scheduled by the protocol, not in the product
    NOT_EXPECTED = "not_expected"  # its visit was declared missed or not applicable


class Tally(StrEnum):
    """The per-visit counts: forms done, due now, and missing (their window has closed)."""

    DONE = "done"
    DUE = "due"
    MISSING = "missing"


DONE_STATUSES = frozenset(
    {CrfStatus.COMPLETE, CrfStatus.VERIFIED, CrfStatus.SIGNED, CrfStatus.LOCKED}
)

_TALLY: dict[CellState, Tally] = {
    CellState.DUE: Tally.DUE,
    CellState.MISSING: Tally.MISSING,
    **{CellState(s.value): Tally.DONE for s in DONE_STATUSES},
}


def outstanding_state(window: VisitWindow | None, today: dt.date) -> CellState:
    """A form not saved yet: not yet due, due or missing, by its visit's window."""
    if window is None or today < window.earliest:
        return CellState.NOT_YET_DUE
    if today <= window.latest:
        return CellState.DUE
    return CellState.MISSING


def form_state(
    status: str | None,
    window: VisitWindow | None,
    today: dt.date,
    *,
    repeating: bool = False,
    visit_closed: bool = False,
) -> CellState:
    """A form's cell from its saved status (None: not saved) and its visit's window. A log
    (repeating form) without entries is not missing work: "none" is a valid answer once its
    visit has come; nor is a form of a visit that will not take place (`visit_closed`)."""
    if status is not None and CrfStatus(status) in DONE_STATUSES:
        return CellState(status)
    if status == CrfStatus.DRAFT:
        return CellState.DRAFT
    if visit_closed:
        return CellState.NOT_EXPECTED
    outstanding = outstanding_state(window, today)
    if repeating and outstanding is not CellState.NOT_YET_DUE:
        return CellState.NONE_RECORDED
    return outstanding


def page_state(
    done: bool | None, window: VisitWindow | None, today: dt.date, *, visit_closed: bool = False
) -> CellState:
    """A form kept on its own page: complete when the page says it is done; `None` when the page
    is filled only if something happens (an episode), so it is neither due nor missing."""
    if done is None:
        return CellState.OWN_PAGE
    if done:
        return CellState.COMPLETE
    return CellState.NOT_EXPECTED if visit_closed else outstanding_state(window, today)


def counts_as(state: CellState, window: VisitWindow | None, today: dt.date) -> Tally | None:
    """What a cell counts towards; a draft is not done yet, so it counts by its window."""
    if state is CellState.DRAFT:
        state = outstanding_state(window, today)
    return _TALLY.get(state)


def tally(counted: Iterable[Tally | None]) -> dict[Tally, int]:
    """Done / due / missing counts of a visit's cells, every kind present (zero or not)."""
    counts = Counter(t for t in counted if t is not None)
    return {t: counts[t] for t in Tally}
