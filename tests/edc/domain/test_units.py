"""Tests for edc.domain.units: conversion table, canonical units, choices and bad input."""

from __future__ import annotations

import math
from decimal import Decimal
from itertools import permutations
from typing import Any

import pytest

from edc.domain.units import (
    ANALYTES,
    CANONICAL_UNIT,
    ArgumentError,
    convert,
    to_canonical,
    units_for,
)
from tests.vectors import resolve, vector_params


@pytest.mark.parametrize("vector", vector_params("unit_conversion"))
def test_convert_matches_published_value_when_vector_given(vector: dict[str, Any]) -> None:
    result = resolve(vector["function"])(**vector["kwargs"])
    tolerance = vector.get("tolerance", vector["expected"].get("tolerance", 0.01))
    assert result == pytest.approx(vector["expected"]["value"], abs=tolerance)


@pytest.mark.parametrize(
    ("value", "analyte", "from_unit", "to_unit", "expected"),
    [
        (1500, "neutrophils", "/uL", "10^9/L", 1.5),
        (1.5, "neutrophils", "10^9/L", "/uL", 1500),
        (800, "lymphocytes", "/mm3", "10^9/L", 0.8),
        (0.2, "lymphocytes", "10^9/L", "/mm3", 200),
        (4000, "wbc", "/uL", "10^9/L", 4.0),
        (75000, "platelets", "/uL", "10^9/L", 75.0),
        (75000, "platelets", "/mm3", "/uL", 75000),
        (10.0, "hemoglobin", "g/dL", "g/L", 100.0),
        (100, "hemoglobin", "g/L", "g/dL", 10.0),
        (6.2, "hemoglobin", "mmol/L", "g/L", 99.82),
        (99.82, "hemoglobin", "g/L", "mmol/L", 6.2),
        (10.0, "hemoglobin", "g/dL", "mmol/L", 6.211180124),
        (1.0, "creatinine", "mg/dL", "umol/L", 88.4),
        (88.4, "creatinine", "umol/L", "mg/dL", 1.0),
        (1.0, "bilirubin", "mg/dL", "umol/L", 17.1),
        (1.2, "bilirubin", "mg/dL", "umol/L", 20.52),
        (1.5, "crp", "mg/dL", "mg/L", 15.0),
        (10, "crp", "mg/L", "mg/dL", 1.0),
        (4, "igg", "g/L", "mg/dL", 400),
        (700, "igg", "mg/dL", "g/L", 7.0),
        (70, "iga", "mg/dL", "g/L", 0.7),
        (40, "igm", "mg/dL", "g/L", 0.4),
        (90, "c3", "mg/dL", "g/L", 0.9),
        (0.2, "c4", "g/L", "mg/dL", 20),
        (40, "alt", "U/L", "U/L", 40),
        (35, "ast", "U/L", "U/L", 35),
        (1.1, "inr", "", "", 1.1),
        (12.5, "pt", "s", "s", 12.5),
        (30, "aptt", "s", "s", 30),
        (20, "esr", "mm/h", "mm/h", 20),
    ],
)
def test_convert_returns_expected_value_when_units_known(
    value: float, analyte: str, from_unit: str, to_unit: str, expected: float
) -> None:
    result = convert(value, analyte=analyte, from_unit=from_unit, to_unit=to_unit)
    assert result == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    ("value", "analyte", "from_unit", "to_unit", "expected"),
    [
        (1500, "neutrophils", "/uL", "10^9/L", 1.5),
        (500, "neutrophils", "/uL", "10^9/L", 0.5),
        (100, "neutrophils", "/uL", "10^9/L", 0.1),
        (1200, "lymphocytes", "/uL", "10^9/L", 1.2),
        (132.6, "creatinine", "umol/L", "mg/dL", 1.5),
        (34.2, "bilirubin", "umol/L", "mg/dL", 2.0),
        (0.3, "crp", "mg/dL", "mg/L", 3.0),
        (6.2, "hemoglobin", "mmol/L", "g/L", 99.82),
    ],
)
def test_convert_lands_exactly_on_decimal_value_when_value_sits_on_a_boundary(
    value: float, analyte: str, from_unit: str, to_unit: str, expected: float
) -> None:
    # Binary float arithmetic would give e.g. 1.2000000000000002; rules compare on edges.
    assert convert(value, analyte=analyte, from_unit=from_unit, to_unit=to_unit) == expected


