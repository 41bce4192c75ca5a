"""CTCAE v5.0 laboratory grading (clinical-rules.md §5, fibrinogen §4): vectors, each edge of each
term with and without baseline, unit conversion, exact comparison, bad input, table checks."""

from __future__ import annotations

import dataclasses
import math
from decimal import Decimal
from typing import Any

import pytest

from adverse_events.domain.ctcae import (
    CTCAE_VERSION,
    SCALE,
    TERMS,
    Band,
    grade_lab,
    validate_bands,
)
from adverse_events.domain.types import RuleTableError
from tests.vectors import resolve, vector_params

API_TERMS = {
    "neutrophil_count_decreased",
    "platelet_count_decreased",
    "anemia",
    "lymphocyte_count_decreased",
    "wbc_decreased",
    "alanine_aminotransferase_increased",
    "aspartate_aminotransferase_increased",
    "blood_bilirubin_increased",
    "creatinine_increased",
}
TRANSAMINASES = ["alanine_aminotransferase_increased", "aspartate_aminotransferase_increased"]

# A complete, valid argument set per term (used where only one argument varies).
VALID_KWARGS: dict[str, dict[str, Any]] = {
    "neutrophil_count_decreased": {"value": 1.8, "lln": 2.0},
    "platelet_count_decreased": {"value": 140, "lln": 150},
    "anemia": {"value": 115, "lln": 120},
    "lymphocyte_count_decreased": {"value": 0.9, "lln": 1.0},
    "wbc_decreased": {"value": 3.5, "lln": 4.0},
    "alanine_aminotransferase_increased": {"value": 50, "uln": 40, "baseline": 30},
    "aspartate_aminotransferase_increased": {"value": 50, "uln": 40, "baseline": 30},
    "blood_bilirubin_increased": {"value": 1.5, "uln": 1.2, "baseline": 0.8},
    "creatinine_increased": {"value": 1.2, "uln": 1.1, "baseline": 0.8},
    "fibrinogen_decreased": {"value": 1.8, "lln": 2.0},
}


@pytest.mark.parametrize("vector", vector_params("ctcae_grade"))
def test_grade_matches_published_value_when_shared_vector(vector: dict[str, Any]) -> None:
    result = resolve(vector["function"])(**vector["kwargs"])
    assert result.grade == vector["expected"]["grade"]


def test_terms_cover_domain_api_and_fibrinogen_when_listed() -> None:
    assert set(TERMS) == API_TERMS | {"fibrinogen_decreased"}


# --- low-direction count terms: every edge --------------------------------------------------


def _edges(term: str, lln: float, rows: list[tuple[float, int]]) -> list[Any]:
    return [pytest.param(term, value, lln, grade, id=f"{term}-{value}") for value, grade in rows]


