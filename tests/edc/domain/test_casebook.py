"""A casebook cell's state and what it counts towards, from its status, window and today."""

import datetime as dt

import pytest

from edc.domain.casebook import (
    CellState,
    Tally,
    counts_as,
    form_state,
    outstanding_state,
    page_state,
    tally,
)
from edc.domain.visits import VisitWindow

WINDOW = VisitWindow(
    target=dt.date(2026, 5, 10), earliest=dt.date(2026, 5, 9), latest=dt.date(2026, 5, 11)
)


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (dt.date(2026, 5, 8), CellState.NOT_YET_DUE),
        (dt.date(2026, 5, 9), CellState.DUE),
        (dt.date(2026, 5, 11), CellState.DUE),
        (dt.date(2026, 5, 12), CellState.MISSING),
    ],
)
def test_a_form_not_saved_is_due_inside_its_window_and_missing_after_it(today, state):
    assert form_state(None, WINDOW, today) is state


def test_a_visit_without_a_date_yet_is_not_yet_due():
    assert outstanding_state(None, dt.date(2030, 1, 1)) is CellState.NOT_YET_DUE


@pytest.mark.parametrize("status", ["complete", "verified", "signed", "locked"])
def test_a_saved_form_shows_its_workflow_status_and_counts_as_done(status):
    state = form_state(status, WINDOW, dt.date(2026, 6, 1))
    assert (state, counts_as(state, WINDOW, dt.date(2026, 6, 1))) == (CellState(status), Tally.DONE)


def test_a_draft_after_its_window_counts_as_missing():
    state = form_state("draft", WINDOW, dt.date(2026, 6, 1))
    assert (state, counts_as(state, WINDOW, dt.date(2026, 6, 1))) == (
        CellState.DRAFT,
        Tally.MISSING,
    )


def test_a_log_without_entries_is_none_recorded_and_not_missing():
    state = form_state(None, WINDOW, dt.date(2026, 6, 1), repeating=True)
    assert (state, counts_as(state, WINDOW, dt.date(2026, 6, 1))) == (CellState.NONE_RECORDED, None)


def test_a_log_of_a_future_visit_is_not_yet_due():
    assert form_state(None, WINDOW, dt.date(2026, 5, 1), repeating=True) is CellState.NOT_YET_DUE


def test_an_event_driven_page_is_neither_due_nor_missing():
    state = page_state(None, WINDOW, dt.date(2026, 6, 1))
    assert (state, counts_as(state, WINDOW, dt.date(2026, 6, 1))) == (CellState.OWN_PAGE, None)


@pytest.mark.parametrize(
    ("done", "state"), [(True, CellState.COMPLETE), (False, CellState.MISSING)]
)
def test_a_page_that_says_whether_it_is_done_counts_like_a_form(done, state):
    assert page_state(done, WINDOW, dt.date(2026, 6, 1)) is state


def test_an_unavailable_form_counts_towards_nothing():
    assert counts_as(CellState.UNAVAILABLE, WINDOW, dt.date(2026, 6, 1)) is None


def test_tally_counts_each_kind_and_reports_zeros():
    counted = [Tally.DONE, Tally.DONE, Tally.MISSING, None]
    assert tally(counted) == {Tally.DONE: 2, Tally.DUE: 0, Tally.MISSING: 1}


@pytest.mark.parametrize("repeating", [False, True])
def test_a_form_of_a_visit_that_will_not_take_place_is_not_expected(repeating):
    state = form_state(None, WINDOW, dt.date(2026, 6, 1), repeating=repeating, visit_closed=True)
    assert state is CellState.NOT_EXPECTED
    assert counts_as(state, WINDOW, dt.date(2026, 6, 1)) is None


def test_a_form_saved_before_its_visit_was_closed_keeps_its_status():
    state = form_state("complete", WINDOW, dt.date(2026, 6, 1), visit_closed=True)
    assert state is CellState.COMPLETE


def test_an_own_page_form_of_a_closed_visit_is_not_expected_unless_done():
    late = dt.date(2026, 6, 1)
    assert page_state(False, WINDOW, late, visit_closed=True) is CellState.NOT_EXPECTED
    assert page_state(True, WINDOW, late, visit_closed=True) is CellState.COMPLETE
