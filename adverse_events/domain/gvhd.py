"""Acute graft-versus-host disease: MAGIC organ staging and overall grade (adults).

Source: Harris AC et al., "International, multicenter standardization of acute graft-versus-host
disease clinical data collection: a report from the Mount Sinai Acute GVHD International
Consortium (MAGIC)", Biol Blood Marrow Transplant 2016;22:4-10 (clinical-rules.md §11) [U: the table
is from memory; check against the paper before release].

Organ stages (adults):

* Skin, active erythema % BSA: 0 none; 1 <25 %; 2 25-50 %; 3 >50 %; 4 >50 % (generalized
  erythroderma) with bullae and desquamation >5 %.
* Liver, total bilirubin mg/dL: 0 <2; 1 2-3; 2 3.1-6; 3 6.1-15; 4 >15.
* Upper GI: 0 none or intermittent nausea, vomiting or anorexia; 1 persistent.
* Lower GI, stool per day: 0 <500 mL or <3 episodes; 1 500-999 mL or 3-4; 2 1000-1500 mL or 5-7;
  3 >1500 mL or >7; 4 severe abdominal pain with or without ileus, or grossly bloody stool.

The printed ranges leave gaps between one-decimal values (3.0 / 3.1, 999 / 1000 mL); they are
read as continuous, each upper limit inclusive: liver 2 <= b <= 3 -> 1, 3 < b <= 6 -> 2,
6 < b <= 15 -> 3, b > 15 -> 4; stool 500 <= v < 1000 -> 1, 1000 <= v <= 1500 -> 2, v > 1500 -> 3;
skin 0 < x < 25 -> 1, 25 <= x <= 50 -> 2, x > 50 -> 3. When stool volume and episodes are both
given, the higher stage counts (the table says "or").

Overall grade: 0 no organ involved; I skin 1-2 only; II skin 3 and/or liver 1 and/or upper GI 1
and/or lower GI 1; III liver 2-3 and/or lower GI 2-3; IV skin, liver or lower GI stage 4.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

from adverse_events.domain.types import (
    GradingInputError,
    GvhdResult,
    RuleTableError,
    check,
    join_drivers,
)

__all__ = [
    "LIVER_BILIRUBIN_MG_DL_ROWS",
    "LOWER_GI_EPISODE_ROWS",
    "LOWER_GI_STOOL_ML_ROWS",
    "ORGAN_STAGE_GRADE",
    "SCALE",
    "SKIN_BSA_PCT_ROWS",
    "SOURCE",
    "grade_agvhd_magic",
    "stage_liver",
    "stage_lower_gi",
    "stage_skin",
    "stage_upper_gi",
    "validate_rows",
]

SCALE = "MAGIC 2016"
SOURCE = (
    "Harris AC et al., MAGIC acute GVHD criteria, Biol Blood Marrow Transplant 2016;22:4-10 "
    "[U: from memory]; clinical-rules.md §11"
)

# (stage, upper limit of the stage, upper limit inclusive); the last row is open-ended (None).
Rows = tuple[tuple[int, Decimal | None, bool], ...]
SKIN_BSA_PCT_ROWS: Rows = (
    (0, Decimal(0), True),
    (1, Decimal(25), False),
    (2, Decimal(50), True),
    (3, None, True),
)
LIVER_BILIRUBIN_MG_DL_ROWS: Rows = (
    (0, Decimal(2), False),
    (1, Decimal(3), True),
    (2, Decimal(6), True),
    (3, Decimal(15), True),
    (4, None, True),
)
LOWER_GI_STOOL_ML_ROWS: Rows = (
    (0, Decimal(500), False),
    (1, Decimal(1000), False),
    (2, Decimal(1500), True),
    (3, None, True),
)
LOWER_GI_EPISODE_ROWS: Rows = (
    (0, Decimal(2), True),
    (1, Decimal(4), True),
    (2, Decimal(7), True),
    (3, None, True),
)
SKIN_BULLAE_STAGE = 4
LOWER_GI_SEVERE_STAGE = 4
# The overall grade each organ stage implies on its own (MAGIC overall-grade rows); the overall
# grade is the highest of them. Index = stage.
ORGAN_STAGE_GRADE: Mapping[str, tuple[int, ...]] = MappingProxyType(
    {
        "skin": (0, 1, 1, 2, 4),
        "liver": (0, 2, 3, 3, 4),
        "upper_gi": (0, 2),
        "lower_gi": (0, 2, 3, 3, 4),
    }
)
STAGE_MAX: Mapping[str, int] = MappingProxyType(
    {organ: len(grades) - 1 for organ, grades in ORGAN_STAGE_GRADE.items()}
)
GRADE_ROMAN = ("0", "I", "II", "III", "IV")


def validate_rows(name: str, rows: Rows) -> None:
    """Stages rise by one from 0, limits rise strictly, the last row is open (RuleTableError)."""
    if not rows or rows[0][0] != 0:
        raise RuleTableError(f"{name}: must start at stage 0")
    for index, (stage, limit, _) in enumerate(rows):
        if stage != index:
            raise RuleTableError(f"{name}[{index}]: stages must rise by one")
        last = index == len(rows) - 1
        if (limit is None) != last:
            raise RuleTableError(f"{name}[{index}]: only the last row is open-ended")
        if index and limit is not None:
            previous = rows[index - 1][1]
            if previous is not None and limit <= previous:
                raise RuleTableError(f"{name}[{index}]: limits must rise")


for _name, _rows in (
    ("SKIN_BSA_PCT_ROWS", SKIN_BSA_PCT_ROWS),
    ("LIVER_BILIRUBIN_MG_DL_ROWS", LIVER_BILIRUBIN_MG_DL_ROWS),
    ("LOWER_GI_STOOL_ML_ROWS", LOWER_GI_STOOL_ML_ROWS),
    ("LOWER_GI_EPISODE_ROWS", LOWER_GI_EPISODE_ROWS),
):
    validate_rows(_name, _rows)


def _stage(rows: Rows, value: Decimal) -> int:
    for stage, limit, inclusive in rows:
        if limit is None or value < limit or (inclusive and value == limit):
            return stage
    raise AssertionError("the last row is open-ended")  # pragma: no cover


def stage_skin(
    *, erythema_bsa_pct: float | int | Decimal, bullae_desquamation: bool = False
) -> int:
    """Skin stage 0-4 from active erythema (% body surface area, 0-100). Source: `SOURCE`.

    Stage 4 needs erythema > 50 % with bullae and desquamation > 5 % BSA; bullae with less
    erythema leave the stage to the erythema.
    """
    bsa = check.number(erythema_bsa_pct, "erythema_bsa_pct", minimum=0, maximum=100)
    bullae = check.boolean(bullae_desquamation, "bullae_desquamation")
    stage = _stage(SKIN_BSA_PCT_ROWS, bsa)
    if bullae and stage == 3:
        return SKIN_BULLAE_STAGE
    return stage


def stage_liver(*, bilirubin_mg_dl: float | int | Decimal) -> int:
    """Liver stage 0-4 from total bilirubin in mg/dL. Source: `SOURCE`."""
    return _stage(
        LIVER_BILIRUBIN_MG_DL_ROWS, check.non_negative(bilirubin_mg_dl, "bilirubin_mg_dl")
    )


def stage_upper_gi(*, persistent_nausea: bool) -> int:
    """Upper GI stage 0-1: persistent nausea, vomiting or anorexia -> 1. Source: `SOURCE`."""
    return 1 if check.boolean(persistent_nausea, "persistent_nausea") else 0


def stage_lower_gi(
    *,
    stool_ml_per_day: float | int | Decimal | None = None,
    episodes_per_day: int | None = None,
    severe_pain_or_ileus_or_bloody: bool = False,
) -> int:
    """Lower GI stage 0-4 (adults) from stool volume (mL/day) or episodes/day. Source: `SOURCE`.

    Severe abdominal pain with or without ileus, or grossly bloody stool -> 4 whatever the volume.
    Otherwise at least one of `stool_ml_per_day` and `episodes_per_day` is required; with both,
    the higher stage counts.
    """
    severe = check.boolean(severe_pain_or_ileus_or_bloody, "severe_pain_or_ileus_or_bloody")
    stages: list[int] = []
    if stool_ml_per_day is not None:
        stool = check.non_negative(stool_ml_per_day, "stool_ml_per_day")
        stages.append(_stage(LOWER_GI_STOOL_ML_ROWS, stool))
    if episodes_per_day is not None:
        episodes = check.integer(episodes_per_day, "episodes_per_day", minimum=0)
        stages.append(_stage(LOWER_GI_EPISODE_ROWS, Decimal(episodes)))
    if severe:
        return LOWER_GI_SEVERE_STAGE
    if not stages:
        raise GradingInputError(
            "stool_ml_per_day", "stool_ml_per_day or episodes_per_day is required"
        )
    return max(stages)


def grade_agvhd_magic(*, skin: int, liver: int, upper_gi: int, lower_gi: int) -> GvhdResult:
    """Overall MAGIC acute GvHD grade 0-4 (0, I-IV) from the organ stages. Source: `SOURCE`.

    `skin`, `liver`, `lower_gi` are stages 0-4 and `upper_gi` 0-1; `.driver` names the organ(s)
    that set the grade.
    """
    stages = {
        "skin": check.integer(skin, "skin", minimum=0, maximum=STAGE_MAX["skin"]),
        "liver": check.integer(liver, "liver", minimum=0, maximum=STAGE_MAX["liver"]),
        "upper_gi": check.integer(upper_gi, "upper_gi", minimum=0, maximum=STAGE_MAX["upper_gi"]),
        "lower_gi": check.integer(lower_gi, "lower_gi", minimum=0, maximum=STAGE_MAX["lower_gi"]),
    }
    organ_grades = {organ: ORGAN_STAGE_GRADE[organ][stage] for organ, stage in stages.items()}
    grade = max(organ_grades.values())
    drivers = [
        organ for organ, organ_grade in organ_grades.items() if grade and organ_grade == grade
    ]
    roman = GRADE_ROMAN[grade]
    staging = ", ".join(f"{organ} {stage}" for organ, stage in stages.items())
    return GvhdResult(
        grade=grade,
        driver=join_drivers(drivers),
        scale=SCALE,
        reasons=(f"stages {staging} -> overall grade {roman}",),
        skin_stage=stages["skin"],
        liver_stage=stages["liver"],
        upper_gi_stage=stages["upper_gi"],
        lower_gi_stage=stages["lower_gi"],
    )
