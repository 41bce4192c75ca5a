"""The treatment a subject is on at screening, read from the prior-therapy rows.

CT1192 inclusion 6 (registration wording, protocols/ct1192.yaml): glucocorticoids combined with
immunosuppressants (cyclophosphamide, mycophenolate mofetil, tacrolimus, methotrexate,
cyclosporine, leflunomide) and/or biologics for at least 3 months, at a stable dose for at least
2 weeks; during screening, prednisone (or equivalent) >= 7.5 mg/day if the glucocorticoid is used
alone, no minimum when combined. These facts are data on the prior-therapy CRF (one row per
regimen: a dose change is a new row), so they are derived here and the investigator confirms only
what rows cannot show (the disease still active).

Pure Python (no Django): the caller passes the rows as `TherapyCourse`s and the reference date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from edc.domain.validation import ArgumentError

__all__ = [
    "COMBINABLE_KINDS",
    "SOURCE",
    "SteroidRegimen",
    "TherapyCourse",
    "completed_months",
    "steroid_regimen",
]

SOURCE = "CT1192 registration, inclusion 6 (protocols/ct1192.yaml inc-6)"

# The prior-therapy classes that make a glucocorticoid "combined": the immunosuppressants the
# registration lists (azathioprine added as the same class) and biologics. Antimalarials are not
# immunosuppressants and leave a glucocorticoid "alone".
COMBINABLE_KINDS = frozenset(
    {
        "cyclophosphamide", "mycophenolate", "tacrolimus", "methotrexate", "cyclosporine",
        "leflunomide", "azathioprine", "biologic",
    }
)  # fmt: skip

Kind = Literal["glucocorticoid", "combinable", "other"]


@dataclass(frozen=True)
class TherapyCourse:
    """One prior-therapy row: a regimen at one dose from `start` to `stop` (None: ongoing).

    `kind` is the CRF's class code; `prednisone_mg_day` the prednisone-equivalent daily dose of a
    glucocorticoid row (None for other rows or a dose not given in mg/day).
    """

    kind: str
    start: dt.date
    stop: dt.date | None
    prednisone_mg_day: Decimal | None = None

    def running_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.stop is None or self.stop >= day)

    @property
    def group(self) -> Kind:
        if self.kind == "glucocorticoid":
            return "glucocorticoid"
        return "combinable" if self.kind in COMBINABLE_KINDS else "other"


@dataclass(frozen=True)
class SteroidRegimen:
    """What CT1192 inclusion 6 reads, on the reference date.

    `prednisone_mg_day`: the glucocorticoid rows running then, summed (0 when none).
    `combined`: an immunosuppressant or biologic runs then beside it.
    `combination_months`: completed months of the longest uninterrupted stretch, up to the
    reference date, in which a glucocorticoid and an immunosuppressant or biologic ran together.
    `stable_days`: days since the last change of the regimen running then (the latest start of a
    running glucocorticoid or immunosuppressant/biologic row); 0 when nothing runs.
    """

    prednisone_mg_day: Decimal
    combined: bool
    combination_months: int
    stable_days: int


def completed_months(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from `start` to `end` (2026-01-31 to 2026-02-28 is 0)."""
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def _stretches(courses: list[TherapyCourse], on: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Days on which a glucocorticoid and a combinable drug ran together, as merged intervals."""
    overlaps = []
    for steroid in (c for c in courses if c.group == "glucocorticoid"):
        for other in (c for c in courses if c.group == "combinable"):
            start = max(steroid.start, other.start)
            end = min(steroid.stop or on, other.stop or on, on)
            if start <= end:
                overlaps.append((start, end))
    merged: list[tuple[dt.date, dt.date]] = []
    for start, end in sorted(overlaps):
        if merged and start <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def steroid_regimen(*, courses: Iterable[TherapyCourse], on: dt.date) -> SteroidRegimen:
    """The glucocorticoid regimen on `on` (the screening reference date) and its history.

    Source: `SOURCE`. Raises ArgumentError naming `courses` for a row that stops before it starts
    or a glucocorticoid dose below 0.
    """
    rows = list(courses)
    for row in rows:
        if row.stop is not None and row.stop < row.start:
            raise ArgumentError("courses", f"{row.kind} stops {row.stop} before it starts")
        if row.prednisone_mg_day is not None and row.prednisone_mg_day < 0:
            raise ArgumentError("courses", f"{row.kind} dose must be >= 0")
    running = [r for r in rows if r.running_on(on) and r.group != "other"]
    dose = sum(
        (r.prednisone_mg_day or Decimal(0) for r in running if r.group == "glucocorticoid"),
        Decimal(0),
    )
    months = max((completed_months(s, e) for s, e in _stretches(rows, on)), default=0)
    stable = (on - max(r.start for r in running)).days if running else 0
    return SteroidRegimen(
        prednisone_mg_day=dose,
        combined=any(r.group == "combinable" for r in running),
        combination_months=months,
        stable_days=stable,
    )
