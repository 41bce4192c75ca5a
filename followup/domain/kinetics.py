"""CAR-T cellular kinetics and the B-cell course, exactly as clinical-rules.md §13.7 says.

How the CAR-T cells expanded and persisted (transgene copies/µg DNA by qPCR, CAR+ cells/µL by flow)
and when B cells disappeared and came back are the trial's pharmacology; they are computed here
from (study day, value) pairs, day 0 = infusion, so the same rules serve the casebook, the plots
and the exports.

Non-compartmental analysis (`nca`):
- a value below the LLOQ, or None, is BLQ; a value equal to the LLOQ is quantifiable;
- BLQ before the first quantifiable value counts as 0, BLQ after it is left out; with no sample on
  day 0 a 0 on day 0 is assumed;
- Cmax is the highest quantifiable value, Tmax its first day, Tlast the last quantifiable day (the
  persistence) and Clast its value;
- AUC from day 0 to `auc_end_day` (28) by linear-up/log-down: a rising or level segment is linear,
  a falling segment between two positive values logarithmic, a segment falling to 0 linear; a day
  28 between two points is interpolated (linearly if rising, log-linearly if falling); an area
  whose last point is before day 28 stops there and says it is truncated.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from edc.domain.validation import ArgumentError, Number, check

__all__ = [
    "B_CELL_THRESHOLD_CELLS_PER_UL",
    "BCellCourse",
    "Nca",
    "Point",
    "b_cell_course",
    "nca",
]

SOURCE = "clinical-rules.md §13.7 (non-compartmental kinetics, linear-up/log-down) and §12"

B_CELL_THRESHOLD_CELLS_PER_UL = 1.0  # CD19+ cells/µL, unless the protocol sets another


@dataclass(frozen=True)
class Point:
    """A point the AUC uses: study day and value (a leading BLQ counts as 0)."""

    day: float
    value: float


@dataclass(frozen=True)
class Nca:
    """The NCA parameters of one analyte; Cmax etc. are None with no quantifiable value.

    `flags` says what the rules did to the data: "day0_assumed" (no sample on day 0),
    "blq_after_first_quantifiable_left_out", "auc_truncated", "auc_interpolated",
    "no_quantifiable_value". `points` are the included points (for the plot and the evidence).
    """

    cmax: float | None
    tmax: float | None
    tlast: float | None
    clast: float | None
    auc: float | None
    auc_truncated: bool
    auc_end_day: float
    auc_last_day: float | None
    points: tuple[Point, ...]
    flags: tuple[str, ...]
    source: str = SOURCE

    @property
    def persistence_day(self) -> float | None:
        """The last day the cells were quantifiable (the same as Tlast)."""
        return self.tlast


Sample = tuple[Number, Number | None]


def _samples(samples: object, *, allow_negative_days: bool) -> list[tuple[float, float | None]]:
    """(day, value) pairs sorted by day, validated: duplicate days and negative values raise."""
    if isinstance(samples, str | bytes) or not isinstance(samples, Iterable):
        raise ArgumentError("samples", f"must be a list of (day, value) pairs; got {samples!r}")
    checked: list[tuple[float, float | None]] = []
    for pair in samples:
        if isinstance(pair, str | bytes) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise ArgumentError("samples", f"each sample is a (day, value) pair; got {pair!r}")
        day, value = pair
        minimum = None if allow_negative_days else 0
        checked_day = check.number(day, "samples", minimum=minimum)
        day_number = day if isinstance(day, int) else float(checked_day)
        number = None if value is None else float(check.non_negative(value, "samples"))
        checked.append((day_number, number))
    days = [day for day, _ in checked]
    duplicates = sorted({day for day in days if days.count(day) > 1})
    if duplicates:
        shown = ", ".join(f"{day:g}" for day in duplicates)
        raise ArgumentError("samples", f"more than one sample on day {shown}")
    return sorted(checked)


def _segment_area(first: Point, second: Point) -> float:
    width = second.day - first.day
    if second.value < first.value and second.value > 0:
        return (first.value - second.value) * width / math.log(first.value / second.value)
    return (first.value + second.value) / 2 * width


def _value_on(day: float, first: Point, second: Point) -> float:
    """The value between two points: linear if rising (or falling to 0), log-linear if falling."""
    fraction = (day - first.day) / (second.day - first.day)
    if second.value < first.value and second.value > 0:
        return first.value * (second.value / first.value) ** fraction
    return first.value + (second.value - first.value) * fraction


def _auc(points: Sequence[Point], end_day: float) -> tuple[float, float, list[str]]:
    """Area from the first point to `end_day` (or the last point before it), and the flags."""
    area = 0.0
    for first, second in itertools.pairwise(points):
        if second.day <= end_day:
            area += _segment_area(first, second)
            continue
        if first.day < end_day:
            end = Point(end_day, _value_on(end_day, first, second))
            return area + _segment_area(first, end), end_day, ["auc_interpolated"]
        break
    last_day = min(points[-1].day, end_day)
    return area, last_day, ([] if last_day >= end_day else ["auc_truncated"])


def nca(*, samples: Iterable[Sample], lloq: Number, auc_end_day: Number = 28) -> Nca:
    """Cmax, Tmax, Tlast, Clast and AUC0-`auc_end_day` of one analyte (clinical-rules.md §13.7).

    `samples` are (study day, value or None) pairs, day 0 = infusion, in any order; duplicate
    days raise. The value and `lloq` are in the analyte's unit (copies/µg DNA or cells/µL).
    """
    limit = float(check.positive(lloq, "lloq"))
    end_day = float(check.positive(auc_end_day, "auc_end_day"))
    ordered = _samples(samples, allow_negative_days=False)
    quantifiable = [(day, value) for day, value in ordered if value is not None and value >= limit]
    if not quantifiable:
        return Nca(
            None, None, None, None, None, False, end_day, None, (), ("no_quantifiable_value",)
        )
    first_day = quantifiable[0][0]
    flags: list[str] = []
    points = [
        Point(day, 0.0 if day < first_day else value)
        for day, value in ordered
        if day < first_day or (value is not None and value >= limit)
    ]
    if len(points) != len(ordered):
        flags.append("blq_after_first_quantifiable_left_out")
    if points[0].day > 0:
        points.insert(0, Point(0.0, 0.0))
        flags.append("day0_assumed")
    cmax = max(value for _, value in quantifiable)
    tmax = next(day for day, value in quantifiable if value == cmax)
    tlast, clast = quantifiable[-1]
    auc, auc_last_day, auc_flags = _auc(points, end_day)
    flags.extend(auc_flags)
    return Nca(
        cmax=cmax,
        tmax=tmax,
        tlast=tlast,
        clast=clast,
        auc=auc,
        auc_truncated="auc_truncated" in auc_flags,
        auc_end_day=end_day,
        auc_last_day=auc_last_day,
        points=tuple(points),
        flags=tuple(flags),
    )


@dataclass(frozen=True)
class BCellCourse:
    """B-cell aplasia and reconstitution days (None when not reached), with the evidence.

    `reconstitution_unconfirmed_day` is a last value at or above the threshold that has no second
    value after it yet: not a reconstitution, but worth showing.
    """

    aplasia_day: float | None
    reconstitution_day: float | None
    reconstitution_unconfirmed_day: float | None
    threshold: float
    evidence: tuple[str, ...]
    source: str = SOURCE


def b_cell_course(
    *, samples: Iterable[Sample], threshold: Number = B_CELL_THRESHOLD_CELLS_PER_UL
) -> BCellCourse:
    """B-cell aplasia and reconstitution from CD19+ counts (cells/µL) (clinical-rules.md §13.7).

    Aplasia day: the first post-infusion day with CD19+ < `threshold`. Reconstitution day: the
    first of two consecutive values >= `threshold` after aplasia. Choices made here: a sample on
    day 0 or before is the pre-infusion baseline and cannot be the aplasia day (a subject B-cell
    depleted by earlier rituximab is not aplastic because of the CAR-T); a value given as None
    (below the assay's LLOQ) counts as below the threshold, which holds when the LLOQ is at or
    below it, as for the flow assays in use (LLOQ well under 1 cell/µL).
    """
    limit = float(check.positive(threshold, "threshold"))
    ordered = [
        (day, value) for day, value in _samples(samples, allow_negative_days=True) if day > 0
    ]

    def above(value: float | None) -> bool:
        return value is not None and value >= limit

    aplasia_index = next((i for i, (_, value) in enumerate(ordered) if not above(value)), None)
    if aplasia_index is None:
        return BCellCourse(None, None, None, limit, (f"no post-infusion CD19+ below {limit:g}/µL",))
    aplasia_day = ordered[aplasia_index][0]
    evidence = [
        f"aplasia: day {aplasia_day:g}, CD19+ {_shown(ordered[aplasia_index][1])} < {limit:g}/µL"
    ]
    after = ordered[aplasia_index + 1 :]
    for (day, value), (next_day, next_value) in itertools.pairwise(after):
        if above(value) and above(next_value):
            evidence.append(
                f"reconstitution: day {day:g} ({_shown(value)}) and day {next_day:g} "
                f"({_shown(next_value)}) >= {limit:g}/µL"
            )
            return BCellCourse(aplasia_day, day, None, limit, tuple(evidence))
    unconfirmed = after[-1][0] if after and above(after[-1][1]) else None
    if unconfirmed is not None:
        evidence.append(f"day {unconfirmed:g} >= {limit:g}/µL awaits a second value")
    return BCellCourse(aplasia_day, None, unconfirmed, limit, tuple(evidence))


def _shown(value: float | None) -> str:
    return "below LLOQ" if value is None else f"{value:g}"
