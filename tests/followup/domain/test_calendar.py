"""The calendar's date arithmetic: ISO weeks, the month grid and the open windows of each day."""

from __future__ import annotations

import datetime as dt

import pytest

from followup.domain.calendar import (
    DateRange,
    Month,
    grid_range,
    month_grid,
    open_windows_by_day,
    week_start,
    whole_weeks,
)

MONDAY = dt.date(2026, 6, 15)
DAY = dt.timedelta(days=1)


@pytest.mark.parametrize("offset", range(7))
def test_every_day_of_a_week_starts_on_its_monday(offset):
    assert week_start(MONDAY + offset * DAY) == MONDAY


def test_whole_weeks_run_from_this_weeks_monday_to_a_sunday():
    shown = whole_weeks(MONDAY + 2 * DAY, 4)
    assert (shown.first, shown.last) == (MONDAY, MONDAY + 27 * DAY)
    assert shown.last.isoweekday() == 7


def test_a_range_contains_both_ends_and_nothing_outside():
    shown = DateRange(MONDAY, MONDAY + DAY)
    assert MONDAY in shown
    assert MONDAY + DAY in shown
    assert MONDAY - DAY not in shown
    assert MONDAY + 2 * DAY not in shown


@pytest.mark.parametrize(
    ("month", "by", "expected"),
    [
        (Month(2026, 12), 1, Month(2027, 1)),
        (Month(2027, 1), -1, Month(2026, 12)),
        (Month(2026, 6), 0, Month(2026, 6)),
        (Month(2026, 6), -18, Month(2024, 12)),
    ],
)
def test_months_shift_across_year_ends(month, by, expected):
    assert month.shifted(by) == expected


@pytest.mark.parametrize(("month", "rows"), [(Month(2027, 2), 4), (Month(2026, 8), 6)])
def test_the_grid_has_the_weeks_that_show_the_month(month, rows):
    # February 2027 begins on a Monday and has 28 days; August 2026 begins on a Saturday.
    grid = month_grid(month)
    assert len(grid) == rows
    assert all(len(week) == 7 and week[0].isoweekday() == 1 for week in grid)


def test_the_grid_holds_every_day_of_the_month_once_in_order():
    days = [day for week in month_grid(Month(2026, 8)) for day in week]
    assert days == sorted(set(days))
    in_month = [d for d in days if Month.of(d) == Month(2026, 8)]
    assert (in_month[0], in_month[-1], len(in_month)) == (
        dt.date(2026, 8, 1),
        dt.date(2026, 8, 31),
        31,
    )


def test_the_grid_is_filled_with_the_neighbouring_months_days():
    shown = grid_range(month_grid(Month(2026, 8)))
    assert (shown.first, shown.last) == (dt.date(2026, 7, 27), dt.date(2026, 9, 6))


def test_overlapping_windows_add_up_on_the_days_they_share():
    counts = open_windows_by_day(
        [(MONDAY, MONDAY + 2 * DAY), (MONDAY + 2 * DAY, MONDAY + 3 * DAY)],
        DateRange(MONDAY - DAY, MONDAY + 6 * DAY),
    )
    assert [counts[MONDAY + n * DAY] for n in range(-1, 5)] == [0, 1, 1, 2, 1, 0]


def test_windows_are_counted_only_on_the_shown_days():
    counts = open_windows_by_day(
        [(MONDAY - 10 * DAY, MONDAY + 10 * DAY)], DateRange(MONDAY, MONDAY + DAY)
    )
    assert dict(counts) == {MONDAY: 1, MONDAY + DAY: 1}