LOW_COUNT_EDGES = [
    *_edges(
        "neutrophil_count_decreased",
        2.0,
        [(2.1, 0), (2.0, 0), (1.99, 1), (1.5, 1), (1.49, 2), (1.0, 2), (0.99, 3), (0.5, 3),
         (0.49, 4), (0, 4)],
    ),
    *_edges(
        "platelet_count_decreased",
        150,
        [(150, 0), (149.9, 1), (75, 1), (74.9, 2), (50, 2), (49.9, 3), (25, 3), (24.9, 4),
         (0, 4)],
    ),
    *_edges(
        "anemia",
        120,
        [(120, 0), (119.9, 1), (100, 1), (99.9, 2), (80, 2), (79.9, 3), (0, 3)],
    ),
    *_edges(
        "lymphocyte_count_decreased",
        1.0,
        [(1.0, 0), (0.99, 1), (0.8, 1), (0.79, 2), (0.5, 2), (0.49, 3), (0.2, 3), (0.19, 4)],
    ),
    *_edges(
        "wbc_decreased",
        4.0,
        [(4.0, 0), (3.99, 1), (3.0, 1), (2.99, 2), (2.0, 2), (1.99, 3), (1.0, 3), (0.99, 4)],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("term", "value", "lln", "grade"), LOW_COUNT_EDGES)
def test_low_count_grade_follows_edges_when_canonical_unit(
    term: str, value: float, lln: float, grade: int
) -> None:
    assert grade_lab(term=term, value=value, lln=lln).grade == grade


@pytest.mark.parametrize(
    ("term", "value", "unit", "lln", "grade"),
    [
        pytest.param("neutrophil_count_decreased", 1500, "/uL", 2000, 1, id="anc-1500/uL"),
        pytest.param("neutrophil_count_decreased", 1499, "/uL", 2000, 2, id="anc-1499/uL"),
        pytest.param("neutrophil_count_decreased", 1000, "/uL", 2000, 2, id="anc-1000/uL"),
        pytest.param("neutrophil_count_decreased", 999, "/uL", 2000, 3, id="anc-999/uL"),
        pytest.param("neutrophil_count_decreased", 500, "/uL", 2000, 3, id="anc-500/uL"),
        pytest.param("neutrophil_count_decreased", 499, "/uL", 2000, 4, id="anc-499/uL"),
        pytest.param("platelet_count_decreased", 75000, "/uL", 150000, 1, id="plt-75000/uL"),
        pytest.param("platelet_count_decreased", 74999, "/uL", 150000, 2, id="plt-74999/uL"),
        pytest.param("platelet_count_decreased", 50000, "/uL", 150000, 2, id="plt-50000/uL"),
        pytest.param("platelet_count_decreased", 49999, "/uL", 150000, 3, id="plt-49999/uL"),
        pytest.param("platelet_count_decreased", 25000, "/uL", 150000, 3, id="plt-25000/uL"),
        pytest.param("platelet_count_decreased", 24999, "/uL", 150000, 4, id="plt-24999/uL"),
        pytest.param("anemia", 10.0, "g/dL", 12.0, 1, id="hb-10.0g/dL"),
        pytest.param("anemia", 9.99, "g/dL", 12.0, 2, id="hb-9.99g/dL"),
        pytest.param("anemia", 8.0, "g/dL", 12.0, 2, id="hb-8.0g/dL"),
        pytest.param("anemia", 7.99, "g/dL", 12.0, 3, id="hb-7.99g/dL"),
        pytest.param("lymphocyte_count_decreased", 800, "/uL", 1000, 1, id="lym-800/uL"),
        pytest.param("lymphocyte_count_decreased", 200, "/uL", 1000, 3, id="lym-200/uL"),
        pytest.param("lymphocyte_count_decreased", 199, "/uL", 1000, 4, id="lym-199/uL"),
        pytest.param("wbc_decreased", 3000, "/uL", 4000, 1, id="wbc-3000/uL"),
        pytest.param("wbc_decreased", 999, "/uL", 4000, 4, id="wbc-999/uL"),
    ],
)
def test_low_count_grade_follows_edges_when_value_needs_conversion(
    term: str, value: float, unit: str, lln: float, grade: int
) -> None:
    assert grade_lab(term=term, value=value, unit=unit, lln=lln).grade == grade


@pytest.mark.parametrize(
    ("term", "value"),
    [
        ("neutrophil_count_decreased", 1.8),
        ("platelet_count_decreased", 140),
        ("anemia", 110),
        ("lymphocyte_count_decreased", 0.9),
        ("wbc_decreased", 3.5),
    ],
)
def test_rejects_grade_1_range_when_lln_missing(term: str, value: float) -> None:
    with pytest.raises(ValueError, match=r"^lln"):
        grade_lab(term=term, value=value)


@pytest.mark.parametrize(
    ("term", "value", "grade"),
    [
        ("neutrophil_count_decreased", 1.49, 2),
        ("platelet_count_decreased", 24.9, 4),
        ("anemia", 79, 3),
        ("lymphocyte_count_decreased", 0.5, 2),
        ("wbc_decreased", 1.99, 3),
    ],
)
def test_absolute_grades_need_no_lln_when_value_below_grade_1_range(
    term: str, value: float, grade: int
) -> None:
    result = grade_lab(term=term, value=value)
    assert (result.grade, result.driver) == (grade, "absolute")


def test_absolute_cutoff_applies_regardless_of_lln_when_lln_below_cutoff() -> None:
    assert grade_lab(term="neutrophil_count_decreased", value=1.3, lln=1.2).grade == 2


def test_grade_is_zero_when_value_at_lln_above_grade_1_cutoff() -> None:
    result = grade_lab(term="neutrophil_count_decreased", value=1.6, lln=1.2)
    assert (result.grade, result.driver) == (0, "none")


def test_lln_is_compared_in_value_unit_when_unit_converted() -> None:
    result = grade_lab(term="anemia", value=11.9, unit="g/dL", lln=12.0)
    assert (result.grade, result.driver, result.canonical_value) == (1, "lln", Decimal(119))


def test_anemia_never_computes_grade_4_when_value_is_zero() -> None:
    assert grade_lab(term="anemia", value=0, lln=120).grade == 3


def test_baseline_is_ignored_with_a_reason_when_low_count_term() -> None:
    result = grade_lab(term="neutrophil_count_decreased", value=1.8, lln=2.0, baseline=3.0)
    assert result.grade == 1
    assert any("baseline is not used" in reason for reason in result.reasons)


# --- ALT / AST ---------------------------------------------------------------------------------

TRANSAMINASE_NORMAL_BASELINE_EDGES = [
    (40, 0), (40.01, 1), (120, 1), (120.01, 2), (200, 2), (200.01, 3), (800, 3), (800.01, 4),
]  # fmt: skip
TRANSAMINASE_ABNORMAL_BASELINE_EDGES = [
    (30, 0), (80, 0), (119.99, 0), (120, 1), (240, 1), (240.01, 2), (400, 2), (400.01, 3),
    (1600, 3), (1600.01, 4),
]  # fmt: skip


@pytest.mark.parametrize("term", TRANSAMINASES)
@pytest.mark.parametrize("baseline", [None, 30, 40])
@pytest.mark.parametrize(("value", "grade"), TRANSAMINASE_NORMAL_BASELINE_EDGES)
def test_transaminase_uses_uln_rows_when_baseline_normal_or_missing(
    term: str, baseline: float | None, value: float, grade: int
) -> None:
    result = grade_lab(term=term, value=value, uln=40, baseline=baseline)
    assert (result.grade, result.baseline_abnormal) == (grade, False)


@pytest.mark.parametrize("term", TRANSAMINASES)
@pytest.mark.parametrize(("value", "grade"), TRANSAMINASE_ABNORMAL_BASELINE_EDGES)
def test_transaminase_uses_baseline_rows_when_baseline_above_uln(
    term: str, value: float, grade: int
) -> None:
    result = grade_lab(term=term, value=value, uln=40, baseline=80)
    assert (result.grade, result.baseline_abnormal) == (grade, True)


def test_baseline_counts_as_abnormal_when_just_above_uln() -> None:
    result = grade_lab(term="alanine_aminotransferase_increased", value=61, uln=40, baseline=40.01)
    assert (result.grade, result.baseline_abnormal, result.driver) == (1, True, "baseline_ratio")


def test_transaminase_is_not_gradable_when_below_1_5_times_abnormal_baseline() -> None:
    result = grade_lab(term="aspartate_aminotransferase_increased", value=100, uln=40, baseline=80)
    assert (result.grade, result.driver) == (0, "none")
    assert "below the lowest gradable multiple" in result.reasons[0]


# --- bilirubin -----------------------------------------------------------------------------------

BILIRUBIN_NORMAL_BASELINE_EDGES = [
    (1.2, 0), (1.21, 1), (1.8, 1), (1.81, 2), (3.6, 2), (3.61, 3), (12.0, 3), (12.01, 4),
]  # fmt: skip
BILIRUBIN_ABNORMAL_BASELINE_EDGES = [
    (1.0, 0), (2.0, 0), (2.01, 1), (3.0, 1), (3.01, 2), (6.0, 2), (6.01, 3), (20.0, 3),
    (20.01, 4),
]  # fmt: skip


@pytest.mark.parametrize("baseline", [None, 0.8, 1.2])
@pytest.mark.parametrize(("value", "grade"), BILIRUBIN_NORMAL_BASELINE_EDGES)
def test_bilirubin_uses_uln_rows_when_baseline_normal_or_missing(
    baseline: float | None, value: float, grade: int
) -> None:
    result = grade_lab(term="blood_bilirubin_increased", value=value, uln=1.2, baseline=baseline)
    assert (result.grade, result.baseline_abnormal) == (grade, False)


@pytest.mark.parametrize(("value", "grade"), BILIRUBIN_ABNORMAL_BASELINE_EDGES)
def test_bilirubin_uses_baseline_rows_when_baseline_above_uln(value: float, grade: int) -> None:
    result = grade_lab(term="blood_bilirubin_increased", value=value, uln=1.2, baseline=2.0)
    assert (result.grade, result.baseline_abnormal) == (grade, True)


def test_bilirubin_ratio_is_unit_free_when_given_in_umol_l() -> None:
    result = grade_lab(
        term="blood_bilirubin_increased", value=63, unit="umol/L", uln=21, baseline=10
    )
    assert (result.grade, result.canonical_unit, result.canonical_value) == (
        2,
        "umol/L",
        Decimal(63),
    )


# --- creatinine -----------------------------------------------------------------------------------

CREATININE_ULN_EDGES = [
    (1.1, 0), (1.11, 1), (1.65, 1), (1.66, 2), (3.3, 2), (3.31, 3), (6.6, 3), (6.61, 4),
]  # fmt: skip
CREATININE_BASELINE_EDGES = [(1.2, 0), (1.21, 2), (2.4, 2), (2.41, 3), (9.0, 3)]


@pytest.mark.parametrize(("value", "grade"), CREATININE_ULN_EDGES)
def test_creatinine_uses_uln_rows_when_no_baseline(value: float, grade: int) -> None:
    assert grade_lab(term="creatinine_increased", value=value, uln=1.1).grade == grade


@pytest.mark.parametrize(("value", "grade"), CREATININE_BASELINE_EDGES)
def test_creatinine_baseline_rows_set_grade_when_value_within_uln(value: float, grade: int) -> None:
    result = grade_lab(term="creatinine_increased", value=value, uln=10, baseline=0.8)
    assert (result.grade, result.driver) == (grade, "baseline_ratio" if grade else "none")


def test_creatinine_in_normal_range_is_grade_2_when_over_1_5_times_baseline() -> None:
    assert grade_lab(term="creatinine_increased", value=0.9, uln=1.1, baseline=0.5).grade == 2


def test_creatinine_in_normal_range_is_grade_0_when_baseline_rule_off() -> None:
    result = grade_lab(
        term="creatinine_increased",
        value=0.9,
        uln=1.1,
        baseline=0.5,
        creatinine_baseline_rule=False,
    )
    assert result.grade == 0
    assert any("creatinine_baseline_rule=False" in reason for reason in result.reasons)


def test_creatinine_uses_uln_rows_when_baseline_rule_off() -> None:
    result = grade_lab(
        term="creatinine_increased",
        value=2.5,
        uln=1.1,
        baseline=0.8,
        creatinine_baseline_rule=False,
    )
    assert (result.grade, result.driver) == (2, "uln_ratio")


def test_creatinine_takes_worse_grade_when_baseline_ratio_is_worse() -> None:
    result = grade_lab(term="creatinine_increased", value=2.5, uln=1.1, baseline=0.8)
    assert (result.grade, result.driver) == (3, "baseline_ratio")


def test_creatinine_takes_worse_grade_when_uln_ratio_is_worse() -> None:
    result = grade_lab(term="creatinine_increased", value=7.0, uln=1.1, baseline=2.0)
    assert (result.grade, result.driver) == (4, "uln_ratio")


def test_creatinine_driver_names_both_when_ratios_tie() -> None:
    result = grade_lab(term="creatinine_increased", value=3.0, uln=1.0, baseline=1.0)
    assert (result.grade, result.driver) == (2, "uln_ratio+baseline_ratio")


def test_creatinine_baseline_ratio_is_exact_when_float_would_flip_it() -> None:
    # 1.2 / 0.8 is 1.4999999999999998 in binary floating point; exactly 1.5 -> not > 1.5.
    result = grade_lab(term="creatinine_increased", value=1.2, uln=1.3, baseline=0.8)
    assert result.grade == 0


def test_creatinine_in_umol_l_grades_like_mg_dl_when_same_ratios() -> None:
    result = grade_lab(term="creatinine_increased", value=132.6, unit="umol/L", uln=88.4)
    assert result.grade == 1


@pytest.mark.parametrize("creatinine_baseline_rule", [1, None, "yes"])
def test_rejects_baseline_rule_when_not_a_bool(creatinine_baseline_rule: Any) -> None:
    with pytest.raises(ValueError, match=r"^creatinine_baseline_rule"):
        grade_lab(
            term="creatinine_increased",
            value=1.2,
            uln=1.1,
            creatinine_baseline_rule=creatinine_baseline_rule,
        )


# --- fibrinogen ---------------------------------------------------------------------------------

FIBRINOGEN_LLN_EDGES = [
    (2.0, 0), (1.99, 1), (1.5, 1), (1.49, 2), (1.0, 2), (0.99, 3), (0.5, 3), (0.49, 4),
]  # fmt: skip


@pytest.mark.parametrize(("value", "grade"), FIBRINOGEN_LLN_EDGES)
def test_fibrinogen_follows_lln_ratio_edges_when_lln_given(value: float, grade: int) -> None:
    assert grade_lab(term="fibrinogen_decreased", value=value, lln=2.0).grade == grade


def test_fibrinogen_absolute_floor_gives_grade_4_when_below_0_5_g_l() -> None:
    result = grade_lab(term="fibrinogen_decreased", value=0.45, lln=1.5)
    assert (result.grade, result.driver) == (4, "absolute")


def test_fibrinogen_floor_is_exclusive_when_exactly_0_5_g_l() -> None:
    result = grade_lab(term="fibrinogen_decreased", value=0.5, lln=1.5)
    assert (result.grade, result.driver) == (3, "lln_ratio")


def test_fibrinogen_grade_4_needs_no_lln_when_below_absolute_floor() -> None:
    assert grade_lab(term="fibrinogen_decreased", value=0.49).grade == 4


def test_rejects_fibrinogen_when_lln_missing_above_floor() -> None:
    with pytest.raises(ValueError, match=r"^lln"):
        grade_lab(term="fibrinogen_decreased", value=1.0)


def test_fibrinogen_driver_names_both_when_floor_and_ratio_agree() -> None:
    result = grade_lab(term="fibrinogen_decreased", value=0.4, lln=2.0)
    assert (result.grade, result.driver) == (4, "lln_ratio+absolute")


# --- exact comparison ---------------------------------------------------------------------------


def test_bilirubin_at_1_5_uln_stays_grade_1_when_float_product_is_below() -> None:
    # 1.2 * 1.5 is 1.7999999999999998 in binary floating point.
    assert grade_lab(term="blood_bilirubin_increased", value=1.8, uln=1.2).grade == 1


def test_converted_hemoglobin_stays_on_edge_when_conversion_adds_float_noise() -> None:
    result = grade_lab(term="anemia", value=8.0, unit="g/dL", lln=12.0)
    assert (result.grade, result.canonical_value) == (2, Decimal(80))


def test_value_is_rounded_to_8_significant_digits_when_float_noise_below_edge() -> None:
    assert grade_lab(term="anemia", value=79.99999999999999, lln=120).grade == 2


def test_decimal_input_is_accepted_when_on_boundary() -> None:
    assert grade_lab(term="neutrophil_count_decreased", value=Decimal("1.5"), lln=2).grade == 1


# --- result -------------------------------------------------------------------------------------


@pytest.mark.parametrize("term", sorted(TERMS))
def test_result_carries_ctcae_version_when_any_term(term: str) -> None:
    result = grade_lab(term=term, **VALID_KWARGS[term])
    assert (result.ctcae_version, result.scale, result.term) == (CTCAE_VERSION, SCALE, term)
    assert CTCAE_VERSION == "5.0"


@pytest.mark.parametrize("term", sorted(TERMS))
def test_unit_resolves_to_canonical_when_unit_is_none(term: str) -> None:
    result = grade_lab(term=term, **VALID_KWARGS[term])
    assert result.unit == result.canonical_unit == TERMS[term].canonical_unit


def test_result_is_frozen_when_created() -> None:
    result = grade_lab(term="anemia", value=115, lln=120)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.grade = 3  # type: ignore[misc]


def test_arguments_are_keyword_only_when_called_positionally() -> None:
    with pytest.raises(TypeError):
        grade_lab("anemia", 115)  # type: ignore[call-arg]


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("term", ["", "Anemia", "neutropenia", None, 1])
def test_rejects_term_when_unknown(term: Any) -> None:
    with pytest.raises(ValueError, match=r"^term"):
        grade_lab(term=term, value=1.0, lln=2.0)


@pytest.mark.parametrize("value", [-0.1, math.nan, math.inf, None, "1.2", True])
def test_rejects_value_when_not_a_non_negative_number(value: Any) -> None:
    with pytest.raises(ValueError, match=r"^value"):
        grade_lab(term="neutrophil_count_decreased", value=value, lln=2.0)


@pytest.mark.parametrize("argument", ["lln", "uln", "baseline"])
@pytest.mark.parametrize("bad", [0, -1, math.nan, "1", True])
def test_rejects_reference_when_not_positive(argument: str, bad: Any) -> None:
    kwargs: dict[str, Any] = {"value": 1.2, "lln": 0.5, "uln": 1.1, "baseline": 0.8}
    kwargs[argument] = bad
    with pytest.raises(ValueError, match=rf"^{argument}"):
        grade_lab(term="creatinine_increased", **kwargs)


@pytest.mark.parametrize(("lln", "uln"), [(40, 40), (50, 40)])
def test_rejects_limits_when_lln_not_below_uln(lln: float, uln: float) -> None:
    with pytest.raises(ValueError, match=r"^lln"):
        grade_lab(term="alanine_aminotransferase_increased", value=45, lln=lln, uln=uln)


@pytest.mark.parametrize(
    "term",
    [*TRANSAMINASES, "blood_bilirubin_increased", "creatinine_increased"],
)
def test_rejects_increased_term_when_uln_missing(term: str) -> None:
    with pytest.raises(ValueError, match=r"^uln"):
        grade_lab(term=term, value=2.0, baseline=1.0)


@pytest.mark.parametrize(
    ("term", "unit"),
    [
        ("neutrophil_count_decreased", "cells"),
        ("neutrophil_count_decreased", "g/L"),
        ("anemia", "mg/dL"),
        ("creatinine_increased", "mmol/L"),
        ("alanine_aminotransferase_increased", "ukat/L"),
        ("fibrinogen_decreased", "furlongs"),
        ("anemia", 7),
    ],
)
def test_rejects_unit_when_unknown_for_term(term: str, unit: Any) -> None:
    with pytest.raises(ValueError, match=r"^unit"):
        grade_lab(term=term, unit=unit, **VALID_KWARGS[term])


# --- rule tables ----------------------------------------------------------------------------------


def _band(grade: int, lower: str, upper: str | None, interval: str) -> Band:
    return Band(grade, Decimal(lower), None if upper is None else Decimal(upper), interval)


@pytest.mark.parametrize(
    ("bands", "rising"),
    [
        pytest.param((), True, id="empty"),
        pytest.param((_band(0, "0", "1", "[]"), _band(1, "1", None, "[)")), True, id="overlap"),
        pytest.param((_band(0, "0", "1", "[)"), _band(1, "1", None, "()")), True, id="point-gap"),
        pytest.param((_band(0, "0", "1", "[)"), _band(1, "2", None, "[)")), True, id="gap"),
        pytest.param((_band(0, "0", "2", "[)"), _band(1, "1", None, "[)")), True, id="overlap-2"),
        pytest.param((_band(0, "0.1", None, "[)"),), True, id="not-from-zero"),
        pytest.param((_band(0, "0", "1", "[)"),), True, id="bounded-top"),
        pytest.param((_band(1, "0", "1", "[)"), _band(0, "1", None, "[)")), True, id="falling"),
        pytest.param((_band(0, "0", "1", "[)"), _band(1, "1", None, "[)")), False, id="rising"),
        pytest.param((_band(0, "1", "1", "[]"),), True, id="empty-range"),
        pytest.param((_band(5, "0", None, "[)"),), True, id="grade-5"),
        pytest.param((_band(0, "0", None, "{}"),), True, id="bad-interval"),
    ],
)
def test_band_check_fails_when_table_is_broken(bands: tuple[Band, ...], rising: bool) -> None:
    with pytest.raises(RuleTableError):
        validate_bands("broken", bands, rising=rising)


@pytest.mark.parametrize("term", sorted(TERMS))
def test_every_term_table_passes_check_when_declared(term: str) -> None:
    rule = TERMS[term]
    rising = term.endswith("_increased")
    for bands in (rule.absolute, rule.lln, rule.uln, rule.baseline):
        if bands:
            validate_bands(term, bands, rising=rising)
