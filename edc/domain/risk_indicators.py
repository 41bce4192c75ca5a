"""Key risk indicators of risk-based monitoring (ICH E6(R3) risk-based quality management).

Each indicator is measured per site as a `Measure`: a count of events over a base (a rate: queries
per subject, AEs per treated subject, the share of forms awaiting SDV) or the values whose median
is shown (days a query has been open, days from a visit to the first entry of its forms). The
study's measure is the sites' measures put together, so a site is compared with the whole study
it belongs to. A site stands out when its value is more than `ratio` times the study's and rests
on at least `min_events` events (so one query at a site of one subject raises no flag); both
numbers are the protocol's `monitoring` section.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    RATE = "rate"  # events / base
    MEDIAN = "median"  # the median of the values


@dataclass(frozen=True)
class Measure:
    """What one site contributes to an indicator."""

    events: int = 0
    base: int = 0
    values: tuple[float, ...] = ()

    def __add__(self, other: Measure) -> Measure:
        return Measure(
            self.events + other.events, self.base + other.base, self.values + other.values
        )

    @classmethod
    def of_values(cls, values: Iterable[float]) -> Measure:
        found = tuple(values)
        return cls(events=len(found), base=len(found), values=found)


def rate(events: int, base: int) -> float | None:
    """Events per unit of base; None when there is no base to count over."""
    return None if base <= 0 else events / base


def median(values: Iterable[float]) -> float | None:
    found = list(values)
    return statistics.median(found) if found else None


def value(kind: Kind, measure: Measure) -> float | None:
    return rate(measure.events, measure.base) if kind is Kind.RATE else median(measure.values)


def study_measure(measures: Iterable[Measure]) -> Measure:
    """The whole study's measure: every site's events, bases and values together."""
    total = Measure()
    for measure in measures:
        total += measure
    return total


@dataclass(frozen=True)
class StandOutRule:
    ratio: float  # a site's value above ratio x the study's value
    min_events: int  # and resting on at least this many events


@dataclass(frozen=True)
class Finding:
    site_value: float | None
    study_value: float | None
    events: int
    stands_out: bool

    @property
    def ratio(self) -> float | None:
        """The site's value over the study's (None when either is missing or the study's is 0)."""
        if self.site_value is None or not self.study_value:
            return None
        return self.site_value / self.study_value


def compare(kind: Kind, site: Measure, study: Measure, rule: StandOutRule) -> Finding:
    """The site's value against the study's, and whether the site stands out by the rule."""
    site_value, study_value = value(kind, site), value(kind, study)
    out = (
        site_value is not None
        and study_value is not None
        and site.events >= rule.min_events
        and site_value > rule.ratio * study_value
    )
    return Finding(site_value, study_value, site.events, out)
