"""Lymphodepletion: planned daily doses from the protocol regimen, and checks of what was given.

Pure Python (no Django). Doses are `Decimal` in mg with explicit rounding:

* BSA by Mosteller (`edc.domain.calculators.bsa_mosteller`, clinical-rules.md §7.4), taken to
  8 significant digits (clinical-rules.md §10) and then rounded to 0.0001 m² half-up. That
  rounded BSA is the one stored with the dose (`PlannedDose.basis_value`) and the one the dose is
  computed from, so the stored dose can be recomputed from the stored basis.
* A planned dose is nominal dose x basis, rounded to 0.1 mg half-up (`DOSE_QUANTUM_MG`).
  Example: fludarabine 30 mg/m²/day at 175 cm / 70 kg: BSA 1.8447 m², 55.341 -> 55.3 mg.
* Renal adjustment: an agent may carry creatinine-clearance bands (`Agent.renal_adjustment`,
  protocol data): in a band with `reduce_pct` the nominal dose x basis is reduced by that percent
  before rounding (fludarabine 30 mg/m²/day x 1.8447 m² x 0.80 = 44.2728 -> 44.3 mg at CrCl
  30-70 mL/min); in a `not_recommended` band no dose is planned (ArgumentError on `crcl_ml_min`).
* A deviation is (administered - planned) / planned x 100, rounded to 0.01 % half-up
  (`DEVIATION_QUANTUM_PCT`); the verdict is taken on that rounded value, so a record never shows
  "20.00 %" flagged outside a 20 % tolerance. Exactly the tolerance is within it.

Sources: the regimen (drug, mg/m²/day | mg/kg/day | mg/day, days) and its tolerance are protocol
data (`protocols/*.yaml`, `lymphodepletion`); BSA: `LD_BSA_SOURCE`; rounding: `LD_ROUNDING_RULE`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from edc.domain.calculators import SOURCES as CALCULATOR_SOURCES
from edc.domain.calculators import bsa_mosteller
from edc.domain.protocol import Agent, Lymphodepletion
from edc.domain.validation import ArgumentError, Number, check, signif

__all__ = [
    "BSA_QUANTUM_M2",
    "DEVIATION_QUANTUM_PCT",
    "DOSE_QUANTUM_MG",
    "LD_BSA_SOURCE",
    "LD_ROUNDING_RULE",
    "LD_RULE_SECTION",
    "MAX_WEIGHT_KG",
    "DoseCheck",
    "PlannedDose",
    "bsa_m2_for_dosing",
    "check_administered",
    "deviation_pct",
    "missing_days",
    "planned_doses",
    "round_dose_mg",
    "tolerance_pct_checked",
    "weight_kg_checked",
]

LD_RULE_SECTION = "protocol `lymphodepletion` section; clinical-rules.md §7.4 (BSA)"
LD_BSA_SOURCE = CALCULATOR_SOURCES["bsa_mosteller"].citation
LD_ROUNDING_RULE = (
    "BSA to 0.0001 m2 half-up (after 8 significant digits); dose to 0.1 mg half-up; "
    "deviation to 0.01 % half-up, verdict on the rounded deviation"
)

DOSE_QUANTUM_MG = Decimal("0.1")
BSA_QUANTUM_M2 = Decimal("0.0001")
DEVIATION_QUANTUM_PCT = Decimal("0.01")
# Impossible-value ceiling for a body weight, the same as edc.domain.calculators uses for BSA.
MAX_WEIGHT_KG = 700
_HUNDRED = Decimal(100)

BasisUnit = Literal["m2", "kg"]


@dataclass(frozen=True, slots=True)
class PlannedDose:
    """One agent on one lymphodepletion day.

    `basis_value` is the BSA (m², rounded) for mg/m²/day or the weight (kg) for mg/kg/day, and
    None for a flat mg/day dose; `basis_unit` is "m2", "kg" or None accordingly.
    """

    drug: str
    day: int
    dose_mg: Decimal
    basis_value: Decimal | None
    basis_unit: BasisUnit | None
    nominal_dose: Decimal
    nominal_unit: str
    rounding: str = LD_ROUNDING_RULE
    renal_reduction_pct: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class DoseCheck:
    """An administered dose against its planned dose."""

    drug: str
    day: int
    planned_mg: Decimal
    administered_mg: Decimal
    deviation_pct: Decimal
    tolerance_pct: Decimal
    within_tolerance: bool
    reason: str


def round_dose_mg(dose_mg: Decimal) -> Decimal:
    """A dose in mg rounded to 0.1 mg, half-up (55.341 -> 55.3; 175.25 -> 175.3)."""
    return dose_mg.quantize(DOSE_QUANTUM_MG, rounding=ROUND_HALF_UP)


def weight_kg_checked(weight_kg: object) -> Decimal:
    """A body weight in kg, > 0 and <= `MAX_WEIGHT_KG`, as a Decimal."""
    return check.number(
        weight_kg, "weight_kg", minimum=0, minimum_exclusive=True, maximum=MAX_WEIGHT_KG
    )


def bsa_m2_for_dosing(*, height_cm: Number, weight_kg: Number) -> Decimal:
    """BSA (m²) by Mosteller as used for dosing: 8 significant digits, then 0.0001 m² half-up.

    175 cm / 70 kg -> 1.8447 m². Source: `LD_BSA_SOURCE` (clinical-rules.md §7.4).
    """
    bsa = bsa_mosteller(height_cm=height_cm, weight_kg=weight_kg)
    return signif(Decimal(bsa)).quantize(BSA_QUANTUM_M2, rounding=ROUND_HALF_UP)


def planned_doses(
    *,
    regimen: Lymphodepletion,
    height_cm: Number | None,
    weight_kg: Number | None,
    crcl_ml_min: Number | None = None,
) -> list[PlannedDose]:
    """The planned dose (mg) of every agent on every day of the regimen, by day then agent order.

    mg/m²/day x BSA (Mosteller, needs height and weight), mg/kg/day x weight, mg/day as is, less
    the agent's renal reduction at `crcl_ml_min` (Cockcroft-Gault mL/min; needed when an agent
    has a renal adjustment); each rounded to 0.1 mg half-up. `height_cm`/`weight_kg` may be None
    only if no agent needs them. Source: the protocol's `lymphodepletion` section; rounding
    `LD_ROUNDING_RULE`. Raises ArgumentError on `crcl_ml_min` where the protocol says the agent
    is not recommended.
    """
    if not isinstance(regimen, Lymphodepletion):
        raise ArgumentError("regimen", f"must be a protocol Lymphodepletion; got {regimen!r}")
    units = {agent.unit for agent in regimen.agents}
    bsa_m2: Decimal | None = None
    weight: Decimal | None = None
    if "mg/m2/day" in units:
        needing = _drugs_in(regimen.agents, "mg/m2/day")
        if height_cm is None:
            raise ArgumentError("height_cm", f"is required: {needing} dosed in mg/m2/day (BSA)")
        if weight_kg is None:
            raise ArgumentError("weight_kg", f"is required: {needing} dosed in mg/m2/day (BSA)")
        bsa_m2 = bsa_m2_for_dosing(height_cm=height_cm, weight_kg=weight_kg)
    if "mg/kg/day" in units:
        if weight_kg is None:
            needing = _drugs_in(regimen.agents, "mg/kg/day")
            raise ArgumentError("weight_kg", f"is required: {needing} dosed in mg/kg/day")
        weight = weight_kg_checked(weight_kg)

    doses: list[PlannedDose] = []
    for agent in regimen.agents:
        reduction = _renal_reduction_pct(agent, crcl_ml_min)
        for day in agent.days:
            doses.append(
                _planned(agent, day, bsa_m2=bsa_m2, weight_kg=weight, reduction_pct=reduction)
            )
    doses.sort(key=lambda dose: dose.day)  # stable: agents keep the regimen's order within a day
    return doses


def _drugs_in(agents: Sequence[Agent], unit: str) -> str:
    return ", ".join(agent.drug for agent in agents if agent.unit == unit)


def _renal_reduction_pct(agent: Agent, crcl_ml_min: Number | None) -> Decimal:
    """The percent by which the agent's dose is reduced at this creatinine clearance (0: none)."""
    if not agent.renal_adjustment:
        return Decimal(0)
    if crcl_ml_min is None:
        raise ArgumentError(
            "crcl_ml_min", f"is required: {agent.drug} is dosed by renal function (protocol)"
        )
    crcl = check.non_negative(crcl_ml_min, "crcl_ml_min")
    band = next((b for b in agent.renal_adjustment if b.contains(crcl)), None)
    if band is None:
        return Decimal(0)
    if band.not_recommended:
        raise ArgumentError(
            "crcl_ml_min",
            f"{agent.drug} is not recommended at a creatinine clearance of {crcl} mL/min "
            "(the protocol's renal adjustment)",
        )
    assert band.reduce_pct is not None
    return band.reduce_pct


