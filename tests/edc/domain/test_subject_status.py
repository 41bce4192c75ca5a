import pytest

from edc.domain.subject_status import (
    TERMINAL,
    TRANSITIONS,
    IllegalTransition,
    SubjectStatus,
    check_transition,
)

ALLOWED = [(a, b) for a, nexts in TRANSITIONS.items() for b in sorted(nexts)]
FORBIDDEN = [(a, b) for a in SubjectStatus for b in SubjectStatus if b not in TRANSITIONS[a]]


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_transition_is_allowed_when_declared(current, target):
    assert check_transition(current, target) is target


@pytest.mark.parametrize(("current", "target"), FORBIDDEN)
def test_transition_is_refused_when_not_declared(current, target):
    with pytest.raises(IllegalTransition, match="status"):
        check_transition(current, target)


def test_refusal_names_the_allowed_next_statuses():
    with pytest.raises(IllegalTransition, match="allowed next: died, lymphodepleted, withdrawn"):
        check_transition("enrolled", "infused")


def test_refusal_says_final_when_status_is_terminal():
    with pytest.raises(IllegalTransition, match="final status"):
        check_transition("completed", "in_follow_up")


def test_unknown_status_is_refused():
    with pytest.raises(IllegalTransition, match="unknown status"):
        check_transition("screening", "cured")


def test_every_active_status_can_end_in_withdrawal_or_death():
    for status in set(SubjectStatus) - TERMINAL - {SubjectStatus.SCREEN_FAILED}:
        assert {SubjectStatus.WITHDRAWN, SubjectStatus.DIED} <= TRANSITIONS[status]


def test_terminal_statuses_are_completed_withdrawn_died_and_screen_failed():
    assert {s.value for s in TERMINAL} == {"completed", "withdrawn", "died", "screen_failed"}
