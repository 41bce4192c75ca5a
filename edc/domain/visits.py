"""Visit windows: a visit's target date and allowed range from its anchor (consent or Day 0).

Core, because the casebook shows every visit's window from the start; the follow-up app builds its
schedule and reminders on this.

Dates are calendar dates at the subject's site; the caller converts instants to the site's
timezone before calling, so a visit near midnight lands on the day the site lived it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class VisitWindow:
    target: dt.date
    earliest: dt.date
    latest: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.earliest <= day <= self.latest


def visit_window(
    *, anchor: dt.date, day: int, window_before_days: int, window_after_days: int
) -> VisitWindow:
    """The window of a visit planned `day` days after its anchor (Day 0 counts as day 0)."""
    if window_before_days < 0:
        raise ValueError("window_before_days must not be negative")
    if window_after_days < 0:
        raise ValueError("window_after_days must not be negative")
    target = anchor + dt.timedelta(days=day)
    return VisitWindow(
        target=target,
        earliest=target - dt.timedelta(days=window_before_days),
        latest=target + dt.timedelta(days=window_after_days),
    )
