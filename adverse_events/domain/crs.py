"""Cytokine release syndrome (CRS) grade by the ASTCT 2019 consensus.

Source: Lee DW et al., "ASTCT Consensus Grading for Cytokine Release Syndrome and Neurologic
Toxicity Associated with Immune Effector Cells", Biol Blood Marrow Transplant 2019;25:625-638,
table and footnotes as reproduced in PMC8021214 Table 1 and PMC9327779 Table 2
(clinical-rules.md §1).

Algorithm (§1, implemented exactly):

1. fever = temperature >= 38.0 °C, or fever was documented earlier in this episode before
   antipyretic or anti-cytokine therapy masked it (`fever_before_therapy`).
2. No fever -> grade 0 (not CRS by ASTCT, whatever the hypotension or hypoxia).
3. Hypotension: none 0; without vasopressors 2; one non-vasopressin vasopressor with or without
   vasopressin 3; >= 2 non-vasopressin vasopressors 4. Vasopressin never counts towards
   "multiple". Vasopressin alone is not addressed by the paper: like the reference implementation
   it counts as "a vasopressor" -> 3 [U].
4. Hypoxia: the device decides (flow only splits nasal cannula at 6 L/min): nasal cannula
   <= 6 L/min or blow-by 2; nasal cannula > 6 L/min, high-flow nasal cannula, facemask,
   non-rebreather or Venturi 3; CPAP, BiPAP or intubation 4.
5. grade = max(1, hypotension grade, hypoxia grade). Grade 5 (death due to CRS) is an outcome
   field, not computed. Organ toxicities graded by CTCAE do not enter the CRS grade.

Input checks (ValueError naming the argument): temperature outside 30-45 °C; unknown device;
nasal cannula without a flow (or a flow <= 0); a flow > 0 with no device; vasopressors or
vasopressin without `hypotension` (contradictory).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

from adverse_events.domain.types import CrsResult, GradingInputError, check, join_drivers

__all__ = [
    "FEVER_THRESHOLD_C",
    "LOW_FLOW_MAX_L_MIN",
    "OXYGEN_DEVICES",
    "OXYGEN_DEVICE_GRADE",
    "SCALE",
    "SOURCE",
    "TEMPERATURE_MAX_C",
    "TEMPERATURE_MIN_C",
    "grade_crs",
]

SCALE = "ASTCT 2019"
SOURCE = (
    "Lee DW et al., ASTCT consensus grading for CRS, Biol Blood Marrow Transplant "
    "2019;25:625-638 (PMC8021214 Table 1; PMC9327779 Table 2); clinical-rules.md §1"
)

FEVER_THRESHOLD_C = Decimal("38.0")
# Plausibility range of a body temperature; outside it the entry is an error, not a grade.
TEMPERATURE_MIN_C = Decimal(30)
TEMPERATURE_MAX_C = Decimal(45)
# Low-flow nasal cannula is <= 6 L/min (grade 2); above it the cannula counts as high-flow.
LOW_FLOW_MAX_L_MIN = Decimal(6)

_NASAL_CANNULA = "nasal_cannula"

# Hypoxia grade by oxygen device (rows of the ASTCT hypoxia line). None: the flow decides.
OXYGEN_DEVICE_GRADE: Mapping[str, int | None] = MappingProxyType(
    {
        "none": 0,
        _NASAL_CANNULA: None,
        "blow_by": 2,
        "high_flow_nasal_cannula": 3,
        "facemask": 3,
        "nonrebreather": 3,
        "venturi": 3,
        "cpap": 4,
        "bipap": 4,
        "intubation": 4,
    }
)
OXYGEN_DEVICES: tuple[str, ...] = tuple(OXYGEN_DEVICE_GRADE)


def _hypotension_grade(
    *, hypotension: bool, vasopressors: int, vasopressin: bool
) -> tuple[int, str]:
    if not hypotension:
        if vasopressors or vasopressin:
            raise GradingInputError(
                "hypotension",
                "is False but vasopressors or vasopressin are given (contradictory input)",
            )
        return 0, "no hypotension"
    if vasopressors >= 2:
        return 4, f"hypotension requiring {vasopressors} non-vasopressin vasopressors (multiple)"
    if vasopressors == 1:
        with_vasopressin = " with vasopressin" if vasopressin else ""
        return 3, f"hypotension requiring one vasopressor{with_vasopressin}"
    if vasopressin:
        return 3, "hypotension requiring vasopressin alone (counted as a vasopressor) [U]"
    return 2, "hypotension not requiring vasopressors"


def _hypoxia_grade(*, oxygen_device: str, oxygen_flow_l_min: Decimal | None) -> tuple[int, str]:
    device_grade = OXYGEN_DEVICE_GRADE[oxygen_device]
    if oxygen_device == "none":
        if oxygen_flow_l_min is not None and oxygen_flow_l_min > 0:
            raise GradingInputError(
                "oxygen_flow_l_min", "is given but oxygen_device is 'none' (contradictory input)"
            )
        return 0, "no oxygen requirement"
    if device_grade is None:
        if oxygen_flow_l_min is None:
            raise GradingInputError(
                "oxygen_flow_l_min", "is required for a nasal cannula (low vs high flow)"
            )
        if oxygen_flow_l_min <= 0:
            raise GradingInputError(
                "oxygen_flow_l_min", f"must be > 0 for a nasal cannula; got {oxygen_flow_l_min}"
            )
        if oxygen_flow_l_min <= LOW_FLOW_MAX_L_MIN:
            return 2, f"low-flow nasal cannula {oxygen_flow_l_min} L/min (<= 6)"
        return 3, f"nasal cannula {oxygen_flow_l_min} L/min is high-flow (> 6)"
    return device_grade, f"oxygen by {oxygen_device} (the device decides)"


def grade_crs(
    *,
    temperature_c: float | Decimal,
    fever_before_therapy: bool = False,
    hypotension: bool = False,
    vasopressors: int = 0,
    vasopressin: bool = False,
    oxygen_device: str = "none",
    oxygen_flow_l_min: float | Decimal | None = None,
) -> CrsResult:
    """Grade CRS 0-4 by ASTCT 2019 (see the module docstring for the algorithm and checks).

    `temperature_c` is the maximum temperature in °C; `vasopressors` counts non-vasopressin
    vasopressors; `oxygen_device` is one of `OXYGEN_DEVICES`; `oxygen_flow_l_min` in L/min.
    Source: `SOURCE`.
    """
    temperature = check.number(
        temperature_c, "temperature_c", minimum=TEMPERATURE_MIN_C, maximum=TEMPERATURE_MAX_C
    )
    masked = check.boolean(fever_before_therapy, "fever_before_therapy")
    has_hypotension = check.boolean(hypotension, "hypotension")
    pressor_count = check.integer(vasopressors, "vasopressors", minimum=0)
    has_vasopressin = check.boolean(vasopressin, "vasopressin")
    device = check.choice(oxygen_device, "oxygen_device", OXYGEN_DEVICES)
    flow = (
        None
        if oxygen_flow_l_min is None
        else check.non_negative(oxygen_flow_l_min, "oxygen_flow_l_min")
    )

    # Domains are validated even without fever, so contradictory input never passes silently.
    hypotension_grade, hypotension_reason = _hypotension_grade(
        hypotension=has_hypotension, vasopressors=pressor_count, vasopressin=has_vasopressin
    )
    hypoxia_grade, hypoxia_reason = _hypoxia_grade(oxygen_device=device, oxygen_flow_l_min=flow)

    if temperature >= FEVER_THRESHOLD_C:
        fever_reason = f"fever {temperature} °C (>= 38.0)"
    elif masked:
        fever_reason = (
            f"afebrile {temperature} °C but fever documented before antipyretic or anti-cytokine "
            "therapy: graded on hypotension and hypoxia"
        )
    else:
        return CrsResult(
            grade=0,
            driver="none",
            scale=SCALE,
            reasons=(
                f"no fever ({temperature} °C < 38.0 and no fever before therapy): not CRS by ASTCT",
            ),
            fever=False,
            hypotension_grade=hypotension_grade,
            hypoxia_grade=hypoxia_grade,
        )

    grade = max(1, hypotension_grade, hypoxia_grade)
    if grade == 1:
        driver = "fever"
    else:
        driver = join_drivers(
            [
                name
                for name, domain_grade in (
                    ("hypotension", hypotension_grade),
                    ("hypoxia", hypoxia_grade),
                )
                if domain_grade == grade
            ]
        )
    return CrsResult(
        grade=grade,
        driver=driver,
        scale=SCALE,
        reasons=(fever_reason, hypotension_reason, hypoxia_reason),
        fever=True,
        hypotension_grade=hypotension_grade,
        hypoxia_grade=hypoxia_grade,
    )
