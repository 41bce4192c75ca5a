"""Date arithmetic of the site calendar: the weeks the list shows, the grid of a month, and how
many visit windows are open on each day of it.

Weeks run Monday to Sunday (ISO 8601, the week of the Chinese and European sites); every date is
a calendar date at the site, so nothing here knows about timezones.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(days=7)


def week_start(day: dt.date) -> dt.date:
    """The Monday of the day's week."""
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class DateRange:
    """The days from `first` to `last`, both included."""

    first: dt.date
    last: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.first <= day <= self.last


def whole_weeks(day: dt.date, weeks: int) -> DateRange:
    """`weeks` weeks from the Monday of the day's week: the list starts with the whole current
    week, so a visit due on Monday still shows on a Wednesday."""
    first = week_start(day)
    return DateRange(first, first + weeks * WEEK - DAY)


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def shifted(self, months: int) -> Month:
        """The month `months` later (earlier when negative), across year ends."""
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)


def month_grid(month: Month) -> list[list[dt.date]]:
    """The weeks (Monday to Sunday) that show the month: 4 to 6 rows of 7 dates, the first and
    last row filled with the neighbouring months' days so every column is one weekday."""
    return calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
        month.year, month.month
    )


def grid_range(grid: list[list[dt.date]]) -> DateRange:
    return DateRange(grid[0][0], grid[-1][-1])


def open_windows_by_day(
    windows: Iterable[tuple[dt.date, dt.date]], shown: DateRange
) -> Counter[dt.date]:
    """For each shown day, how many of the windows (first, last day, both included) contain it:
    the days on which that many visits may be done."""
    counts: Counter[dt.date] = Counter()
    for first, last in windows:
        day = max(first, shown.first)
        while day <= min(last, shown.last):
            counts[day] += 1
            day += DAY
    return counts
