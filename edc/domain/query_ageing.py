"""How long unresolved data queries have waited: each query's age in whole days since it was
raised, counted into age bands, and the median age. Monitors chase the oldest bands; a band's
edges are inclusive (a query raised 7 days ago is in 0-7, one raised 8 days ago in 8-14)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class AgeBand:
    low: int
    high: int | None  # None: no upper edge

    def holds(self, days: int) -> bool:
        return days >= self.low and (self.high is None or days <= self.high)


AGE_BANDS = (AgeBand(0, 7), AgeBand(8, 14), AgeBand(15, 30), AgeBand(31, None))


def age_days(raised_on: dt.date, today: dt.date) -> int:
    """Whole days a query raised on `raised_on` has waited by `today` (0 on the day itself)."""
    return max((today - raised_on).days, 0)


def band_counts(ages: Iterable[int]) -> list[int]:
    """How many of `ages` (days) fall in each of AGE_BANDS, in their order."""
    counts = [0] * len(AGE_BANDS)
    for days in ages:
        counts[next(i for i, band in enumerate(AGE_BANDS) if band.holds(days))] += 1
    return counts


def median_age(ages: Iterable[int]) -> float | None:
    """The median age in days, None when there is no query."""
    values = list(ages)
    return statistics.median(values) if values else None


def ages_by_group(
    rows: Iterable[tuple[K, dt.date]], today: dt.date, groups: Iterable[K]
) -> dict[K, list[int]]:
    """The ages of (group, raised on) rows per group, every one of `groups` present."""
    by_group: dict[K, list[int]] = {group: [] for group in groups}
    for group, raised_on in rows:
        if group in by_group:
            by_group[group].append(age_days(raised_on, today))
    return by_group
