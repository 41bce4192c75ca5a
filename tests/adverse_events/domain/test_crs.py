"""ASTCT 2019 CRS grading (clinical-rules.md §1): vectors, every boundary, bad input."""

from __future__ import annotations

import dataclasses
import math
from decimal import Decimal
from typing import Any

import pytest

from adverse_events.domain.crs import OXYGEN_DEVICES, SCALE, grade_crs
from tests.vectors import resolve, vector_params

FEVER = 38.5


@pytest.mark.parametrize("vector", vector_params("crs_grade"))
def test_grade_matches_published_value_when_shared_vector(vector: dict[str, Any]) -> None:
    result = resolve(vector["function"])(**vector["kwargs"])
    assert result.grade == vector["expected"]["grade"]


# --- fever ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("temperature_c", "expected"),
    [
        pytest.param(38.0, 1, id="38.0-is-fever"),
        pytest.param(Decimal("38.0"), 1, id="decimal-38.0-is-fever"),
        pytest.param(37.99, 0, id="37.99-is-not"),
        pytest.param(37.9, 0, id="37.9-is-not"),
        pytest.param(45, 1, id="upper-plausible-45"),
        pytest.param(30, 0, id="lower-plausible-30"),
    ],
)
def test_fever_threshold_is_inclusive_when_temperature_on_edge(
    temperature_c: float, expected: int
) -> None:
    assert grade_crs(temperature_c=temperature_c).grade == expected


def test_grade_is_zero_when_afebrile_even_with_hypoxia() -> None:
    result = grade_crs(temperature_c=37.5, oxygen_device="bipap")
    assert (result.grade, result.driver, result.fever) == (0, "none", False)


def test_masked_fever_counts_when_fever_before_therapy() -> None:
    result = grade_crs(temperature_c=36.8, fever_before_therapy=True)
    assert (result.grade, result.driver, result.fever) == (1, "fever", True)


def test_masked_fever_is_graded_on_hypoxia_when_fever_before_therapy() -> None:
    result = grade_crs(temperature_c=37.0, fever_before_therapy=True, oxygen_device="facemask")
    assert (result.grade, result.driver) == (3, "hypoxia")


@pytest.mark.parametrize(
    "temperature_c",
    [29.9, 45.1, -1, 0, 98.6, math.nan, math.inf, None, "38.5", True],
)
def test_rejects_temperature_when_outside_30_to_45_or_not_a_number(temperature_c: Any) -> None:
    with pytest.raises(ValueError, match=r"^temperature_c"):
        grade_crs(temperature_c=temperature_c)


# --- hypotension ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hypotension", "vasopressors", "vasopressin", "domain_grade", "grade"),
    [
        pytest.param(False, 0, False, 0, 1, id="none"),
        pytest.param(True, 0, False, 2, 2, id="no-vasopressor"),
        pytest.param(True, 1, False, 3, 3, id="one-vasopressor"),
        pytest.param(True, 1, True, 3, 3, id="one-plus-vasopressin"),
        pytest.param(True, 0, True, 3, 3, id="vasopressin-alone"),
        pytest.param(True, 2, False, 4, 4, id="two-vasopressors"),
        pytest.param(True, 2, True, 4, 4, id="two-plus-vasopressin"),
        pytest.param(True, 3, False, 4, 4, id="three-vasopressors"),
    ],
)
def test_hypotension_row_sets_grade_when_vasopressor_count_varies(
    hypotension: bool, vasopressors: int, vasopressin: bool, domain_grade: int, grade: int
) -> None:
    result = grade_crs(
        temperature_c=FEVER,
        hypotension=hypotension,
        vasopressors=vasopressors,
        vasopressin=vasopressin,
    )
    assert (result.hypotension_grade, result.grade) == (domain_grade, grade)


def test_vasopressin_never_counts_as_multiple_when_added_to_one_vasopressor() -> None:
    result = grade_crs(temperature_c=FEVER, hypotension=True, vasopressors=1, vasopressin=True)
    assert result.grade == 3


@pytest.mark.parametrize(
    ("vasopressors", "vasopressin"), [pytest.param(1, False), pytest.param(0, True)]
)
def test_rejects_vasopressors_when_hypotension_is_false(
    vasopressors: int, vasopressin: bool
) -> None:
    with pytest.raises(ValueError, match=r"^hypotension"):
        grade_crs(temperature_c=FEVER, vasopressors=vasopressors, vasopressin=vasopressin)


def test_rejects_contradiction_when_afebrile() -> None:
    with pytest.raises(ValueError, match=r"^hypotension"):
        grade_crs(temperature_c=37.0, vasopressors=1)


@pytest.mark.parametrize("vasopressors", [-1, 1.0, True, None, "1"])
def test_rejects_vasopressor_count_when_not_a_non_negative_int(vasopressors: Any) -> None:
    with pytest.raises(ValueError, match=r"^vasopressors"):
        grade_crs(temperature_c=FEVER, hypotension=True, vasopressors=vasopressors)


@pytest.mark.parametrize("argument", ["fever_before_therapy", "hypotension", "vasopressin"])
@pytest.mark.parametrize("value", [1, 0, "yes", None])
def test_rejects_flag_when_not_a_bool(argument: str, value: Any) -> None:
    with pytest.raises(ValueError, match=rf"^{argument}"):
        grade_crs(temperature_c=FEVER, **{argument: value})