def _planned(
    agent: Agent,
    day: int,
    *,
    bsa_m2: Decimal | None,
    weight_kg: Decimal | None,
    reduction_pct: Decimal,
) -> PlannedDose:
    basis_value: Decimal | None
    basis_unit: BasisUnit | None
    if agent.unit == "mg/m2/day":
        basis_value, basis_unit = bsa_m2, "m2"
    elif agent.unit == "mg/kg/day":
        basis_value, basis_unit = weight_kg, "kg"
    else:
        basis_value, basis_unit = None, None
    raw = agent.dose if basis_value is None else agent.dose * basis_value
    raw = raw * (_HUNDRED - reduction_pct) / _HUNDRED
    return PlannedDose(
        drug=agent.drug,
        day=day,
        dose_mg=round_dose_mg(raw),
        basis_value=basis_value,
        basis_unit=basis_unit,
        nominal_dose=agent.dose,
        nominal_unit=agent.unit,
        renal_reduction_pct=reduction_pct,
    )


def deviation_pct(*, actual: Decimal, planned: Decimal) -> Decimal:
    """(actual - planned) / planned x 100, rounded to 0.01 % half-up (away from zero at .005).

    Both are Decimals already validated by the caller; `planned` must be > 0.
    """
    return ((actual - planned) / planned * _HUNDRED).quantize(
        DEVIATION_QUANTUM_PCT, rounding=ROUND_HALF_UP
    )


