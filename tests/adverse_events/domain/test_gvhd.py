"""MAGIC acute GvHD staging and overall grade (clinical-rules.md §11): every stage edge, every
overall-grade row, bad input and table checks."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest

from adverse_events.domain.gvhd import (
    SCALE,
    grade_agvhd_magic,
    stage_liver,
    stage_lower_gi,
    stage_skin,
    stage_upper_gi,
    validate_rows,
)
from adverse_events.domain.types import RuleTableError

# --- skin -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bsa", "stage"),
    [(0, 0), (0.1, 1), (24.9, 1), (25, 2), (50, 2), (50.1, 3), (100, 3), (Decimal("25.0"), 2)],
)
def test_skin_stage_follows_bsa_edges_when_no_bullae(bsa: float, stage: int) -> None:
    assert stage_skin(erythema_bsa_pct=bsa) == stage


@pytest.mark.parametrize(("bsa", "stage"), [(50.1, 4), (100, 4), (50, 2), (10, 1), (0, 0)])
def test_bullae_reach_stage_4_only_when_erythema_over_50_pct(bsa: float, stage: int) -> None:
    assert stage_skin(erythema_bsa_pct=bsa, bullae_desquamation=True) == stage


@pytest.mark.parametrize("bsa", [-0.1, 100.1, math.nan, None, "30", True])
def test_rejects_bsa_when_outside_0_to_100(bsa: Any) -> None:
    with pytest.raises(ValueError, match=r"^erythema_bsa_pct"):
        stage_skin(erythema_bsa_pct=bsa)


@pytest.mark.parametrize("bullae", [1, None, "yes"])
def test_rejects_bullae_flag_when_not_a_bool(bullae: Any) -> None:
    with pytest.raises(ValueError, match=r"^bullae_desquamation"):
        stage_skin(erythema_bsa_pct=60, bullae_desquamation=bullae)


# --- liver ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bilirubin", "stage"),
    [
        (0, 0), (1.99, 0), (2, 1), (3, 1), (3.05, 2), (3.1, 2), (6, 2), (6.05, 3), (6.1, 3),
        (15, 3), (15.01, 4), (30, 4),
    ],
)  # fmt: skip
def test_liver_stage_follows_bilirubin_edges_when_mg_dl(bilirubin: float, stage: int) -> None:
    assert stage_liver(bilirubin_mg_dl=bilirubin) == stage


@pytest.mark.parametrize("bilirubin", [-0.1, math.inf, None, "2"])
def test_rejects_bilirubin_when_not_a_non_negative_number(bilirubin: Any) -> None:
    with pytest.raises(ValueError, match=r"^bilirubin_mg_dl"):
        stage_liver(bilirubin_mg_dl=bilirubin)


# --- upper GI -------------------------------------------------------------------------------


@pytest.mark.parametrize(("persistent", "stage"), [(False, 0), (True, 1)])
def test_upper_gi_stage_follows_flag_when_bool(persistent: bool, stage: int) -> None:
    assert stage_upper_gi(persistent_nausea=persistent) == stage


@pytest.mark.parametrize("persistent", [1, None, "yes"])
def test_rejects_upper_gi_flag_when_not_a_bool(persistent: Any) -> None:
    with pytest.raises(ValueError, match=r"^persistent_nausea"):
        stage_upper_gi(persistent_nausea=persistent)


# --- lower GI -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stool", "stage"),
    [(0, 0), (499, 0), (500, 1), (999, 1), (999.5, 1), (1000, 2), (1500, 2), (1501, 3)],
)
def test_lower_gi_stage_follows_volume_edges_when_volume_given(stool: float, stage: int) -> None:
    assert stage_lower_gi(stool_ml_per_day=stool) == stage


@pytest.mark.parametrize(
    ("episodes", "stage"), [(0, 0), (2, 0), (3, 1), (4, 1), (5, 2), (7, 2), (8, 3), (20, 3)]
)
def test_lower_gi_stage_follows_episode_edges_when_episodes_given(
    episodes: int, stage: int
) -> None:
    assert stage_lower_gi(episodes_per_day=episodes) == stage


def test_lower_gi_takes_higher_stage_when_volume_and_episodes_disagree() -> None:
    assert stage_lower_gi(stool_ml_per_day=600, episodes_per_day=6) == 2


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"stool_ml_per_day": 200}, {"episodes_per_day": 1}],
)
def test_lower_gi_is_stage_4_when_severe_pain_ileus_or_bloody_stool(kwargs: dict[str, Any]) -> None:
    assert stage_lower_gi(severe_pain_or_ileus_or_bloody=True, **kwargs) == 4


def test_rejects_lower_gi_when_no_volume_or_episodes() -> None:
    with pytest.raises(ValueError, match=r"^stool_ml_per_day"):
        stage_lower_gi()


@pytest.mark.parametrize("stool", [-1, math.nan, "600"])
def test_rejects_stool_volume_when_not_a_non_negative_number(stool: Any) -> None:
    with pytest.raises(ValueError, match=r"^stool_ml_per_day"):
        stage_lower_gi(stool_ml_per_day=stool)


@pytest.mark.parametrize("episodes", [-1, 3.5, True, "4"])
def test_rejects_episodes_when_not_a_non_negative_int(episodes: Any) -> None:
    with pytest.raises(ValueError, match=r"^episodes_per_day"):
        stage_lower_gi(episodes_per_day=episodes)


def test_rejects_severe_flag_when_not_a_bool() -> None:
    with pytest.raises(ValueError, match=r"^severe_pain_or_ileus_or_bloody"):
        stage_lower_gi(stool_ml_per_day=100, severe_pain_or_ileus_or_bloody=1)  # type: ignore[arg-type]


# --- overall grade ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("skin", "liver", "upper_gi", "lower_gi", "grade", "driver"),
    [
        pytest.param(0, 0, 0, 0, 0, "none", id="no-organ"),
        pytest.param(1, 0, 0, 0, 1, "skin", id="I-skin-1"),
        pytest.param(2, 0, 0, 0, 1, "skin", id="I-skin-2"),
        pytest.param(3, 0, 0, 0, 2, "skin", id="II-skin-3"),
        pytest.param(0, 1, 0, 0, 2, "liver", id="II-liver-1"),
        pytest.param(0, 0, 1, 0, 2, "upper_gi", id="II-upper-gi-1"),
        pytest.param(0, 0, 0, 1, 2, "lower_gi", id="II-lower-gi-1"),
        pytest.param(2, 0, 1, 0, 2, "upper_gi", id="II-skin-2-plus-upper-gi"),
        pytest.param(1, 1, 0, 0, 2, "liver", id="II-skin-1-plus-liver-1"),
        pytest.param(0, 2, 0, 0, 3, "liver", id="III-liver-2"),
        pytest.param(0, 3, 0, 0, 3, "liver", id="III-liver-3"),
        pytest.param(0, 0, 0, 2, 3, "lower_gi", id="III-lower-gi-2"),
        pytest.param(0, 0, 0, 3, 3, "lower_gi", id="III-lower-gi-3"),
        pytest.param(3, 2, 1, 0, 3, "liver", id="III-with-skin-3-upper-gi-1"),
        pytest.param(4, 0, 0, 0, 4, "skin", id="IV-skin-4"),
        pytest.param(0, 4, 0, 0, 4, "liver", id="IV-liver-4"),
        pytest.param(0, 0, 0, 4, 4, "lower_gi", id="IV-lower-gi-4"),
        pytest.param(0, 0, 1, 4, 4, "lower_gi", id="IV-with-upper-gi-1"),
        pytest.param(3, 1, 1, 1, 2, "skin+liver+upper_gi+lower_gi", id="II-tie"),
        pytest.param(0, 3, 0, 2, 3, "liver+lower_gi", id="III-tie"),
    ],
)
def test_overall_grade_follows_magic_row_when_organ_stages_given(
    skin: int, liver: int, upper_gi: int, lower_gi: int, grade: int, driver: str
) -> None:
    result = grade_agvhd_magic(skin=skin, liver=liver, upper_gi=upper_gi, lower_gi=lower_gi)
    assert (result.grade, result.driver) == (grade, driver)


@pytest.mark.parametrize(
    ("organ", "bad"),
    [
        ("skin", 5),
        ("skin", -1),
        ("liver", 5),
        ("upper_gi", 2),
        ("lower_gi", 5),
        ("lower_gi", True),
        ("skin", 1.0),
        ("liver", None),
    ],
)
def test_rejects_stage_when_outside_organ_range(organ: str, bad: Any) -> None:
    stages: dict[str, Any] = {"skin": 0, "liver": 0, "upper_gi": 0, "lower_gi": 0, organ: bad}
    with pytest.raises(ValueError, match=rf"^{organ}"):
        grade_agvhd_magic(**stages)


def test_result_carries_stages_and_scale_when_graded() -> None:
    result = grade_agvhd_magic(
        skin=stage_skin(erythema_bsa_pct=30),
        liver=stage_liver(bilirubin_mg_dl=4),
        upper_gi=stage_upper_gi(persistent_nausea=True),
        lower_gi=stage_lower_gi(stool_ml_per_day=300),
    )
    assert (result.grade, result.scale) == (3, SCALE)
    assert SCALE == "MAGIC 2016"
    assert (result.skin_stage, result.liver_stage, result.upper_gi_stage) == (2, 2, 1)
    assert result.lower_gi_stage == 0
    assert "III" in result.reasons[0]


def test_arguments_are_keyword_only_when_called_positionally() -> None:
    with pytest.raises(TypeError):
        grade_agvhd_magic(1, 0, 0, 0)  # type: ignore[call-arg]


# --- rule tables ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param((), id="empty"),
        pytest.param(((1, Decimal(2), True), (2, None, True)), id="not-from-stage-0"),
        pytest.param(((0, Decimal(2), True), (2, None, True)), id="skipped-stage"),
        pytest.param(((0, Decimal(2), True), (1, Decimal(1), True), (2, None, True)), id="falling"),
        pytest.param(((0, Decimal(2), True), (1, Decimal(3), True)), id="closed-top"),
        pytest.param(((0, None, True), (1, None, True)), id="open-middle"),
    ],
)
def test_stage_table_check_fails_when_table_is_broken(rows: Any) -> None:
    with pytest.raises(RuleTableError):
        validate_rows("broken", rows)