@pytest.mark.parametrize(
    ("analyte", "unit"), [(analyte, unit) for analyte in ANALYTES for unit in units_for(analyte)]
)
def test_convert_returns_value_unchanged_when_units_identical(analyte: str, unit: str) -> None:
    assert convert(12.34, analyte=analyte, from_unit=unit, to_unit=unit) == 12.34


@pytest.mark.parametrize(
    ("analyte", "first", "second"),
    [
        (analyte, first, second)
        for analyte in ANALYTES
        for first, second in permutations(units_for(analyte), 2)
    ],
)
def test_convert_round_trips_when_converted_back(analyte: str, first: str, second: str) -> None:
    there = convert(7.3, analyte=analyte, from_unit=first, to_unit=second)
    assert convert(there, analyte=analyte, from_unit=second, to_unit=first) == pytest.approx(7.3)


def test_convert_returns_zero_when_value_is_zero() -> None:
    assert convert(0, analyte="neutrophils", from_unit="/uL", to_unit="10^9/L") == 0.0


def test_convert_accepts_decimal_when_value_is_decimal() -> None:
    result = convert(Decimal("1.09"), analyte="creatinine", from_unit="mg/dL", to_unit="umol/L")
    assert result == pytest.approx(96.356)


def test_convert_returns_float_when_value_is_int() -> None:
    result = convert(10, analyte="hemoglobin", from_unit="g/dL", to_unit="g/L")
    assert type(result) is float


@pytest.mark.parametrize("analyte", ["procalcitonin", "", "Neutrophils", "anc", None, 1])
def test_convert_raises_naming_analyte_when_analyte_unknown(analyte: Any) -> None:
    with pytest.raises(ValueError, match=r"^analyte:"):
        convert(1.0, analyte=analyte, from_unit="/uL", to_unit="10^9/L")


@pytest.mark.parametrize(
    ("analyte", "from_unit"),
    [
        ("creatinine", "mmol/L"),
        ("creatinine", "µmol/L"),
        ("neutrophils", "g/dL"),
        ("neutrophils", "cells/uL"),
        ("hemoglobin", "mg/dL"),
        ("crp", "g/L"),
        ("inr", "ratio"),
        ("alt", "IU/L"),
        ("igg", "mmol/L"),
        ("creatinine", None),
    ],
)
def test_convert_raises_naming_from_unit_when_unit_not_of_analyte(
    analyte: str, from_unit: Any
) -> None:
    to_unit = CANONICAL_UNIT[analyte]
    with pytest.raises(ValueError, match=r"^from_unit:"):
        convert(1.0, analyte=analyte, from_unit=from_unit, to_unit=to_unit)


@pytest.mark.parametrize(
    ("analyte", "to_unit"),
    [
        ("creatinine", "g/L"),
        ("bilirubin", "mmol/L"),
        ("platelets", "10^3/L"),
        ("crp", "mg/l"),
        ("esr", "mm"),
        ("c3", ""),
    ],
)
def test_convert_raises_naming_to_unit_when_unit_not_of_analyte(analyte: str, to_unit: str) -> None:
    from_unit = CANONICAL_UNIT[analyte]
    with pytest.raises(ValueError, match=r"^to_unit:"):
        convert(1.0, analyte=analyte, from_unit=from_unit, to_unit=to_unit)


@pytest.mark.parametrize(
    "value",
    [
        math.nan,
        math.inf,
        -math.inf,
        Decimal("NaN"),
        Decimal("Infinity"),
        -1,
        -0.001,
        Decimal("-2"),
        "1.5",
        None,
        True,
    ],
)
def test_convert_raises_naming_value_when_value_not_a_finite_non_negative_number(
    value: Any,
) -> None:
    with pytest.raises(ValueError, match=r"^value:"):
        convert(value, analyte="crp", from_unit="mg/dL", to_unit="mg/L")