# --- hypoxia --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("oxygen_device", "domain_grade", "grade"),
    [
        pytest.param("none", 0, 1),
        pytest.param("blow_by", 2, 2),
        pytest.param("high_flow_nasal_cannula", 3, 3),
        pytest.param("facemask", 3, 3),
        pytest.param("nonrebreather", 3, 3),
        pytest.param("venturi", 3, 3),
        pytest.param("cpap", 4, 4),
        pytest.param("bipap", 4, 4),
        pytest.param("intubation", 4, 4),
    ],
)
def test_device_sets_hypoxia_grade_when_no_flow_needed(
    oxygen_device: str, domain_grade: int, grade: int
) -> None:
    result = grade_crs(temperature_c=FEVER, oxygen_device=oxygen_device)
    assert (result.hypoxia_grade, result.grade) == (domain_grade, grade)


@pytest.mark.parametrize(
    ("flow", "grade"),
    [
        pytest.param(0.5, 2, id="0.5"),
        pytest.param(4, 2, id="4"),
        pytest.param(6, 2, id="6-low-flow"),
        pytest.param(6.0, 2, id="6.0-low-flow"),
        pytest.param(Decimal("6.00000001"), 3, id="just-above-6"),
        pytest.param(6.01, 3, id="6.01"),
        pytest.param(6.1, 3, id="6.1-high-flow"),
        pytest.param(15, 3, id="15"),
    ],
)
def test_nasal_cannula_flow_splits_at_6_l_min_when_flow_on_edge(flow: float, grade: int) -> None:
    result = grade_crs(temperature_c=FEVER, oxygen_device="nasal_cannula", oxygen_flow_l_min=flow)
    assert result.grade == grade


@pytest.mark.parametrize(
    ("oxygen_device", "flow", "grade"),
    [
        pytest.param("facemask", 2, 3, id="facemask-low-flow"),
        pytest.param("high_flow_nasal_cannula", 4, 3, id="hfnc-low-flow"),
        pytest.param("blow_by", 10, 2, id="blow-by-high-flow"),
        pytest.param("cpap", 1, 4, id="cpap"),
    ],
)
def test_device_decides_when_flow_is_given_for_other_devices(
    oxygen_device: str, flow: float, grade: int
) -> None:
    result = grade_crs(temperature_c=FEVER, oxygen_device=oxygen_device, oxygen_flow_l_min=flow)
    assert result.grade == grade


def test_rejects_nasal_cannula_when_flow_missing() -> None:
    with pytest.raises(ValueError, match=r"^oxygen_flow_l_min"):
        grade_crs(temperature_c=FEVER, oxygen_device="nasal_cannula")


@pytest.mark.parametrize("flow", [0, -1, math.nan, "4", True])
def test_rejects_nasal_cannula_flow_when_not_positive_number(flow: Any) -> None:
    with pytest.raises(ValueError, match=r"^oxygen_flow_l_min"):
        grade_crs(temperature_c=FEVER, oxygen_device="nasal_cannula", oxygen_flow_l_min=flow)


def test_rejects_flow_when_no_oxygen_device() -> None:
    with pytest.raises(ValueError, match=r"^oxygen_flow_l_min"):
        grade_crs(temperature_c=FEVER, oxygen_flow_l_min=2)


def test_accepts_zero_flow_when_no_oxygen_device() -> None:
    assert grade_crs(temperature_c=FEVER, oxygen_flow_l_min=0).grade == 1


@pytest.mark.parametrize("oxygen_device", ["mask", "", "NASAL_CANNULA", None, "room_air"])
def test_rejects_device_when_unknown_code(oxygen_device: Any) -> None:
    with pytest.raises(ValueError, match=r"^oxygen_device"):
        grade_crs(temperature_c=FEVER, oxygen_device=oxygen_device)


def test_device_codes_match_domain_api_when_listed() -> None:
    assert set(OXYGEN_DEVICES) == {
        "none", "nasal_cannula", "blow_by", "high_flow_nasal_cannula", "facemask",
        "nonrebreather", "venturi", "cpap", "bipap", "intubation",
    }  # fmt: skip


# --- combination, driver, result --------------------------------------------------------------


def test_more_severe_domain_wins_when_published_example() -> None:
    result = grade_crs(
        temperature_c=39.5,
        hypotension=True,
        vasopressors=1,
        oxygen_device="nasal_cannula",
        oxygen_flow_l_min=3,
    )
    assert (result.grade, result.driver) == (3, "hypotension")


def test_driver_names_hypoxia_when_hypoxia_is_worse() -> None:
    result = grade_crs(temperature_c=FEVER, hypotension=True, oxygen_device="intubation")
    assert (result.grade, result.driver) == (4, "hypoxia")


def test_driver_names_both_when_domains_tie() -> None:
    result = grade_crs(
        temperature_c=FEVER, hypotension=True, vasopressors=1, oxygen_device="venturi"
    )
    assert (result.grade, result.driver) == (3, "hypotension+hypoxia")


def test_result_states_scale_and_reasons_when_graded() -> None:
    result = grade_crs(temperature_c=FEVER, hypotension=True)
    assert result.scale == SCALE == "ASTCT 2019"
    assert len(result.reasons) == 3
    assert all(isinstance(reason, str) and reason for reason in result.reasons)


def test_result_is_frozen_when_created() -> None:
    result = grade_crs(temperature_c=FEVER)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.grade = 4  # type: ignore[misc]


def test_arguments_are_keyword_only_when_called_positionally() -> None:
    with pytest.raises(TypeError):
        grade_crs(38.5)  # type: ignore[call-arg]


def test_grade_five_is_never_computed_when_worst_findings() -> None:
    result = grade_crs(
        temperature_c=41.0, hypotension=True, vasopressors=4, oxygen_device="intubation"
    )
    assert result.grade == 4
