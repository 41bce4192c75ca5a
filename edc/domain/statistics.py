"""Counting and descriptive statistics for the study dashboard, pure and typed.

The dashboard's panels (edc/dashboards.py) show counts, cumulative counts and five-number
summaries; they are computed here, not in the views or the chart code, so that each number on
screen has one definition that the tests check by hand.

Quartiles use the inclusive method (linear interpolation between order statistics, Hyndman &
Fan type 7: the default of R, NumPy and Excel's QUARTILE.INC), so a reviewer re-computing a
median or quartile in any of these tools gets the same figure.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Summary:
    """The five-number summary of a sample (all None for an empty sample)."""

    n: int
    minimum: float | None = None
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    maximum: float | None = None


def summarise(values: Iterable[float]) -> Summary:
    """Minimum, quartiles (inclusive method), median and maximum of the values."""
    sample = sorted(float(v) for v in values)
    if not sample:
        return Summary(n=0)
    if len(sample) == 1:
        only = sample[0]
        return Summary(n=1, minimum=only, q1=only, median=only, q3=only, maximum=only)
    q1, median, q3 = statistics.quantiles(sample, n=4, method="inclusive")
    return Summary(
        n=len(sample), minimum=sample[0], q1=q1, median=median, q3=q3, maximum=sample[-1]
    )


def count_by(keys: Iterable[K], order: Sequence[K]) -> list[int]:
    """How many times each key of `order` occurs (0 for a key that never does); keys outside
    `order` are not counted."""
    counts = Counter(keys)
    return [counts.get(key, 0) for key in order]


def histogram(values: Iterable[float], *, width: int) -> list[tuple[int, int, int]]:
    """Bins of `width` from the bin holding the smallest value to that of the largest, each as
    (low, high, count) with low <= value < high; empty bins in between are kept (a gap in a
    distribution is information)."""
    if width < 1:
        raise ValueError("a histogram bin is at least 1 wide")
    sample = [float(v) for v in values]
    if not sample:
        return []
    first = int(min(sample) // width) * width
    last = int(max(sample) // width) * width
    counts = Counter(int(v // width) * width for v in sample)
    return [(low, low + width, counts.get(low, 0)) for low in range(first, last + width, width)]


def cumulative_series(
    dates_by_group: Mapping[str, Iterable[dt.date]],
) -> tuple[list[dt.date], dict[str, list[int]]]:
    """Each group's running total on every date any group had an event: the shared date axis
    (sorted) and, per group, how many of its events fell on or before each date of it."""
    by_group = {group: Counter(dates) for group, dates in dates_by_group.items()}
    axis = sorted({day for counts in by_group.values() for day in counts})
    series: dict[str, list[int]] = {}
    for group, counts in by_group.items():
        running, totals = 0, []
        for day in axis:
            running += counts.get(day, 0)
            totals.append(running)
        series[group] = totals
    return axis, series
