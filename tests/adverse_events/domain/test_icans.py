"""ASTCT 2019 adult ICANS grading (clinical-rules.md §2): vectors, every boundary, bad input."""

from __future__ import annotations

from typing import Any

import pytest

from adverse_events.domain.icans import (
    CEREBRAL_EDEMA_GRADE,
    CONSCIOUSNESS_GRADE,
    MOTOR_GRADE,
    SCALE,
    SEIZURE_GRADE,
    grade_icans,
)
from tests.vectors import resolve, vector_params

FULL_ITEMS = {"orientation": 4, "naming": 3, "commands": 1, "writing": 1, "attention": 1}


@pytest.mark.parametrize("vector", vector_params("icans_grade"))
def test_grade_matches_published_value_when_shared_vector(vector: dict[str, Any]) -> None:
    result = resolve(vector["function"])(**vector["kwargs"])
    for field, expected in vector["expected"].items():
        assert getattr(result, field) == expected


# --- ICE score ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ice_score", "grade"),
    [(10, 0), (9, 1), (8, 1), (7, 1), (6, 2), (5, 2), (4, 2), (3, 2), (2, 3), (1, 3), (0, 3)],
)
def test_ice_band_sets_grade_when_patient_alert(ice_score: int, grade: int) -> None:
    result = grade_icans(ice_score=ice_score)
    assert (result.grade, result.ice_score) == (grade, ice_score)


def test_ice_zero_is_grade_4_when_unarousable() -> None:
    result = grade_icans(ice_score=0, consciousness="unarousable")
    assert (result.grade, result.driver) == (4, "ice_score+consciousness")


@pytest.mark.parametrize(
    "consciousness", ["alert", "awakens_spontaneously", "awakens_to_voice", "awakens_to_tactile"]
)
def test_ice_zero_is_grade_3_when_patient_arousable(consciousness: str) -> None:
    assert grade_icans(ice_score=0, consciousness=consciousness).grade == 3


def test_ice_is_optional_when_unarousable() -> None:
    result = grade_icans(consciousness="unarousable")
    assert (result.grade, result.ice_score, result.driver) == (4, None, "consciousness")


def test_rejects_missing_ice_when_patient_arousable() -> None:
    with pytest.raises(ValueError, match=r"^ice_score"):
        grade_icans(consciousness="awakens_to_voice")


@pytest.mark.parametrize("ice_score", [1, 7, 10])
def test_rejects_positive_ice_when_unarousable(ice_score: int) -> None:
    with pytest.raises(ValueError, match=r"^consciousness"):
        grade_icans(ice_score=ice_score, consciousness="unarousable")


@pytest.mark.parametrize("ice_score", [-1, 11, 7.0, 6.5, True, "7"])
def test_rejects_ice_score_when_not_an_int_0_to_10(ice_score: Any) -> None:
    with pytest.raises(ValueError, match=r"^ice_score"):
        grade_icans(ice_score=ice_score)


# --- ICE items ------------------------------------------------------------------------------


def test_ice_is_summed_when_given_as_items() -> None:
    items = {"orientation": 2, "naming": 1, "commands": 1, "writing": 0, "attention": 0}
    result = grade_icans(ice_items=items)
    assert (result.ice_score, result.grade) == (4, 2)


def test_full_items_give_grade_0_when_all_points_scored() -> None:
    result = grade_icans(ice_items=FULL_ITEMS)
    assert (result.ice_score, result.grade, result.driver) == (10, 0, "none")


@pytest.mark.parametrize(
    ("item", "maximum"),
    [("orientation", 4), ("naming", 3), ("commands", 1), ("writing", 1), ("attention", 1)],
)
def test_item_accepts_range_edges_when_zero_or_maximum(item: str, maximum: int) -> None:
    for points in (0, maximum):
        items = {**FULL_ITEMS, item: points}
        assert grade_icans(ice_items=items).ice_score == 10 - FULL_ITEMS[item] + points


@pytest.mark.parametrize(
    ("item", "points"),
    [
        ("orientation", 5),
        ("orientation", -1),
        ("naming", 4),
        ("naming", -1),
        ("commands", 2),
        ("writing", 2),
        ("attention", 2),
        ("attention", -1),
        ("naming", 1.0),
        ("commands", True),
        ("writing", None),
    ],
)
def test_rejects_item_when_outside_its_range(item: str, points: Any) -> None:
    with pytest.raises(ValueError, match=rf"^ice_items\['{item}'\]"):
        grade_icans(ice_items={**FULL_ITEMS, item: points})


def test_rejects_items_when_one_is_missing() -> None:
    items = {k: v for k, v in FULL_ITEMS.items() if k != "naming"}
    with pytest.raises(ValueError, match=r"^ice_items\['naming'\]"):
        grade_icans(ice_items=items)


