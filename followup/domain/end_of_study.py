"""How a subject's participation ended, what each ending must record, and which visits it ends.

A completion needs nothing more; a withdrawal needs its reason (consent withdrawn, the
investigator's decision, ...), a death its date and cause (the safety reviews read them), a
subject lost to follow-up only the date of last contact (the end date itself).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class Ending(StrEnum):
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    DEATH = "death"
    LOST_TO_FOLLOW_UP = "lost_to_follow_up"


class Problem(StrEnum):
    REQUIRED = "required"  # this ending needs the field
    NOT_APPLICABLE = "not_applicable"  # another ending: the field stays empty
    AFTER_END = "after_end"  # a death after the end of the study


def end_of_study_problems(
    ending: Ending,
    *,
    end_date: dt.date,
    withdrawal_reason: str,
    death_date: dt.date | None,
    death_cause: str,
) -> dict[str, Problem]:
    """Field name -> what is wrong with it for this ending (empty when the record fits)."""
    problems: dict[str, Problem] = {}
    needs = {
        "withdrawal_reason": (ending is Ending.WITHDRAWN, bool(withdrawal_reason)),
        "death_date": (ending is Ending.DEATH, death_date is not None),
        "death_cause": (ending is Ending.DEATH, bool(death_cause)),
    }
    for field, (needed, given) in needs.items():
        if needed and not given:
            problems[field] = Problem.REQUIRED
        elif given and not needed:
            problems[field] = Problem.NOT_APPLICABLE
    if death_date is not None and "death_date" not in problems and death_date > end_date:
        problems["death_date"] = Problem.AFTER_END
    return problems


def schedule_stop_date(*, end_date: dt.date, death_date: dt.date | None) -> dt.date:
    """The day after which no visit can take place: the death when there is one, else the end of
    participation."""
    return min(end_date, death_date) if death_date is not None else end_date


def ends_visit(*, ending: Ending, recorded_in_phase: str, visit_phase: str) -> bool:
    """Whether an end-of-study record ends a visit of `visit_phase` ("main" or "ltfu").

    Long-term follow-up is a separate phase with its own consent (FDA 2020 "Long Term Follow-Up
    After Administration of Human Gene Therapy Products"), so completing the main study, the
    end-of-study form of its last visit, leaves the long-term visits planned. Death, withdrawal
    and loss to follow-up end every visit after them, as does any ending recorded in the
    long-term phase (its own end-of-study form). A subject who declines the long-term consent is
    recorded as withdrawn.
    """
    return not (
        ending is Ending.COMPLETED and recorded_in_phase == "main" and visit_phase == "ltfu"
    )
