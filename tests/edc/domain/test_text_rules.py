"""What typed text and numbers may contain (edc/domain/text_rules.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edc.domain.text_rules import (
    REASON_LIMIT,
    TEXT_LIMIT,
    check_datetime_literal,
    check_number_literal,
    check_text,
    normalise_text,
)

BIDI_CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
OTHER_INVISIBLES = ["\x00", "\x1b", "\x7f", "\x85", "\u200b", "\u200d", "\u200e", "\ufeff"]


def problem_code(value: str, *, multiline: bool = False, limit: int | None = None) -> str | None:
    problem = check_text(value, multiline=multiline, limit=limit)
    return None if problem is None else problem.code


@pytest.mark.parametrize("char", BIDI_CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_bidi_embedding_override_and_isolate_characters_are_refused(char):
    assert problem_code(f"10 mg {char}daily", multiline=True) == "invisible_character"


@pytest.mark.parametrize("char", OTHER_INVISIBLES, ids=lambda c: f"U+{ord(c):04X}")
def test_controls_zero_width_characters_and_marks_are_refused(char):
    assert problem_code(f"fever{char}38.5") == "invisible_character"


def test_the_refusal_names_the_character_and_where_it_is():
    problem = check_text("ab\u202ecd", multiline=False, limit=None)
    assert problem.params == {
        "codepoint": "U+202E",
        "name": "RIGHT-TO-LEFT OVERRIDE",
        "position": 3,
    }


def test_newline_and_tab_are_allowed_in_multi_line_text_only():
    assert problem_code("line one\n\tline two", multiline=True) is None
    assert problem_code("line one\nline two", multiline=False) == "invisible_character"


def test_chinese_and_accented_text_passes():
    assert problem_code("患者自述乏力，体重下降 2 kg；Sjögren") is None


def test_whitespace_is_trimmed_and_line_ends_become_newlines():
    assert normalise_text("  a\r\nb\rc \n", multiline=True) == "a\nb\nc"
    assert normalise_text("\t x \t", multiline=False) == "x"


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://evil.example","click")',
        "@SUM(1+9)*cmd|' /C calc'!A0",
        "+cmd|' /C calc'!A0",
        "=-2+3+cmd|' /C calc'!A0",
        "-2+IMPORTXML(A1)",
        "=A1",
        "@$B$2",
        "=Sheet1!A1:B3",
        "-'Lab data'!C3",
    ],
)
def test_values_a_spreadsheet_would_run_as_a_formula_are_refused(value):
    assert problem_code(value) == "formula"


@pytest.mark.parametrize(
    "value",
    [
        "-2 kg since last visit",
        "+ mild rash",
        "-ve culture",
        "- rash (arms)",
        "+C3 low, C4 normal",
        "-COVID19 PCR negative",
        "=5",
        "@ home",
        "HYPERLINK(x) mentioned in a note",
        "HbA1c 7%",
    ],
)
def test_ordinary_clinical_text_with_a_sign_or_parenthesis_passes(value):
    assert problem_code(value) is None


def test_the_formula_refusal_names_the_prefix_and_the_token():
    problem = check_text("-CRP(mg/L) 30", multiline=False, limit=None)
    assert problem.params == {"prefix": "-", "token": "CRP("}


def test_free_text_without_a_limit_of_its_own_is_capped():
    assert problem_code("x" * TEXT_LIMIT, multiline=True) is None
    assert problem_code("x" * (TEXT_LIMIT + 1), multiline=True) == "too_long"


def test_a_field_limit_applies_instead_of_the_default():
    assert problem_code("x" * (REASON_LIMIT + 1), limit=REASON_LIMIT) == "too_long"


@pytest.mark.parametrize("raw", ["0", "1000", "-5", "+5", " 12 "])
def test_plain_ascii_integers_are_numbers(raw):
    assert check_number_literal(raw, integer=True) is None


@pytest.mark.parametrize("raw", ["12.5", ".5", "5.", "-0.25"])
def test_plain_ascii_decimals_are_numbers(raw):
    assert check_number_literal(raw, integer=False) is None


@pytest.mark.parametrize(
    "raw",
    ["1_000", "١٢٣", "۱۲۳", "１２", "१२", "NaN", "nan", "Infinity", "-inf", "1e3", "1E-2",
     "1,000", "1 000", "12.5.1", "0x10", "½"],
)  # fmt: skip
def test_underscores_non_ascii_digits_specials_and_exponents_are_refused(raw):
    assert check_number_literal(raw, integer=False) is not None
    assert check_number_literal(raw, integer=True) is not None


def test_a_decimal_point_is_not_an_integer():
    assert check_number_literal("5.0", integer=True) is not None


@given(st.text(max_size=60))
def test_every_text_is_either_accepted_or_refused_with_a_known_reason(value):
    normalised = normalise_text(value, multiline=True)
    problem = check_text(normalised, multiline=True, limit=None)
    assert problem is None or problem.code in {"invisible_character", "formula", "too_long"}


@given(st.text(alphabet=st.sampled_from(BIDI_CONTROLS), min_size=1), st.text(max_size=20))
def test_any_text_holding_a_bidi_control_is_refused(controls, text):
    value = normalise_text(f"a{text}{controls}{text}b", multiline=True)
    assert check_text(value, multiline=True, limit=None) is not None


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_every_integer_as_python_prints_it_is_a_number(number):
    assert check_number_literal(str(number), integer=True) is None


@pytest.mark.parametrize("raw", ["٢٠٢٦-٠٥-٠١T10:00", "2026-05-01T١٠:٠٠", "２０２６-０５-０１"])
def test_a_date_time_with_non_ascii_digits_is_refused(raw):
    assert check_datetime_literal(raw) is not None


def test_a_date_time_in_ascii_digits_passes():
    assert check_datetime_literal("2026-05-01T10:00") is None
