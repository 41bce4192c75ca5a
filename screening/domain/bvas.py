"""BVAS v3 (Birmingham Vasculitis Activity Score, Mukhtyar et al., Ann Rheum Dis 2009;68:1827).

56 items in 9 organ systems, each ticked as persistent or new/worse (items are data:
`screening/data/bvas_v3_items.csv`). Scoring follows the v3 form's instructions (Mukhtyar 2009):
the form is scored as a whole, not system by system. If any ticked item is new or worse, every
ticked item is scored in the new/worse column (a persistent item at its new/worse points) and the
persistent total is 0; only when all activity is persistent is the persistent column scored (and
the new/worse total is 0). Each system is capped at its section maximum in the column scored. So
new renal disease (12) with persistent ENT disease (3 new/worse points) scores 15, not 12.
The three serum creatinine bands are one finding (the patient's creatinine lies in one band): at
most one may be ticked. The new/worse total (0-63) is the activity score eligibility reads; the
persistent total is 0-33.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from edc.domain.validation import ArgumentError

ITEMS_FILE = Path(__file__).resolve().parents[1] / "data" / "bvas_v3_items.csv"
PERSISTENT, NEW_WORSE = "persistent", "new_worse"
SOURCE = (
    "BVAS v3, Mukhtyar 2009 (form instructions: all items in the new/worse column if any is new "
    "or worse); section maxima [S], item points [U]"
)
CREATININE_BANDS = ("creatinine_125_249", "creatinine_250_499", "creatinine_500")


@dataclass(frozen=True)
class BvasSystem:
    code: str
    max_new_worse: int
    max_persistent: int


# Section maxima: general, cutaneous, mucous membranes/eyes and cardiovascular were read on
# stored copies of the form; the other five are recalled; all nine add up to the published 63/33.
SYSTEMS: tuple[BvasSystem, ...] = (
    BvasSystem("general", 3, 2),
    BvasSystem("cutaneous", 6, 3),
    BvasSystem("mucous_membranes_eyes", 6, 3),
    BvasSystem("ent", 6, 3),
    BvasSystem("chest", 6, 3),
    BvasSystem("cardiovascular", 6, 3),
    BvasSystem("abdominal", 9, 4),
    BvasSystem("renal", 12, 6),
    BvasSystem("nervous_system", 9, 6),
)
MAX_NEW_WORSE = sum(s.max_new_worse for s in SYSTEMS)
MAX_PERSISTENT = sum(s.max_persistent for s in SYSTEMS)


@dataclass(frozen=True)
class BvasItem:
    system: str
    code: str
    label: str
    persistent: int | None
    new_worse: int | None


@dataclass(frozen=True)
class BvasScore:
    new_worse: int
    persistent: int
    by_system: dict[str, tuple[str, int]]  # system -> (column, capped score)


@cache
def bvas_items() -> dict[str, BvasItem]:
    """code -> item, in form order."""
    with ITEMS_FILE.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        items = {
            row["code"]: BvasItem(
                row["system"],
                row["code"],
                row["label"],
                int(row["persistent"]) if row["persistent"] else None,
                int(row["new_worse"]) if row["new_worse"] else None,
            )
            for row in rows
        }
    if {i.system for i in items.values()} != {s.code for s in SYSTEMS}:
        raise RuntimeError(f"{ITEMS_FILE}: systems do not match the BVAS v3 sections")
    return items


def bvas_v3_score(*, items: Mapping[str, str]) -> BvasScore:
    """Score the ticked items (code -> "persistent" or "new_worse"); absent items are not ticked."""
    known = bvas_items()
    by_system: dict[str, dict[str, int]] = {}
    for code, state in items.items():
        item = known.get(code)
        if item is None:
            raise ArgumentError("items", f"unknown BVAS v3 item {code!r}")
        if state not in (PERSISTENT, NEW_WORSE):
            raise ArgumentError("items", f"{code}: {state!r} is not persistent or new_worse")
        if getattr(item, state) is None:
            raise ArgumentError("items", f"{code} cannot be scored as {state}")
        by_system.setdefault(item.system, {})[code] = state
    bands = [code for code in CREATININE_BANDS if code in items]
    if len(bands) > 1:
        raise ArgumentError(
            "items", f"serum creatinine is one band; {', '.join(bands)} are ticked together"
        )
    ticked_states = {state for ticked in by_system.values() for state in ticked.values()}
    column = PERSISTENT if ticked_states == {PERSISTENT} else NEW_WORSE
    totals = {NEW_WORSE: 0, PERSISTENT: 0}
    scored: dict[str, tuple[str, int]] = {}
    for system in SYSTEMS:
        ticked = by_system.get(system.code)
        if not ticked:
            continue
        points = sum(
            getattr(known[code], column) or getattr(known[code], PERSISTENT) or 0 for code in ticked
        )
        capped = min(points, getattr(system, f"max_{column}"))
        scored[system.code] = (column, capped)
        totals[column] += capped
    return BvasScore(totals[NEW_WORSE], totals[PERSISTENT], scored)
