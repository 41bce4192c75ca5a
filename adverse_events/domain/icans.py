"""Immune effector cell-associated neurotoxicity syndrome (ICANS) grade for adults, ASTCT 2019.

Source: Lee DW et al., Biol Blood Marrow Transplant 2019;25:625-638; ICANS table as reproduced in
PMC8403007 Table 4 (with the note on ICE 0: aphasia vs unarousable) and PMC7990806 Table 2; ICE
items per PMC8153820 Table 2 (clinical-rules.md §2).

Domain grades (the grade is the highest of them):

* ICE score 10 -> 0; 7-9 -> 1; 3-6 -> 2; 0-2 -> 3; 0 in an unarousable patient -> 4.
* Depressed level of consciousness: alert 0; awakens spontaneously 1; to voice 2; only to tactile
  stimulus 3; unarousable (or vigorous/repetitive stimuli, stupor, coma) 4.
* Seizure: rapidly resolving clinical seizure, or non-convulsive seizure on EEG resolving with
  intervention 3; prolonged (> 5 min) or repetitive without return to baseline 4.
* Motor: deep focal motor weakness (hemiparesis, paraparesis) 4.
* Elevated ICP / cerebral edema: focal 3; diffuse (or posturing, CN VI palsy, papilledema,
  Cushing's triad) 4.

Only findings not attributable to another cause are entered (investigator attestation).
Tremor and myoclonus do not change ICANS (CTCAE). Paediatric CAPD is out of scope.

ICE input: either `ice_score` (0-10) or `ice_items` (the five item scores, each range-checked); if
both are given they must agree. ICE may be omitted only when the patient is unarousable (ICE cannot
be performed); otherwise a missing ICE is an error, never a silent 0. An ICE above 0 in an
unarousable patient is contradictory and rejected.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from adverse_events.domain.types import (
    GradingInputError,
    IcansResult,
    RuleTableError,
    check,
    join_drivers,
)

__all__ = [
    "CEREBRAL_EDEMA_GRADE",
    "CONSCIOUSNESS_GRADE",
    "ICE_ITEM_MAX",
    "ICE_SCORE_BANDS",
    "MOTOR_GRADE",
    "SCALE",
    "SEIZURE_GRADE",
    "SOURCE",
    "grade_icans",
]

SCALE = "ASTCT 2019"
SOURCE = (
    "Lee DW et al., ASTCT consensus ICANS grading for adults, Biol Blood Marrow Transplant "
    "2019;25:625-638 (PMC8403007 Table 4; PMC7990806 Table 2); ICE items PMC8153820 Table 2; "
    "clinical-rules.md §2"
)

ICE_MAX = 10
# ICE items and their maximum points (orientation: year, month, city, hospital).
ICE_ITEM_MAX: Mapping[str, int] = MappingProxyType(
    {"orientation": 4, "naming": 3, "commands": 1, "writing": 1, "attention": 1}
)
# (lowest ICE, highest ICE, grade); ICE 0 in an unarousable patient is grade 4 (see grade_icans).
ICE_SCORE_BANDS: tuple[tuple[int, int, int], ...] = (
    (10, 10, 0),
    (7, 9, 1),
    (3, 6, 2),
    (0, 2, 3),
)
UNAROUSABLE = "unarousable"
CONSCIOUSNESS_GRADE: Mapping[str, int] = MappingProxyType(
    {
        "alert": 0,
        "awakens_spontaneously": 1,
        "awakens_to_voice": 2,
        "awakens_to_tactile": 3,
        UNAROUSABLE: 4,
    }
)
SEIZURE_GRADE: Mapping[str, int] = MappingProxyType(
    {"none": 0, "rapidly_resolving": 3, "nonconvulsive_resolved": 3, "prolonged": 4}
)
MOTOR_GRADE: Mapping[str, int] = MappingProxyType({"none": 0, "deep_focal_weakness": 4})
CEREBRAL_EDEMA_GRADE: Mapping[str, int] = MappingProxyType({"none": 0, "focal": 3, "diffuse": 4})


def _check_ice_bands() -> None:
    """The ICE bands cover 0-10 once each (fails at import otherwise)."""
    covered = sorted(score for low, high, _ in ICE_SCORE_BANDS for score in range(low, high + 1))
    if covered != list(range(ICE_MAX + 1)):
        raise RuleTableError(f"ICE_SCORE_BANDS must cover 0-{ICE_MAX} exactly once")
    if sum(ICE_ITEM_MAX.values()) != ICE_MAX:
        raise RuleTableError(f"ICE_ITEM_MAX must add up to {ICE_MAX}")


_check_ice_bands()


def _ice_from_items(ice_items: object) -> int:
    if not isinstance(ice_items, Mapping):
        raise GradingInputError("ice_items", f"must be a mapping of item scores; got {ice_items!r}")
    unknown = sorted(str(key) for key in ice_items if key not in ICE_ITEM_MAX)
    if unknown:
        raise GradingInputError(
            "ice_items",
            f"unknown item(s) {', '.join(unknown)}; expected {', '.join(ICE_ITEM_MAX)}",
        )
    total = 0
    for item, maximum in ICE_ITEM_MAX.items():
        if item not in ice_items:
            raise GradingInputError(f"ice_items[{item!r}]", "is missing")
        total += check.integer(ice_items[item], f"ice_items[{item!r}]", minimum=0, maximum=maximum)
    return total


def _ice_grade(ice: int, *, unarousable: bool) -> int:
    if ice == 0 and unarousable:
        return 4
    for low, high, grade in ICE_SCORE_BANDS:
        if low <= ice <= high:
            return grade
    raise AssertionError(f"ICE {ice} not covered by ICE_SCORE_BANDS")  # pragma: no cover


def grade_icans(
    *,
    ice_score: int | None = None,
    ice_items: Mapping[str, int] | None = None,
    consciousness: str = "alert",
    seizure: str = "none",
    motor: str = "none",
    cerebral_edema: str = "none",
) -> IcansResult:
    """Grade adult ICANS 0-4 by ASTCT 2019 (see the module docstring); source: `SOURCE`.

    `ice_score` is the ICE total 0-10; `ice_items` maps orientation (0-4), naming (0-3),
    commands, writing and attention (0-1 each) to points. The result carries `.ice_score`.
    """
    level = check.choice(consciousness, "consciousness", CONSCIOUSNESS_GRADE)
    seizure_code = check.choice(seizure, "seizure", SEIZURE_GRADE)
    motor_code = check.choice(motor, "motor", MOTOR_GRADE)
    edema_code = check.choice(cerebral_edema, "cerebral_edema", CEREBRAL_EDEMA_GRADE)
    unarousable = level == UNAROUSABLE

    given_score = (
        None
        if ice_score is None
        else check.integer(ice_score, "ice_score", minimum=0, maximum=ICE_MAX)
    )
    item_score = None if ice_items is None else _ice_from_items(ice_items)
    if given_score is not None and item_score is not None and given_score != item_score:
        raise GradingInputError(
            "ice_score",
            f"{given_score} disagrees with the ICE items, which add up to {item_score}",
        )
    ice = given_score if given_score is not None else item_score
    if ice is None and not unarousable:
        raise GradingInputError(
            "ice_score",
            "ice_score or ice_items is required unless the patient is unarousable",
        )
    if ice is not None and ice > 0 and unarousable:
        raise GradingInputError(
            "consciousness",
            f"is 'unarousable' but the ICE score is {ice} (an unarousable patient scores 0)",
        )

    domains: list[tuple[str, int, str]] = []
    if ice is None:
        domains.append(("ice_score", 0, "ICE not performed: patient unarousable"))
    else:
        ice_grade = _ice_grade(ice, unarousable=unarousable)
        detail = " in an unarousable patient" if ice == 0 and unarousable else ""
        domains.append(("ice_score", ice_grade, f"ICE {ice}/10{detail} -> {ice_grade}"))
    for name, code, table in (
        ("consciousness", level, CONSCIOUSNESS_GRADE),
        ("seizure", seizure_code, SEIZURE_GRADE),
        ("motor", motor_code, MOTOR_GRADE),
        ("cerebral_edema", edema_code, CEREBRAL_EDEMA_GRADE),
    ):
        domains.append((name, table[code], f"{name} {code} -> {table[code]}"))

    grade = max(domain_grade for _, domain_grade, _ in domains)
    drivers = [name for name, domain_grade, _ in domains if grade and domain_grade == grade]
    return IcansResult(
        grade=grade,
        driver=join_drivers(drivers),
        scale=SCALE,
        reasons=tuple(reason for _, _, reason in domains),
        ice_score=ice,
    )
