"""Tests for edc.domain.calculators: published vectors, every category edge, and bad input.

Expected values not taken from the shared vectors were computed by hand from the formulas in
clinical-rules.md §7-§8 (4 decimals) and are compared with an absolute tolerance of 0.01.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from edc.domain.calculators import (
    BILAG2004_SYSTEMS,
    ESSDAI_DOMAINS,
    ESSDAI_MAX,
    MRSS_SITES,
    SLEDAI2K_MAX,
    SLEDAI2K_WEIGHTS,
    SOURCES,
    ArgumentError,
    age_years,
    bilag2004_counts,
    bilag2004_numeric,
    bsa_mosteller,
    cdai,
    cdai_category,
    ckd_epi_2021,
    cockcroft_gault,
    das28_category,
    das28_crp,
    das28_esr,
    essdai_total,
    mrss_total,
    sdai,
    sdai_category,
    sledai2k_clinical,
    sledai2k_total,
)
from tests.vectors import resolve, vector_params

VECTOR_GROUPS = (
    "cockcroft_gault",
    "ckd_epi_2021",
    "das28_esr",
    "das28_crp",
    "cdai",
    "bsa_mosteller",
    "sledai2k_total",
    "essdai_total",
)

# ---------------------------------------------------------------------------------------------
# Shared published vectors
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("vector", [p for group in VECTOR_GROUPS for p in vector_params(group)])
def test_calculator_matches_published_value_when_vector_given(vector: dict[str, Any]) -> None:
    result = resolve(vector["function"])(**vector["kwargs"])
    expected = vector["expected"]["value"]
    if isinstance(result, int):
        assert result == expected
    else:
        tolerance = vector.get("tolerance", vector["expected"].get("tolerance", 0.01))
        assert result == pytest.approx(expected, abs=tolerance)


@pytest.mark.parametrize(
    "name",
    [
        "cockcroft_gault",
        "ckd_epi_2021",
        "das28_esr",
        "das28_crp",
        "das28_category",
        "cdai",
        "sdai",
        "bsa_mosteller",
        "sledai2k_total",
        "sledai2k_clinical",
        "bilag2004_numeric",
        "bilag2004_counts",
        "mrss_total",
        "essdai_total",
    ],
)
def test_sources_name_a_label_and_citation_when_calculator_public(name: str) -> None:
    assert SOURCES[name].label
    assert SOURCES[name].citation


# ---------------------------------------------------------------------------------------------
# Cockcroft-Gault
# ---------------------------------------------------------------------------------------------

CG_BASE: dict[str, Any] = {
    "age_years": 40,
    "weight_kg": 70,
    "creatinine": 1.0,
    "creatinine_unit": "mg/dL",
    "sex": "M",
}


@pytest.mark.parametrize(
    ("age", "weight", "creatinine", "unit", "sex", "expected"),
    [
        (40, 70, 1.0, "mg/dL", "F", 82.6389),
        (18, 70, 1.0, "mg/dL", "M", 118.6111),
        (120, 70, 1.0, "mg/dL", "M", 19.4444),
        (30, 50, 0.5, "mg/dL", "F", 129.8611),
        (60, 80, 2.0, "mg/dL", "M", 44.4444),
        (40, 70, 88.4, "umol/L", "M", 97.2222),
    ],
)
def test_cockcroft_gault_returns_hand_computed_value_when_inputs_valid(
    age: float, weight: float, creatinine: float, unit: str, sex: str, expected: float
) -> None:
    result = cockcroft_gault(
        age_years=age, weight_kg=weight, creatinine=creatinine, creatinine_unit=unit, sex=sex
    )
    assert result == pytest.approx(expected, abs=0.01)


def test_cockcroft_gault_applies_factor_085_when_sex_female() -> None:
    female = cockcroft_gault(**{**CG_BASE, "sex": "F"})
    male = cockcroft_gault(**CG_BASE)
    assert female / male == pytest.approx(0.85)


def test_cockcroft_gault_matches_mg_dl_result_when_creatinine_in_umol_l() -> None:
    in_umol = cockcroft_gault(**{**CG_BASE, "creatinine": 132.6, "creatinine_unit": "umol/L"})
    in_mg = cockcroft_gault(**{**CG_BASE, "creatinine": 1.5})
    assert in_umol == pytest.approx(in_mg, rel=1e-12)


def test_cockcroft_gault_accepts_decimal_when_inputs_are_decimal() -> None:
    result = cockcroft_gault(
        **{
            **CG_BASE,
            "age_years": Decimal(40),
            "weight_kg": Decimal("70.0"),
            "creatinine": Decimal("1.0"),
        }
    )
    assert result == pytest.approx(97.2222, abs=0.01)


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("age_years", 17),
        ("age_years", 17.9),
        ("age_years", 121),
        ("age_years", -1),
        ("age_years", math.nan),
        ("age_years", "40"),
        ("age_years", None),
        ("age_years", True),
        ("weight_kg", 0),
        ("weight_kg", -70),
        ("weight_kg", 701),
        ("weight_kg", math.inf),
        ("weight_kg", Decimal("sNaN")),
        ("creatinine", 0),
        ("creatinine", -0.5),
        ("creatinine", math.nan),
        ("creatinine", None),
        ("creatinine_unit", "mmol/L"),
        ("creatinine_unit", "mg/dl"),
        ("creatinine_unit", None),
        ("sex", "f"),
        ("sex", "X"),
        ("sex", ""),
        ("sex", None),
    ],
)
def test_cockcroft_gault_raises_naming_argument_when_input_invalid(
    argument: str, value: Any
) -> None:
    with pytest.raises(ValueError, match=rf"^{argument}:"):
        cockcroft_gault(**{**CG_BASE, argument: value})


# ---------------------------------------------------------------------------------------------
# CKD-EPI 2021
# ---------------------------------------------------------------------------------------------

CKD_BASE: dict[str, Any] = {
    "age_years": 55,
    "creatinine": 1.0,
    "creatinine_unit": "mg/dL",
    "sex": "M",
}


@pytest.mark.parametrize(
    ("sex", "kappa", "expected"),
    [
        # At SCr == kappa both the min and max terms are 1: 142 x 0.9938^40 (x 1.012 if F).
        ("F", 0.7, 112.0543),
        ("M", 0.9, 110.7256),
    ],
)
def test_ckd_epi_2021_reduces_to_age_term_when_creatinine_equals_kappa(
    sex: str, kappa: float, expected: float
) -> None:
    result = ckd_epi_2021(age_years=40, creatinine=kappa, creatinine_unit="mg/dL", sex=sex)
    assert result == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize(("sex", "kappa"), [("F", 0.7), ("M", 0.9)])
def test_ckd_epi_2021_is_continuous_when_creatinine_crosses_kappa(sex: str, kappa: float) -> None:
    below = ckd_epi_2021(age_years=40, creatinine=kappa - 1e-9, creatinine_unit="mg/dL", sex=sex)
    above = ckd_epi_2021(age_years=40, creatinine=kappa + 1e-9, creatinine_unit="mg/dL", sex=sex)
    assert below == pytest.approx(above, abs=1e-6)


@pytest.mark.parametrize(
    ("age", "creatinine", "sex", "expected"),
    [
        (55, 0.5, "F", 110.6956),  # SCr/kappa < 1 branch, female
        (55, 2.0, "F", 28.9598),  # SCr/kappa > 1 branch, female
        (55, 0.6, "M", 114.0020),  # SCr/kappa < 1 branch, male
        (55, 2.0, "M", 38.6890),  # SCr/kappa > 1 branch, male
        (18, 0.9, "M", 126.9610),  # youngest adult
        (120, 0.9, "M", 67.3236),  # oldest accepted age
    ],
)
def test_ckd_epi_2021_returns_hand_computed_value_when_inputs_valid(
    age: float, creatinine: float, sex: str, expected: float
) -> None:
    result = ckd_epi_2021(age_years=age, creatinine=creatinine, creatinine_unit="mg/dL", sex=sex)
    assert result == pytest.approx(expected, abs=0.01)


def test_ckd_epi_2021_matches_nkf_value_when_creatinine_in_umol_l() -> None:
    # admiral/NKF: 85 umol/L, 65 y, female -> 66 (65.53 unrounded).
    result = ckd_epi_2021(age_years=65, creatinine=85, creatinine_unit="umol/L", sex="F")
    assert result == pytest.approx(65.53, abs=0.01)


def test_ckd_epi_2021_stays_within_factor_difference_when_compared_with_admiral() -> None:
    # admiral's 80.2293 uses 88.42 umol/L per mg/dL; we use 88.4 (clinical-rules.md §7.2).
    result = ckd_epi_2021(age_years=55, creatinine=96.3, creatinine_unit="umol/L", sex="M")
    assert result == pytest.approx(80.2293, abs=0.05)


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("age_years", 17),
        ("age_years", 121),
        ("age_years", math.nan),
        ("creatinine", 0),
        ("creatinine", -1),
        ("creatinine", math.inf),
        ("creatinine_unit", "umol/l"),
        ("creatinine_unit", "mg/L"),
        ("sex", "female"),
        ("sex", "m"),
    ],
)
def test_ckd_epi_2021_raises_naming_argument_when_input_invalid(argument: str, value: Any) -> None:
    with pytest.raises(ValueError, match=rf"^{argument}:"):
        ckd_epi_2021(**{**CKD_BASE, argument: value})


# ---------------------------------------------------------------------------------------------
# Body surface area, Mosteller formula
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("height", "weight", "expected"),
    [(175, 70, 1.8447), (170, 65, 1.7520), (160, 50, 1.4907), (190, 100, 2.2973)],
)
def test_bsa_mosteller_returns_hand_computed_value_when_inputs_valid(
    height: float, weight: float, expected: float
) -> None:
    assert bsa_mosteller(height_cm=height, weight_kg=weight) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("height_cm", 0),
        ("height_cm", -170),
        ("height_cm", 301),
        ("height_cm", math.nan),
        ("height_cm", "170"),
        ("weight_kg", 0),
        ("weight_kg", -1),
        ("weight_kg", 701),
        ("weight_kg", None),
    ],
)
def test_bsa_mosteller_raises_naming_argument_when_input_invalid(argument: str, value: Any) -> None:
    with pytest.raises(ValueError, match=rf"^{argument}:"):
        bsa_mosteller(**{"height_cm": 170, "weight_kg": 65, argument: value})


# ---------------------------------------------------------------------------------------------
# DAS28
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "tjc28", "sjc28", "marker", "global_0_100", "expected"),
    [
        # Three-variable formulas when the patient global is None.
        (das28_esr, 3, 2, 30, None, 4.2065),  # calculator.dev's "3.2" is wrong (§7.3)
        (das28_esr, 3, 2, 30, 0, 3.7468),
        (das28_esr, 0, 0, 1, None, 0.16),
        (das28_esr, 28, 28, 100, None, 8.4420),
        (das28_esr, 28, 28, 100, 100, 9.0685),
        (das28_esr, 4, 3, 28, None, 4.4125),
        (das28_crp, 4, 3, 10, None, 3.8650),
        (das28_crp, 0, 0, 0, 0, 0.96),  # DAS28-CRP(4) minimum
        (das28_crp, 0, 0, 0, None, 1.15),  # DAS28-CRP(3) minimum
        (das28_crp, 28, 28, 100, 100, 8.4663),
        (das28_crp, 28, 28, 100, None, 7.8669),
    ],
)
def test_das28_uses_three_or_four_variable_formula_when_global_none_or_given(
    function: Callable[..., float],
    tjc28: int,
    sjc28: int,
    marker: float,
    global_0_100: float | None,
    expected: float,
) -> None:
    marker_argument = "esr_mm_h" if function is das28_esr else "crp_mg_l"
    result = function(
        tjc28=tjc28, sjc28=sjc28, patient_global_0_100=global_0_100, **{marker_argument: marker}
    )
    assert result == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(
    ("function", "kwargs"),
    [
        (das28_esr, {"tjc28": 28, "sjc28": 0, "esr_mm_h": 0.1, "patient_global_0_100": 100}),
        (das28_esr, {"tjc28": 0, "sjc28": 28, "esr_mm_h": 150, "patient_global_0_100": 0}),
        (das28_crp, {"tjc28": 28, "sjc28": 28, "crp_mg_l": 0, "patient_global_0_100": 100}),
        (das28_crp, {"tjc28": 0, "sjc28": 0, "crp_mg_l": 0.0, "patient_global_0_100": 0.0}),
    ],
)
def test_das28_accepts_input_when_at_range_edge(
    function: Callable[..., float], kwargs: dict[str, Any]
) -> None:
    assert math.isfinite(function(**kwargs))


DAS28_ESR_BASE: dict[str, Any] = {
    "tjc28": 4,
    "sjc28": 3,
    "esr_mm_h": 28,
    "patient_global_0_100": 50,
}
DAS28_CRP_BASE: dict[str, Any] = {
    "tjc28": 4,
    "sjc28": 3,
    "crp_mg_l": 10,
    "patient_global_0_100": 50,
}
COUNT_ERRORS = [-1, 29, 4.0, True, None, "4"]


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        *[("tjc28", value) for value in COUNT_ERRORS],
        *[("sjc28", value) for value in COUNT_ERRORS],
        ("esr_mm_h", 0),
        ("esr_mm_h", -5),
        ("esr_mm_h", math.nan),
        ("esr_mm_h", None),
        ("patient_global_0_100", -1),
        ("patient_global_0_100", 100.1),
        ("patient_global_0_100", math.nan),
        ("patient_global_0_100", "50"),
    ],
)
def test_das28_esr_raises_naming_argument_when_input_invalid(argument: str, value: Any) -> None:
    with pytest.raises(ValueError, match=rf"^{argument}:"):
        das28_esr(**{**DAS28_ESR_BASE, argument: value})


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        *[("tjc28", value) for value in COUNT_ERRORS],
        *[("sjc28", value) for value in COUNT_ERRORS],
        ("crp_mg_l", -0.1),
        ("crp_mg_l", math.nan),
        ("crp_mg_l", None),
        ("patient_global_0_100", -0.5),
        ("patient_global_0_100", 101),
    ],
)
def test_das28_crp_raises_naming_argument_when_input_invalid(argument: str, value: Any) -> None:
    with pytest.raises(ValueError, match=rf"^{argument}:"):
        das28_crp(**{**DAS28_CRP_BASE, argument: value})


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0.0, "remission"),
        (2.59, "remission"),
        (2.5999999, "remission"),
        (2.6, "low"),
        (3.2, "low"),
        (math.nextafter(3.2, math.inf), "low"),  # a binary artefact of 3.2 stays "low"
        (math.nextafter(2.6, -math.inf), "low"),  # ... and one of 2.6 counts as 2.6
        (3.21, "moderate"),
        (5.1, "moderate"),
        (5.1000001, "high"),
        (5.11, "high"),
        (9.5, "high"),
    ],
)
def test_das28_category_follows_cut_offs_when_score_at_or_near_edge(
    score: float, expected: str
) -> None:
    assert das28_category(score) == expected


@pytest.mark.parametrize("score", [math.nan, math.inf, None, "3.2", True])
def test_das28_category_raises_naming_score_when_score_not_finite_number(score: Any) -> None:
    with pytest.raises(ValueError, match=r"^score:"):
        das28_category(score)


# ---------------------------------------------------------------------------------------------
# CDAI and SDAI
# ---------------------------------------------------------------------------------------------

CDAI_BASE: dict[str, Any] = {
    "tjc28": 4,
    "sjc28": 3,
    "patient_global_0_10": 5.0,
    "evaluator_global_0_10": 4.0,
}


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"tjc28": 0, "sjc28": 0, "patient_global_0_10": 0, "evaluator_global_0_10": 0}, 0.0),
        ({"tjc28": 28, "sjc28": 28, "patient_global_0_10": 10, "evaluator_global_0_10": 10}, 76.0),
        ({"tjc28": 1, "sjc28": 0, "patient_global_0_10": 0.9, "evaluator_global_0_10": 0.9}, 2.8),
    ],
)
def test_cdai_sums_components_when_inputs_at_range_edges(
    kwargs: dict[str, Any], expected: float
) -> None:
    assert cdai(**kwargs) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        *[("tjc28", value) for value in COUNT_ERRORS],
        *[("sjc28", value) for value in COUNT_ERRORS],
        ("patient_global_0_10", -0.1),
        ("patient_global_0_10", 10.1),
        ("patient_global_0_10", math.nan),
        ("patient_global_0_10", None),
        ("evaluator_global_0_10", -0.1),
        ("evaluator_global_0_10", 10.1),
        ("evaluator_global_0_10", "4"),
    ],
)
def test_cdai_raises_naming_argument_when_input_invalid(argument: str, value: Any) -> None:
    with pytest.raises(ValueError, match=rf"^{argument}:"):
        cdai(**{**CDAI_BASE, argument: value})


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0.0, "remission"),
        (2.8, "remission"),
        (2.9, "low"),
        (10.0, "low"),
        (10.1, "moderate"),
        (22.0, "moderate"),
        (22.1, "high"),
        (76.0, "high"),
    ],
)
def test_cdai_category_follows_cut_offs_when_score_at_or_near_edge(
    score: float, expected: str
) -> None:
    assert cdai_category(score) == expected


def test_cdai_category_is_remission_when_computed_score_sums_to_edge_in_binary() -> None:
    score = cdai(tjc28=0, sjc28=0, patient_global_0_10=0.1, evaluator_global_0_10=2.7)
    assert score != 2.8  # 2.8000000000000003 in binary floating point
    assert cdai_category(score) == "remission"


def test_sdai_category_is_remission_when_computed_score_sums_to_edge_in_binary() -> None:
    score = sdai(tjc28=0, sjc28=0, patient_global_0_10=0.1, evaluator_global_0_10=3.2, crp_mg_dl=0)
    assert score != 3.3  # 3.3000000000000003 in binary floating point
    assert sdai_category(score) == "remission"


def test_sdai_adds_crp_in_mg_dl_when_inputs_valid() -> None:
    result = sdai(**CDAI_BASE, crp_mg_dl=1.5)
    assert result == pytest.approx(17.5, abs=1e-9)


def test_sdai_reaches_86_when_all_components_maximal_and_crp_10_mg_dl() -> None:
    result = sdai(
        tjc28=28, sjc28=28, patient_global_0_10=10, evaluator_global_0_10=10, crp_mg_dl=10
    )
    assert result == pytest.approx(86.0, abs=1e-9)


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("crp_mg_dl", -0.1),
        ("crp_mg_dl", math.nan),
        ("crp_mg_dl", None),
        ("tjc28", 29),
        ("sjc28", -1),
        ("patient_global_0_10", 11),
        ("evaluator_global_0_10", -1),
    ],
)
def test_sdai_raises_naming_argument_when_input_invalid(argument: str, value: Any) -> None:
    with pytest.raises(ValueError, match=rf"^{argument}:"):
        sdai(**{**CDAI_BASE, "crp_mg_dl": 1.0, argument: value})


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0.0, "remission"),
        (3.3, "remission"),
        (3.4, "low"),
        (11.0, "low"),
        (11.1, "moderate"),
        (26.0, "moderate"),
        (26.1, "high"),
        (86.0, "high"),
    ],
)
def test_sdai_category_follows_cut_offs_when_score_at_or_near_edge(
    score: float, expected: str
) -> None:
    assert sdai_category(score) == expected


# ---------------------------------------------------------------------------------------------
# SLEDAI-2K
# ---------------------------------------------------------------------------------------------

# Written out independently of SLEDAI2K_WEIGHTS (clinical-rules.md §8.1).
SLEDAI_EXPECTED_WEIGHTS = [
    ("seizure", 8),
    ("psychosis", 8),
    ("organic_brain_syndrome", 8),
    ("visual_disturbance", 8),
    ("cranial_nerve_disorder", 8),
    ("lupus_headache", 8),
    ("cva", 8),
    ("vasculitis", 8),
    ("arthritis", 4),
    ("myositis", 4),
    ("urinary_casts", 4),
    ("hematuria", 4),
    ("proteinuria", 4),
    ("pyuria", 4),
    ("rash", 2),
    ("alopecia", 2),
    ("mucosal_ulcers", 2),
    ("pleurisy", 2),
    ("pericarditis", 2),
    ("low_complement", 2),
    ("increased_dna_binding", 2),
    ("fever", 1),
    ("thrombocytopenia", 1),
    ("leukopenia", 1),
]


@pytest.mark.parametrize(("code", "weight"), SLEDAI_EXPECTED_WEIGHTS)
def test_sledai2k_total_scores_descriptor_weight_when_only_that_descriptor_present(
    code: str, weight: int
) -> None:
    assert sledai2k_total(present=[code]) == weight


def test_sledai2k_weights_list_exactly_24_descriptors_when_table_loaded() -> None:
    assert dict(SLEDAI2K_WEIGHTS) == dict(SLEDAI_EXPECTED_WEIGHTS)


def test_sledai2k_total_reaches_105_when_every_descriptor_present() -> None:
    assert sledai2k_total(present=list(SLEDAI2K_WEIGHTS)) == 105


def test_sledai2k_max_constant_is_105_when_table_loaded() -> None:
    assert SLEDAI2K_MAX == 105


def test_sledai2k_total_is_zero_when_nothing_present() -> None:
    assert sledai2k_total(present=()) == 0


@pytest.mark.parametrize(
    "present",
    [
        {"arthritis", "rash", "fever"},
        ("fever", "rash", "arthritis"),
        (code for code in ("rash", "arthritis", "fever")),
    ],
)
def test_sledai2k_total_ignores_order_and_container_when_iterable_given(present: Any) -> None:
    assert sledai2k_total(present=present) == 7


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        ([], 0),
        (["low_complement", "increased_dna_binding"], 0),
        (["low_complement"], 0),
        (["arthritis", "low_complement"], 4),
        (["arthritis", "proteinuria", "low_complement", "increased_dna_binding"], 8),
        (["rash", "alopecia", "fever"], 5),
        ([code for code, _ in SLEDAI_EXPECTED_WEIGHTS], 101),
    ],
)
def test_sledai2k_clinical_excludes_serology_when_descriptors_present(
    present: list[str], expected: int
) -> None:
    assert sledai2k_clinical(present=present) == expected


def test_sledai2k_clinical_is_total_minus_four_when_both_serology_descriptors_present() -> None:
    present = ["vasculitis", "pyuria", "low_complement", "increased_dna_binding"]
    assert sledai2k_clinical(present=present) == sledai2k_total(present=present) - 4


@pytest.mark.parametrize("function", [sledai2k_total, sledai2k_clinical])
@pytest.mark.parametrize(
    "present",
    [
        ["nephritis"],
        ["Seizure"],
        ["arthritis", "arthritis"],
        ["rash", None],
        [8],
        "seizure",
        {"seizure": True},
        None,
        42,
    ],
)
def test_sledai2k_raises_naming_present_when_descriptors_invalid(
    function: Callable[..., int], present: Any
) -> None:
    with pytest.raises(ValueError, match=r"^present:"):
        function(present=present)


# ---------------------------------------------------------------------------------------------
# BILAG-2004
# ---------------------------------------------------------------------------------------------


def _bilag(default: str = "E", **overrides: str) -> dict[str, str]:
    return {system: overrides.get(system, default) for system in BILAG2004_SYSTEMS}


def test_bilag2004_systems_are_the_nine_organ_systems_when_table_loaded() -> None:
    assert BILAG2004_SYSTEMS == (
        "constitutional",
        "mucocutaneous",
        "neuropsychiatric",
        "musculoskeletal",
        "cardiorespiratory",
        "gastrointestinal",
        "ophthalmic",
        "renal",
        "hematological",
    )


@pytest.mark.parametrize(
    ("letters", "expected"),
    [
        (_bilag("E"), 0),
        (_bilag("D"), 0),
        (_bilag("C"), 9),
        (_bilag("B"), 72),
        (_bilag("A"), 108),
        (_bilag("E", renal="A"), 12),
        (_bilag("D", renal="B", musculoskeletal="B"), 16),
        (_bilag("E", renal="A", mucocutaneous="B", hematological="C"), 21),
    ],
)
def test_bilag2004_numeric_sums_letter_scores_when_all_systems_given(
    letters: dict[str, str], expected: int
) -> None:
    assert bilag2004_numeric(letters=letters) == expected


@pytest.mark.parametrize(
    ("letters", "expected"),
    [
        # The counts behind "at least 1 A or 2 B" eligibility rules.
        (_bilag("E"), {"A": 0, "B": 0, "C": 0, "D": 0, "E": 9}),
        (_bilag("D", renal="A"), {"A": 1, "B": 0, "C": 0, "D": 8, "E": 0}),
        (_bilag("E", renal="B"), {"A": 0, "B": 1, "C": 0, "D": 0, "E": 8}),
        (
            _bilag("C", renal="B", musculoskeletal="B"),
            {"A": 0, "B": 2, "C": 7, "D": 0, "E": 0},
        ),
        (
            _bilag("E", renal="A", mucocutaneous="B", hematological="B"),
            {"A": 1, "B": 2, "C": 0, "D": 0, "E": 6},
        ),
        (_bilag("A"), {"A": 9, "B": 0, "C": 0, "D": 0, "E": 0}),
    ],
)
def test_bilag2004_counts_counts_each_letter_when_all_systems_given(
    letters: dict[str, str], expected: dict[str, int]
) -> None:
    assert bilag2004_counts(letters=letters) == expected


@pytest.mark.parametrize("function", [bilag2004_numeric, bilag2004_counts])
@pytest.mark.parametrize(
    "letters",
    [
        _bilag("E", renal="F"),
        _bilag("E", renal="a"),
        _bilag("E", renal=""),
        {**_bilag("E"), "renal": None},
        {**_bilag("E"), "renal": 12},
        {**_bilag("E"), "hepatic": "A"},
        {system: "E" for system in BILAG2004_SYSTEMS if system != "renal"},
        {},
        ["A"] * 9,
        None,
    ],
)
def test_bilag2004_raises_naming_letters_when_letters_invalid(
    function: Callable[..., Any], letters: Any
) -> None:
    with pytest.raises(ValueError, match=r"^letters:"):
        function(letters=letters)


# ---------------------------------------------------------------------------------------------
# mRSS
# ---------------------------------------------------------------------------------------------


def _mrss_sites(total: int) -> dict[str, int]:
    """Fill the 17 sites in order, 3 at a time, until they sum to `total`."""
    sites: dict[str, int] = {}
    remaining = total
    for site in MRSS_SITES:
        sites[site] = min(3, remaining)
        remaining -= sites[site]
    return sites


def test_mrss_sites_are_17_distinct_sites_when_table_loaded() -> None:
    assert len(set(MRSS_SITES)) == 17


@pytest.mark.parametrize("total", range(52))
def test_mrss_total_sums_site_scores_when_total_between_0_and_51(total: int) -> None:
    assert mrss_total(sites=_mrss_sites(total)) == total


@pytest.mark.parametrize(
    "sites",
    [
        {**_mrss_sites(0), "face": 4},
        {**_mrss_sites(0), "left_foot": -1},
        {**_mrss_sites(0), "abdomen": 1.0},
        {**_mrss_sites(0), "abdomen": True},
        {**_mrss_sites(0), "abdomen": None},
        {**_mrss_sites(0), "back": 1},
        {site: 0 for site in MRSS_SITES if site != "face"},
        {},
        None,
        [0] * 17,
    ],
)
def test_mrss_total_raises_naming_sites_when_sites_invalid(sites: Any) -> None:
    with pytest.raises(ValueError, match=r"^sites:"):
        mrss_total(sites=sites)


# ---------------------------------------------------------------------------------------------
# ESSDAI
# ---------------------------------------------------------------------------------------------

# (domain, weight, highest level) written out from clinical-rules.md §8.2 / Seror 2010 Table 3.
ESSDAI_EXPECTED = [
    ("constitutional", 3, 2),
    ("lymphadenopathy", 4, 3),
    ("glandular", 2, 2),
    ("articular", 2, 3),
    ("cutaneous", 3, 3),
    ("pulmonary", 5, 3),
    ("renal", 5, 3),
    ("muscular", 6, 3),
    ("peripheral_nervous_system", 5, 3),
    ("central_nervous_system", 5, 3),
    ("hematological", 2, 3),
    ("biological", 1, 2),
]


def _essdai(**overrides: int) -> dict[str, int]:
    return {domain.name: overrides.get(domain.name, 0) for domain in ESSDAI_DOMAINS}


def test_essdai_domains_match_published_weights_when_table_loaded() -> None:
    table = [(domain.name, domain.weight, domain.max_level) for domain in ESSDAI_DOMAINS]
    assert table == ESSDAI_EXPECTED


def test_essdai_weights_are_cited_as_verified_against_seror_2010() -> None:
    """Issue 9 correction 9: the weights match Seror 2010 Table 3; no flag says otherwise."""
    citation = SOURCES["essdai_total"].citation
    assert "Seror" in citation
    assert "[U]" not in citation
    assert "partly" not in citation


def test_essdai_total_is_zero_when_no_domain_active() -> None:
    assert essdai_total(levels=_essdai()) == 0


def test_essdai_total_reaches_123_when_every_domain_at_highest_level() -> None:
    levels = {name: max_level for name, _, max_level in ESSDAI_EXPECTED}
    assert essdai_total(levels=levels) == 123


def test_essdai_max_constant_is_123_when_table_loaded() -> None:
    assert ESSDAI_MAX == 123


@pytest.mark.parametrize(("name", "weight", "max_level"), ESSDAI_EXPECTED)
def test_essdai_total_scores_weight_times_level_when_one_domain_at_highest_level(
    name: str, weight: int, max_level: int
) -> None:
    assert essdai_total(levels=_essdai(**{name: max_level})) == weight * max_level


@pytest.mark.parametrize(
    ("name", "weight"),
    [(name, weight) for name, weight, _ in ESSDAI_EXPECTED if name != "central_nervous_system"],
)
def test_essdai_total_scores_weight_when_one_domain_at_low_level(name: str, weight: int) -> None:
    assert essdai_total(levels=_essdai(**{name: 1})) == weight


@pytest.mark.parametrize(
    "levels",
    [
        _essdai(central_nervous_system=1),  # the CNS domain has no "low" level
        _essdai(constitutional=3),
        _essdai(glandular=3),
        _essdai(biological=3),
        _essdai(renal=4),
        _essdai(muscular=-1),
        {**_essdai(), "renal": 1.0},
        {**_essdai(), "renal": True},
        {**_essdai(), "renal": None},
        {**_essdai(), "ocular": 1},
        {name: 0 for name, _, _ in ESSDAI_EXPECTED if name != "biological"},
        {},
        None,
    ],
)
def test_essdai_total_raises_naming_levels_when_levels_invalid(levels: Any) -> None:
    with pytest.raises(ValueError, match=r"^levels:"):
        essdai_total(levels=levels)


def test_argument_error_carries_argument_name_when_raised_by_calculator() -> None:
    with pytest.raises(ArgumentError) as caught:
        das28_esr(tjc28=29, sjc28=0, esr_mm_h=10)
    assert caught.value.argument == "tjc28"


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (dt.date(2008, 4, 20), dt.date(2026, 4, 19), 17),
        (dt.date(2008, 4, 20), dt.date(2026, 4, 20), 18),
        (dt.date(2004, 2, 29), dt.date(2026, 2, 28), 21),
        (dt.date(2004, 2, 29), dt.date(2026, 3, 1), 22),
    ],
)
def test_age_is_completed_years_on_the_date_when_around_a_birthday(born, on, expected):
    assert age_years(born=born, on=on) == expected


def test_age_is_refused_when_the_date_precedes_birth():
    with pytest.raises(ValueError, match="on"):
        age_years(born=dt.date(2000, 1, 2), on=dt.date(2000, 1, 1))
