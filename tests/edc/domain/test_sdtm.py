"""SDTM rules every domain shares: the XPORT v5 limits named by location, --DY without a day 0,
ISO 8601 --DTC, --SEQ per subject, USUBJID and supplemental qualifiers."""

from __future__ import annotations

import datetime as dt

import pytest

from edc.domain.sdtm import (
    Dataset,
    DatasetSpec,
    DataType,
    PartialDate,
    Qualifier,
    SdtmError,
    Variable,
    assign_seq,
    check_dataset,
    country_code,
    dtc,
    split_supplemental,
    study_day,
    subjid,
    usubjid,
)

INFUSION = dt.date(2026, 5, 6)
SPEC = DatasetSpec(
    "AE",
    "Adverse Events",
    (Variable("USUBJID", "Unique Subject Identifier"), Variable("AESEQ", "Seq", DataType.INTEGER)),
)


def _problems(spec: DatasetSpec, rows=()) -> list[str]:
    with pytest.raises(SdtmError) as info:
        check_dataset(Dataset(spec, list(rows)))
    return [str(problem) for problem in info.value.problems]


def test_a_valid_dataset_passes():
    check_dataset(Dataset(SPEC, [{"USUBJID": "CT1192-01-001", "AESEQ": 1}]))


def test_a_variable_name_over_8_characters_is_refused_by_name():
    spec = DatasetSpec("AE", "Adverse Events", (Variable("AESTDTCXX", "Start"),))
    assert _problems(spec) == ["AE.AESTDTCXX: name 'AESTDTCXX' must be 1 to 8 characters"]


def test_a_lower_case_name_is_refused():
    spec = DatasetSpec("AE", "Adverse Events", (Variable("aeterm", "Term"),))
    assert _problems(spec) == ["AE.aeterm: name 'aeterm' must be upper-case letters, digits and _"]


def test_a_41_character_label_is_refused():
    spec = DatasetSpec("AE", "Adverse Events", (Variable("AETERM", "x" * 41),))
    assert _problems(spec) == ["AE.AETERM: label 41 characters, at most 40 allowed"]


def test_a_dataset_label_over_40_characters_is_refused():
    spec = DatasetSpec("AE", "A" * 41, SPEC.variables)
    assert _problems(spec) == ["AE: dataset label 41 characters, at most 40 allowed"]


def test_a_value_over_200_characters_is_refused_with_its_row():
    rows = [{"USUBJID": "S1", "AESEQ": 1}, {"USUBJID": "S" * 201, "AESEQ": 2}]
    assert _problems(SPEC, rows) == ["AE.USUBJID row 2: 201 characters, at most 200 allowed"]


def test_non_ascii_text_is_refused_with_its_row():
    assert _problems(SPEC, [{"USUBJID": "红斑狼疮", "AESEQ": 1}]) == [
        "AE.USUBJID row 1: non-ASCII character '红'"
    ]


def test_a_fraction_in_an_integer_variable_is_refused():
    assert _problems(SPEC, [{"USUBJID": "S1", "AESEQ": 1.5}]) == [
        "AE.AESEQ row 1: integer expected, got 1.5"
    ]


def test_a_value_for_an_undeclared_variable_is_refused():
    assert _problems(SPEC, [{"USUBJID": "S1", "AESEQ": 1, "AEXX": "?"}]) == [
        "AE.AEXX row 1: value for an undeclared variable"
    ]


def test_every_problem_is_reported_at_once():
    spec = DatasetSpec("AE", "Adverse Events", (Variable("AETERM", "x" * 41),))
    assert len(_problems(spec, [{"AETERM": "é"}])) == 2


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (INFUSION, 1),
        (INFUSION + dt.timedelta(days=1), 2),
        (INFUSION - dt.timedelta(days=1), -1),
        (INFUSION - dt.timedelta(days=5), -5),
        (INFUSION + dt.timedelta(days=27), 28),
    ],
)
def test_study_day_counts_from_day_1_at_the_infusion_with_no_day_0(day, expected):
    assert study_day(day, INFUSION) == expected


def test_study_day_of_a_datetime_is_that_of_its_date():
    assert study_day(dt.datetime(2026, 5, 6, 23, 59), INFUSION) == 1


def test_no_study_day_without_a_reference_or_for_a_partial_date():
    assert study_day(INFUSION, None) is None
    assert study_day(PartialDate(2026, 5), INFUSION) is None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.date(2026, 5, 6), "2026-05-06"),
        (dt.datetime(2026, 5, 6, 9, 5), "2026-05-06T09:05"),
        (dt.datetime(2026, 5, 6, 9, 5, 30), "2026-05-06T09:05:30"),
        (PartialDate(2025), "2025"),
        (PartialDate(2025, 3), "2025-03"),
        (PartialDate(2025, 3, 9), "2025-03-09"),
        (None, ""),
    ],
)
def test_dtc_is_iso_8601_down_to_what_is_known(value, text):
    assert dtc(value) == text


def test_a_partial_date_with_a_day_but_no_month_is_impossible():
    with pytest.raises(ValueError, match="a day needs a month"):
        PartialDate(2025, None, 3)


def test_seq_numbers_each_subjects_records_from_1_in_order():
    rows = [
        {"USUBJID": "B", "AESTDTC": "2026-05-09"},
        {"USUBJID": "A", "AESTDTC": "2026-05-08"},
        {"USUBJID": "B", "AESTDTC": "2026-05-07"},
    ]
    numbered = assign_seq(rows, "AESEQ", order=lambda row: row["AESTDTC"])
    assert [(r["USUBJID"], r["AESTDTC"], r["AESEQ"]) for r in numbered] == [
        ("A", "2026-05-08", 1),
        ("B", "2026-05-07", 1),
        ("B", "2026-05-09", 2),
    ]


def test_usubjid_is_studyid_dash_subjid_without_repeating_the_study():
    code = "CT1192"
    assert usubjid(code, subjid("CT1192-01-001", code)) == "CT1192-01-001"
    assert usubjid(code, subjid("007", code)) == "CT1192-007"


def test_country_is_iso_3166_alpha_3_and_an_unknown_code_fails():
    assert country_code("cn") == "CHN"
    with pytest.raises(ValueError, match="ZZ"):
        country_code("ZZ")


def test_supplemental_qualifiers_leave_the_parent_and_point_at_its_seq():
    rows = [
        {"STUDYID": "S", "USUBJID": "S-1", "AESEQ": 2, "AETERM": "Fever", "AESI": "CRS"},
        {"STUDYID": "S", "USUBJID": "S-1", "AESEQ": 3, "AETERM": "Rash", "AESI": ""},
    ]
    parents, supp = split_supplemental("AE", rows, [Qualifier("AESI", "Special Interest")])
    assert all("AESI" not in row for row in parents)
    assert [(r["IDVAR"], r["IDVARVAL"], r["QNAM"], r["QVAL"]) for r in supp] == [
        ("AESEQ", "2", "AESI", "CRS")
    ]