def tolerance_pct_checked(tolerance_pct: object) -> Decimal:
    """A tolerance in percent, 0-100 (as the protocol format allows), as a Decimal."""
    return check.number(tolerance_pct, "tolerance_pct", minimum=0, maximum=100)


def check_administered(
    *, planned: PlannedDose, administered_mg: Number, tolerance_pct: Number
) -> DoseCheck:
    """An administered lymphodepletion dose against its planned dose and the allowed deviation.

    Within tolerance if |deviation| (0.01 %, half-up) <= `tolerance_pct` (the protocol's
    `lymphodepletion.dose_tolerance_pct`). 0 mg is accepted and is a -100 % deviation; a day with
    no administration at all belongs to `missing_days`.
    """
    if not isinstance(planned, PlannedDose):
        raise ArgumentError("planned", f"must be a PlannedDose; got {planned!r}")
    if not planned.dose_mg > 0:
        raise ArgumentError("planned", f"dose_mg must be > 0; got {planned.dose_mg}")
    given = check.non_negative(administered_mg, "administered_mg")
    tolerance = tolerance_pct_checked(tolerance_pct)
    deviation = deviation_pct(actual=given, planned=planned.dose_mg)
    within = abs(deviation) <= tolerance
    verdict = "within" if within else "outside"
    reason = (
        f"{planned.drug} day {planned.day}: administered {given} mg vs planned "
        f"{planned.dose_mg} mg: {deviation:+} % deviation, {verdict} the allowed +-{tolerance} %"
    )
    return DoseCheck(
        drug=planned.drug,
        day=planned.day,
        planned_mg=planned.dose_mg,
        administered_mg=given,
        deviation_pct=deviation,
        tolerance_pct=tolerance,
        within_tolerance=within,
        reason=reason,
    )


def missing_days(
    *, planned: Sequence[PlannedDose], administered_days: Mapping[str, Collection[int]]
) -> list[PlannedDose]:
    """The planned doses with no administration recorded, by day then regimen order.

    `administered_days` maps each drug to the days (relative to Day 0, e.g. -5) on which it was
    given; a drug given on no day may be left out. A drug that is not in the plan is refused.
    Administrations on unplanned days are not this function's concern (they miss nothing).
    """
    if isinstance(planned, str | bytes) or not isinstance(planned, Sequence):
        raise ArgumentError("planned", "must be a sequence of PlannedDose")
    for index, dose in enumerate(planned):
        if not isinstance(dose, PlannedDose):
            raise ArgumentError(f"planned[{index}]", f"must be a PlannedDose; got {dose!r}")
    if not isinstance(administered_days, Mapping):
        raise ArgumentError("administered_days", "must be a mapping of drug to days given")
    drugs = {dose.drug for dose in planned}
    given: dict[str, set[int]] = {}
    for drug, days in administered_days.items():
        name = f"administered_days[{drug!r}]"
        if drug not in drugs:
            raise ArgumentError(name, f"drug is not in the plan ({', '.join(sorted(drugs))})")
        if isinstance(days, str | bytes) or not isinstance(days, Collection):
            raise ArgumentError(name, f"must be a collection of days; got {days!r}")
        given[drug] = {_day(day, name) for day in days}
    missing = [dose for dose in planned if dose.day not in given.get(dose.drug, set())]
    return sorted(missing, key=lambda dose: dose.day)


def _day(value: object, argument: str) -> int:
    """A study day relative to Day 0 (any sign): an int, not a bool."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArgumentError(argument, f"days must be integers relative to Day 0; got {value!r}")
    return value
