"""The subject status lifecycle: which status may follow which, in one place.

A subject moves forward through screening, enrolment, lymphodepletion, infusion (Day 0) and
follow-up; withdrawal and death end the lifecycle from any active status. A status is never moved
backwards: a wrong status is corrected by an audited data correction, not a transition.
"""

from __future__ import annotations

from enum import StrEnum


class SubjectStatus(StrEnum):
    SCREENING = "screening"
    SCREEN_FAILED = "screen_failed"
    ENROLLED = "enrolled"
    LYMPHODEPLETED = "lymphodepleted"
    INFUSED = "infused"
    IN_FOLLOW_UP = "in_follow_up"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    DIED = "died"


_ENDINGS = frozenset({SubjectStatus.WITHDRAWN, SubjectStatus.DIED})

TRANSITIONS: dict[SubjectStatus, frozenset[SubjectStatus]] = {
    SubjectStatus.SCREENING: frozenset({SubjectStatus.SCREEN_FAILED, SubjectStatus.ENROLLED})
    | _ENDINGS,
    SubjectStatus.ENROLLED: frozenset({SubjectStatus.LYMPHODEPLETED}) | _ENDINGS,
    SubjectStatus.LYMPHODEPLETED: frozenset({SubjectStatus.INFUSED}) | _ENDINGS,
    SubjectStatus.INFUSED: frozenset({SubjectStatus.IN_FOLLOW_UP}) | _ENDINGS,
    SubjectStatus.IN_FOLLOW_UP: frozenset({SubjectStatus.COMPLETED}) | _ENDINGS,
    SubjectStatus.SCREEN_FAILED: frozenset(),
    SubjectStatus.COMPLETED: frozenset(),
    SubjectStatus.WITHDRAWN: frozenset(),
    SubjectStatus.DIED: frozenset(),
}

TERMINAL = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)


class IllegalTransition(ValueError):
    """A status change the lifecycle does not allow."""


def check_transition(current: str, target: str) -> SubjectStatus:
    """Return the target status if `current -> target` is allowed, else raise IllegalTransition."""
    try:
        source, goal = SubjectStatus(current), SubjectStatus(target)
    except ValueError as exc:
        raise IllegalTransition(f"status: unknown status in {current!r} -> {target!r}") from exc
    allowed = TRANSITIONS[source]
    if goal not in allowed:
        options = ", ".join(sorted(allowed)) or "none (final status)"
        raise IllegalTransition(
            f"status: a subject in {source.value!r} cannot become {goal.value!r}; "
            f"allowed next: {options}"
        )
    return goal