def test_convert_raises_argument_error_carrying_argument_name_when_input_invalid() -> None:
    with pytest.raises(ArgumentError) as caught:
        convert(1.0, analyte="creatinine", from_unit="mg/dL", to_unit="g/L")
    assert caught.value.argument == "to_unit"


@pytest.mark.parametrize(
    ("analyte", "canonical"),
    [
        ("neutrophils", "10^9/L"),
        ("lymphocytes", "10^9/L"),
        ("wbc", "10^9/L"),
        ("platelets", "10^9/L"),
        ("hemoglobin", "g/L"),
        ("creatinine", "umol/L"),
        ("bilirubin", "umol/L"),
        ("crp", "mg/L"),
        ("alt", "U/L"),
        ("ast", "U/L"),
        ("inr", ""),
        ("pt", "s"),
        ("aptt", "s"),
        ("esr", "mm/h"),
        ("igg", "g/L"),
        ("iga", "g/L"),
        ("igm", "g/L"),
        ("c3", "g/L"),
        ("c4", "g/L"),
    ],
)
def test_canonical_unit_is_si_unit_when_analyte_listed(analyte: str, canonical: str) -> None:
    assert CANONICAL_UNIT[analyte] == canonical


def test_canonical_unit_covers_every_analyte_when_table_loaded() -> None:
    assert set(CANONICAL_UNIT) == set(ANALYTES)


@pytest.mark.parametrize("analyte", ANALYTES)
def test_units_for_lists_canonical_unit_first_when_analyte_known(analyte: str) -> None:
    assert units_for(analyte)[0] == CANONICAL_UNIT[analyte]


@pytest.mark.parametrize(
    ("analyte", "expected"),
    [
        ("neutrophils", ("10^9/L", "/uL", "/mm3")),
        ("platelets", ("10^9/L", "/uL", "/mm3")),
        ("hemoglobin", ("g/L", "g/dL", "mmol/L")),
        ("creatinine", ("umol/L", "mg/dL")),
        ("bilirubin", ("umol/L", "mg/dL")),
        ("crp", ("mg/L", "mg/dL")),
        ("igg", ("g/L", "mg/dL")),
        ("c4", ("g/L", "mg/dL")),
        ("alt", ("U/L",)),
        ("inr", ("",)),
        ("aptt", ("s",)),
        ("esr", ("mm/h",)),
    ],
)
def test_units_for_returns_declared_units_when_analyte_known(
    analyte: str, expected: tuple[str, ...]
) -> None:
    assert units_for(analyte) == expected


def test_units_for_raises_naming_analyte_when_analyte_unknown() -> None:
    with pytest.raises(ValueError, match=r"^analyte:"):
        units_for("procalcitonin")


@pytest.mark.parametrize(
    ("value", "analyte", "unit", "expected"),
    [
        (1500, "neutrophils", "/uL", 1.5),
        (9.5, "hemoglobin", "g/dL", 95.0),
        (1.5, "creatinine", "mg/dL", 132.6),
        (2.0, "bilirubin", "mg/dL", 34.2),
        (2.0, "crp", "mg/dL", 20.0),
        (1.1, "inr", "", 1.1),
    ],
)
def test_to_canonical_converts_to_canonical_unit_when_unit_known(
    value: float, analyte: str, unit: str, expected: float
) -> None:
    assert to_canonical(value, analyte=analyte, unit=unit) == expected


def test_to_canonical_raises_naming_unit_when_unit_not_of_analyte() -> None:
    with pytest.raises(ValueError, match=r"^unit:"):
        to_canonical(1.0, analyte="creatinine", unit="g/L")


def test_triglycerides_in_mg_dl_convert_to_mmol_l():
    assert convert(885.7, analyte="triglycerides", from_unit="mg/dL", to_unit="mmol/L") == (
        pytest.approx(10.0, abs=0.001)
    )


def test_ferritin_in_ng_ml_is_the_same_number_in_ug_l():
    assert convert(1200, analyte="ferritin", from_unit="ng/mL", to_unit="ug/L") == 1200
