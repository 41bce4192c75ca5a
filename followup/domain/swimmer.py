"""Where a subject's lane on the swimmer plot ends, and whether it ends in an arrow.

A lane runs from Day 0 (the infusion) to the end of the subject's participation: the end date of
the end-of-study form (for a death, the date of death when it is earlier), or, for a subject still
on study, today with an arrow saying the follow-up goes on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Lane:
    end_day: int
    ongoing: bool


def swimmer_lane(
    *, day0: dt.date, today: dt.date, end_date: dt.date | None, death_date: dt.date | None = None
) -> Lane:
    """The lane of a subject infused on `day0`; `end_date` is None while the subject is on study.
    A lane never runs before Day 0 (a date error there shows as a lane of length 0)."""
    if end_date is None:
        return Lane(end_day=max((today - day0).days, 0), ongoing=True)
    last = min(end_date, death_date) if death_date else end_date
    return Lane(end_day=max((last - day0).days, 0), ongoing=False)