def test_rejects_items_when_unknown_item() -> None:
    with pytest.raises(ValueError, match=r"^ice_items"):
        grade_icans(ice_items={**FULL_ITEMS, "memory": 1})


@pytest.mark.parametrize("ice_items", [[4, 3, 1, 1, 1], 10, "orientation"])
def test_rejects_items_when_not_a_mapping(ice_items: Any) -> None:
    with pytest.raises(ValueError, match=r"^ice_items"):
        grade_icans(ice_items=ice_items)


def test_accepts_both_when_score_and_items_agree() -> None:
    assert grade_icans(ice_score=10, ice_items=FULL_ITEMS).ice_score == 10


def test_rejects_both_when_score_and_items_disagree() -> None:
    with pytest.raises(ValueError, match=r"^ice_score"):
        grade_icans(ice_score=9, ice_items=FULL_ITEMS)


# --- other domains --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("consciousness", "grade"),
    [
        ("alert", 0),
        ("awakens_spontaneously", 1),
        ("awakens_to_voice", 2),
        ("awakens_to_tactile", 3),
    ],
)
def test_consciousness_row_sets_grade_when_ice_normal(consciousness: str, grade: int) -> None:
    assert grade_icans(ice_score=10, consciousness=consciousness).grade == grade


@pytest.mark.parametrize(
    ("seizure", "grade"),
    [("none", 0), ("rapidly_resolving", 3), ("nonconvulsive_resolved", 3), ("prolonged", 4)],
)
def test_seizure_row_sets_grade_when_ice_normal(seizure: str, grade: int) -> None:
    assert grade_icans(ice_score=10, seizure=seizure).grade == grade


@pytest.mark.parametrize(("motor", "grade"), [("none", 0), ("deep_focal_weakness", 4)])
def test_motor_row_sets_grade_when_ice_normal(motor: str, grade: int) -> None:
    assert grade_icans(ice_score=10, motor=motor).grade == grade


@pytest.mark.parametrize(("cerebral_edema", "grade"), [("none", 0), ("focal", 3), ("diffuse", 4)])
def test_cerebral_edema_row_sets_grade_when_ice_normal(cerebral_edema: str, grade: int) -> None:
    assert grade_icans(ice_score=10, cerebral_edema=cerebral_edema).grade == grade


@pytest.mark.parametrize(
    ("argument", "codes"),
    [
        ("consciousness", CONSCIOUSNESS_GRADE),
        ("seizure", SEIZURE_GRADE),
        ("motor", MOTOR_GRADE),
        ("cerebral_edema", CEREBRAL_EDEMA_GRADE),
    ],
)
@pytest.mark.parametrize("bad_code", ["", "unknown", None, 3])
def test_rejects_domain_code_when_unknown(argument: str, codes: Any, bad_code: Any) -> None:
    assert bad_code not in codes
    with pytest.raises(ValueError, match=rf"^{argument}"):
        grade_icans(ice_score=10, **{argument: bad_code})


def test_domain_codes_match_domain_api_when_listed() -> None:
    assert set(CONSCIOUSNESS_GRADE) == {
        "alert", "awakens_spontaneously", "awakens_to_voice", "awakens_to_tactile", "unarousable",
    }  # fmt: skip
    assert set(SEIZURE_GRADE) == {
        "none",
        "rapidly_resolving",
        "nonconvulsive_resolved",
        "prolonged",
    }
    assert set(MOTOR_GRADE) == {"none", "deep_focal_weakness"}
    assert set(CEREBRAL_EDEMA_GRADE) == {"none", "focal", "diffuse"}


# --- combination, driver, result --------------------------------------------------------------


def test_highest_domain_wins_when_consciousness_worse_than_ice() -> None:
    result = grade_icans(ice_score=8, consciousness="awakens_to_voice")
    assert (result.grade, result.driver) == (2, "consciousness")


def test_ice_drives_when_ice_worse_than_consciousness() -> None:
    result = grade_icans(ice_score=2, consciousness="awakens_spontaneously")
    assert (result.grade, result.driver) == (3, "ice_score")


def test_driver_lists_ties_when_domains_reach_same_grade() -> None:
    result = grade_icans(ice_score=1, seizure="rapidly_resolving", cerebral_edema="focal")
    assert (result.grade, result.driver) == (3, "ice_score+seizure+cerebral_edema")


def test_result_states_scale_and_reasons_when_graded() -> None:
    result = grade_icans(ice_score=5)
    assert result.scale == SCALE == "ASTCT 2019"
    assert len(result.reasons) == 5


def test_arguments_are_keyword_only_when_called_positionally() -> None:
    with pytest.raises(TypeError):
        grade_icans(10)  # type: ignore[call-arg]
