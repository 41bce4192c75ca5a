"""CAR-T infusion: planned CAR+ cell dose per dose level, the infused-dose check, infusion timing.

Pure Python (no Django). Cell counts are `Decimal`, rounded explicitly:

* Cell doses are entered as mantissa x 10^exponent (1.0 <= mantissa < 10, exponent 5-12) so that
  a 10^8/10^9 slip is a visible digit, not a lost zero (clinical-rules.md §7.5).
* Planned CAR+ cells = nominal dose (flat), x weight (per_kg) or x BSA (per_m2), rounded to whole
  cells half-up (`CELLS_QUANTUM`); CAR+ cells = total viable cells x % CAR+ / 100, likewise.
* The deviation of the infused dose from the planned one is rounded to 0.01 % half-up and the
  verdict is taken on that value (`dosing.domain.lymphodepletion.deviation_pct`): exactly the
  tolerance is within it.
* A likely order-of-magnitude entry error is flagged when the infused/planned ratio is outside the
  tolerance around 1 but within it around another power of ten (10x, 0.1x, 100x, ...), or is
  >= `TYPO_RATIO_HIGH` (5) or <= `TYPO_RATIO_LOW` (0.2). These two cut-offs are this project's
  heuristic, not a published rule: halfway (on a log scale, roughly) between 1 and 10.
* Infusion timing: the infusion may not precede or fall on the last lymphodepletion day and needs
  at least `min_rest_days` (default `MIN_REST_DAYS`, 1) calendar days in between with neither.

Sources: `INFUSION_RULE_SECTION`; dose levels, basis and tolerance are protocol data
(`protocols/*.yaml`, `escalation`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from dosing.domain.lymphodepletion import deviation_pct, tolerance_pct_checked, weight_kg_checked
from edc.domain.protocol import DoseLevel
from edc.domain.validation import ArgumentError, Number, check, signif

__all__ = [
    "CELLS_QUANTUM",
    "EXPONENT_MAX",
    "EXPONENT_MIN",
    "INFUSION_RULE_SECTION",
    "MANTISSA_MAX_EXCLUSIVE",
    "MANTISSA_MIN",
    "MAX_BSA_M2",
    "MIN_REST_DAYS",
    "TYPO_HEURISTIC",
    "TYPO_RATIO_HIGH",
    "TYPO_RATIO_LOW",
    "InfusedDoseCheck",
    "car_positive_cells",
    "cells_from_mantissa",
    "check_infused_dose",
    "check_infusion_timing",
    "planned_cells",
]

INFUSION_RULE_SECTION = "clinical-rules.md §7.5 (cell-dose bookkeeping)"
TYPO_HEURISTIC = (
    "project heuristic: ratio within the dose tolerance of a power of ten other than 1, "
    "or ratio >= 5 or <= 0.2"
)

MANTISSA_MIN = Decimal(1)
MANTISSA_MAX_EXCLUSIVE = Decimal(10)
# 10^5 .. 10^12 covers every CAR-T dose in cells or cells/kg (1x10^5/kg to ~1x10^9 flat).
EXPONENT_MIN = 5
EXPONENT_MAX = 12
CELLS_QUANTUM = Decimal(1)
# Impossible-value ceiling (sqrt(300 cm x 700 kg / 3600) is 7.6 m²), not a plausibility check.
MAX_BSA_M2 = Decimal(10)
TYPO_RATIO_HIGH = Decimal(5)
TYPO_RATIO_LOW = Decimal("0.2")
# Usual regimens (Flu/Cy on days -5..-3, infusion on Day 0) leave 2 rest days; 1 is the
# protocol-agnostic minimum: never infuse on the day after the last lymphodepleting dose.
MIN_REST_DAYS = 1

_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class InfusedDoseCheck:
    """An infused CAR+ cell dose against the dose level's planned dose.

    `ratio` is infused/planned to 8 significant digits; `cells_per_kg` is None without a weight;
    `nearest_power_of_ten` is the exponent k of the 10^k (k != 0) the ratio is within tolerance
    of, when it is.
    """

    level: int
    basis: Literal["flat", "per_kg", "per_m2"]
    planned_cells: Decimal
    infused_cells: Decimal
    cells_per_kg: Decimal | None
    ratio: Decimal
    deviation_pct: Decimal
    tolerance_pct: Decimal
    within_tolerance: bool
    likely_order_of_magnitude_error: bool
    nearest_power_of_ten: int | None
    reason: str
    source: str = INFUSION_RULE_SECTION


def _cells(value: Decimal) -> Decimal:
    return value.quantize(CELLS_QUANTUM, rounding=ROUND_HALF_UP)


def cells_from_mantissa(*, mantissa: Number, exponent: int) -> Decimal:
    """mantissa x 10^exponent cells, exactly (1.5, 8 -> 1.5E+8).

    `mantissa` 1.0 <= m < 10 (so every count has one spelling) and `exponent` an integer 5-12.
    Source: clinical-rules.md §7.5.
    """
    m = check.number(
        mantissa,
        "mantissa",
        minimum=MANTISSA_MIN,
        maximum=MANTISSA_MAX_EXCLUSIVE,
        maximum_exclusive=True,
    )
    e = check.integer(exponent, "exponent", minimum=EXPONENT_MIN, maximum=EXPONENT_MAX)
    return m.scaleb(e)


def _bsa_m2(bsa_m2: object) -> Decimal:
    return check.number(bsa_m2, "bsa_m2", minimum=0, minimum_exclusive=True, maximum=MAX_BSA_M2)


def planned_cells(
    *, level: DoseLevel, weight_kg: Number | None = None, bsa_m2: Number | None = None
) -> Decimal:
    """Planned CAR+ cells for a dose level: flat dose, dose/kg x weight (kg) or dose/m² x BSA (m²).

    Rounded to whole cells half-up. `weight_kg` is required for a per_kg level and `bsa_m2` for a
    per_m2 one; either, when given, is validated even if the basis does not use it.
    Source: clinical-rules.md §7.5 ("total cells = dose/kg x kg, or dose/m² x BSA").
    """
    if not isinstance(level, DoseLevel):
        raise ArgumentError("level", f"must be a protocol DoseLevel; got {level!r}")
    weight = None if weight_kg is None else weight_kg_checked(weight_kg)
    bsa = None if bsa_m2 is None else _bsa_m2(bsa_m2)
    if level.basis == "per_kg":
        if weight is None:
            raise ArgumentError("weight_kg", f"is required for {level.label} (per kg)")
        return _cells(level.dose * weight)
    if level.basis == "per_m2":
        if bsa is None:
            raise ArgumentError("bsa_m2", f"is required for {level.label} (per m2)")
        return _cells(level.dose * bsa)
    return _cells(level.dose)


def car_positive_cells(*, total_viable_cells: Number, car_positive_pct: Number) -> Decimal:
    """CAR+ cells = total viable cells x % CAR+ / 100, rounded to whole cells half-up.

    `total_viable_cells` > 0; `car_positive_pct` in (0, 100]. Source: clinical-rules.md §7.5.
    """
    total = check.positive(total_viable_cells, "total_viable_cells")
    pct = check.number(
        car_positive_pct, "car_positive_pct", minimum=0, minimum_exclusive=True, maximum=100
    )
    return _cells(total * pct / _HUNDRED)


def _near_power_of_ten(ratio: Decimal, tolerance_pct: Decimal) -> int | None:
    """The k != 0 with |ratio / 10^k - 1| <= tolerance (as a rounded %), if any."""
    floor_log10 = ratio.adjusted()  # floor(log10(ratio)) for a positive Decimal, exactly
    for k in (floor_log10, floor_log10 + 1):
        if k == 0:
            continue
        deviation = deviation_pct(actual=ratio, planned=Decimal(1).scaleb(k))
        if abs(deviation) <= tolerance_pct:
            return k
    return None


def check_infused_dose(
    *,
    level: DoseLevel,
    infused_car_pos_cells: Number,
    weight_kg: Number | None = None,
    bsa_m2: Number | None = None,
    tolerance_pct: Number,
) -> InfusedDoseCheck:
    """The infused CAR+ cells against the level's planned dose, allowed deviation and 10x typos.

    Within tolerance if |deviation| (0.01 %, half-up) <= `tolerance_pct` (the protocol's
    `escalation.dose_tolerance_pct`). Outside it, a ratio within tolerance of 10, 0.1, 100, ... or
    >= 5 or <= 0.2 sets `likely_order_of_magnitude_error` (`TYPO_HEURISTIC`). Source:
    clinical-rules.md §7.5.
    """
    planned = planned_cells(level=level, weight_kg=weight_kg, bsa_m2=bsa_m2)
    infused = check.positive(infused_car_pos_cells, "infused_car_pos_cells")
    tolerance = tolerance_pct_checked(tolerance_pct)
    exact_ratio = infused / planned
    ratio = signif(exact_ratio)
    deviation = deviation_pct(actual=infused, planned=planned)
    within = abs(deviation) <= tolerance
    cells_per_kg = None if weight_kg is None else _cells(infused / weight_kg_checked(weight_kg))

    power: int | None = None
    typo = False
    if not within:
        power = _near_power_of_ten(exact_ratio, tolerance)
        typo = power is not None or exact_ratio >= TYPO_RATIO_HIGH or exact_ratio <= TYPO_RATIO_LOW

    summary = (
        f"{level.label}: infused {infused.normalize():E} CAR+ cells vs planned "
        f"{planned.normalize():E} "
        f"(ratio {ratio.normalize():f}, deviation {deviation:+} %)"
    )
    if within:
        reason = f"{summary}: within the allowed +-{tolerance} %"
    elif typo:
        if power is not None:
            what = f"within +-{tolerance} % of 10^{power} times the planned dose"
        else:
            what = "at least 5-fold away from the planned dose"
        reason = (
            f"{summary}: outside the allowed +-{tolerance} % and {what}: likely an "
            "order-of-magnitude (10x) entry error; check the exponent (e.g. 10^8 vs 10^9) "
            "against the certificate of analysis before accepting"
        )
    else:
        reason = f"{summary}: outside the allowed +-{tolerance} %"
    return InfusedDoseCheck(
        level=level.level,
        basis=level.basis,
        planned_cells=planned,
        infused_cells=infused,
        cells_per_kg=cells_per_kg,
        ratio=ratio,
        deviation_pct=deviation,
        tolerance_pct=tolerance,
        within_tolerance=within,
        likely_order_of_magnitude_error=typo,
        nearest_power_of_ten=power,
        reason=reason,
    )


def _date(value: object, argument: str) -> dt.date:
    # A datetime is a date subclass; refuse it so that no time zone decides the calendar day.
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ArgumentError(argument, f"must be a date (not a datetime); got {value!r}")
    return value


def check_infusion_timing(
    *,
    last_lymphodepletion_day: dt.date,
    infusion_date: dt.date,
    min_rest_days: int = MIN_REST_DAYS,
) -> None:
    """Refuse an infusion date that precedes, falls on or follows too closely the last LD day.

    Rest days are the calendar days strictly between the last lymphodepletion day and the
    infusion (LD on Day -3, infusion on Day 0: 2 rest days). `min_rest_days` defaults to 1, a
    protocol-agnostic minimum; a protocol may ask for more. Raises `ArgumentError("infusion_date",
    ...)`; returns None when the date is acceptable.
    """
    last = _date(last_lymphodepletion_day, "last_lymphodepletion_day")
    infusion = _date(infusion_date, "infusion_date")
    minimum = check.integer(min_rest_days, "min_rest_days", minimum=0)
    gap_days = (infusion - last).days
    earliest = last + dt.timedelta(days=minimum + 1)
    if gap_days < 0:
        raise ArgumentError(
            "infusion_date",
            f"{infusion.isoformat()} precedes the last lymphodepletion day {last.isoformat()}; "
            f"the earliest infusion date is {earliest.isoformat()}",
        )
    if gap_days == 0:
        raise ArgumentError(
            "infusion_date",
            f"{infusion.isoformat()} is the last lymphodepletion day; "
            f"the earliest infusion date is {earliest.isoformat()}",
        )
    rest_days = gap_days - 1
    if rest_days < minimum:
        raise ArgumentError(
            "infusion_date",
            f"{infusion.isoformat()} leaves {rest_days} rest day(s) after the last "
            f"lymphodepletion day {last.isoformat()}; at least {minimum} required, "
            f"so the earliest infusion date is {earliest.isoformat()}",
        )
