"""The demo study exported in every format through the one export path and read back: XPORT by
pyreadstat and pandas, Dataset-JSON against the CDISC schema, Define-XML and ODM against their
XSDs. Subjects are USUBJIDs with study days, nothing identifies a person, a data cut is the
same bytes after later edits, the command writes the page's file, and a study that shifts
dates moves every subject's dates alike in every format."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import zipfile
from io import StringIO

import jsonschema
import pandas as pd
import pyreadstat
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from lxml import etree
from odmlib.schema_manager import get_schema_path

from edc import selectors
from edc.audit import system_user
from edc.crfs import crf_spec
from edc.dataset_formats import COMMAND_FORMATS
from edc.datasets import DatasetExport, dataset_export_request, dataset_export_run
from edc.deidentify import export_privacy
from edc.models import Subject
from edc.services.crfs import crf_update
from tests.edc.test_sdtm_writers import _schema as dataset_json_schema
from tests.module_data import module_data

pytestmark = pytest.mark.django_db

PARSER = etree.XMLParser(no_network=True, resolve_entities=False)
ODM = {"odm": "http://www.cdisc.org/ns/odm/v1.3"}
SEEDED = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)
TODAY = SEEDED + dt.timedelta(days=1, hours=2)
YESTERDAY = SEEDED + dt.timedelta(hours=12)
STUDY = "CT1192"


@functools.cache
def _xsd(standard: str, version: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(get_schema_path(standard, version), PARSER))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _seed_at_seeded() -> None:
    with time_machine.travel(SEEDED, tick=False):
        call_command("seed_demo", "--password", "demo-Test-2026", stdout=StringIO())


seeded = module_data(_seed_at_seeded)


@pytest.fixture
def demo(seeded):
    return Subject.objects.filter(study__registry_id=STUDY)


def _export(kind: str, as_of=None, audit_records=False) -> DatasetExport:
    study = Subject.objects.filter(study__registry_id=STUDY).first().study
    export = dataset_export_request(
        study=study,
        actor=system_user(),
        as_of=as_of,
        kind=kind,
        audit_records=audit_records,
        enqueue=False,
    )
    export = dataset_export_run(str(export.pk))
    assert export.status == DatasetExport.Status.DONE, export.error
    return export


def _bytes(export: DatasetExport) -> bytes:
    with export.file.open("rb") as stored:
        return stored.read()


def _members(export: DatasetExport) -> dict[str, bytes]:
    data = _bytes(export)
    if not data.startswith(b"PK"):
        return {export.download_name: data}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _enrolled_usubjids(subjects) -> set[str]:
    return {s.subject_identifier for s in subjects if s.subject_identifier}


def _xpt(tmp_path, name: str, data: bytes) -> tuple[pd.DataFrame, object, pd.DataFrame]:
    path = tmp_path / name
    path.write_bytes(data)
    frame, meta = pyreadstat.read_xport(str(path))
    return frame, meta, pd.read_sas(path, format="xport", encoding="ascii")


def test_the_sdtm_package_holds_xpt_json_and_define_of_every_domain(demo):
    members = _members(_export("sdtm"))
    domains = {name.split(".")[0] for name in members if name != "define.xml"}
    assert "dm" in domains
    assert set(members) == {f"{d}.{ext}" for d in domains for ext in ("xpt", "json")} | {
        "define.xml"
    }


def test_xpt_files_read_back_with_pyreadstat_and_pandas_with_usubjid_and_study_days(demo, tmp_path):
    members = _members(_export("xpt"))
    dm, meta, by_pandas = _xpt(tmp_path, "dm.xpt", members["dm.xpt"])
    assert meta.table_name == "DM"
    assert set(dm["USUBJID"]) == _enrolled_usubjids(demo)
    assert by_pandas["USUBJID"].tolist() == dm["USUBJID"].tolist()
    ex, _meta, _ = _xpt(tmp_path, "ex.xpt", members["ex.xpt"])
    cart = ex[ex["EXCAT"] == "CAR-T CELL THERAPY"]
    assert not cart.empty
    assert set(cart["EXSTDY"]) == {1.0}  # the infusion is study day 1
    assert (ex[ex["EXCAT"] == "LYMPHODEPLETION"]["EXSTDY"] < 0).all()


def test_dataset_json_files_are_valid_against_the_cdisc_schema(demo):
    members = _members(_export("dataset_json"))
    validator = jsonschema.Draft201909Validator(dataset_json_schema())
    assert "define.xml" in members
    for name, data in members.items():
        if name == "define.xml":
            continue
        document = json.loads(data)
        validator.validate(document)
        assert document["records"] == len(document["rows"]), name
    dm = json.loads(members["dm.json"])
    column = [c["name"] for c in dm["columns"]].index("USUBJID")
    assert {row[column] for row in dm["rows"]} == _enrolled_usubjids(demo)


def test_define_xml_is_valid_against_the_define_2_1_schema(demo):
    (data,) = _members(_export("define")).values()
    _xsd("define", "2.1").assertValid(etree.fromstring(data, PARSER))


def test_odm_is_valid_against_the_odm_1_3_2_schema_with_and_without_audit_records(demo):
    for audit_records in (False, True):
        (data,) = _members(_export("odm", audit_records=audit_records)).values()
        document = etree.fromstring(data, PARSER)
        _xsd("odm", "1.3.2").assertValid(document)
        keys = {s.get("SubjectKey") for s in document.iterfind(".//odm:SubjectData", ODM)}
        assert _enrolled_usubjids(demo) <= keys


KINDS = list(COMMAND_FORMATS.values())


def _everything(kind: str, **options) -> bytes:
    return b"".join(_members(_export(kind, **options)).values())


def test_no_format_holds_initials_or_a_date_of_birth(demo):
    for kind in KINDS:
        everything = _everything(kind, audit_records=kind == "odm")
        for subject in demo:
            assert subject.date_of_birth.isoformat().encode() not in everything, kind
            for quoted in (
                f'"{subject.initials}"',
                f">{subject.initials}<",
                f",{subject.initials},",
            ):
                assert quoted.encode() not in everything, kind


def test_the_age_stands_in_for_the_date_of_birth(demo, tmp_path):
    dm, _meta, _ = _xpt(tmp_path, "dm.xpt", _members(_export("xpt"))["dm.xpt"])
    assert "BRTHDTC" not in dm.columns
    assert dm["AGE"].notna().any()
    assert set(dm.loc[dm["AGE"].notna(), "AGEU"]) == {"YEARS"}


def test_free_text_the_protocol_marks_identifying_is_in_no_format(demo):
    subject = next(s for s in demo if s.subject_identifier)
    history = subject.screening_medicalhistory_set.first()
    with time_machine.travel(TODAY, tick=False):
        crf_update(
            history,
            spec=crf_spec("medical_history"),
            data={"relevant_history": "Seen by Dr Zhang Wei at Wuhan No. 3 Hospital"},
            reason="Added history",
            expected_version=history.row_version,
            actor=system_user(),
        )
        for kind in KINDS:
            assert b"Zhang Wei" not in _everything(kind, audit_records=kind == "odm"), kind


def test_a_data_cut_as_of_yesterday_is_the_same_bytes_after_todays_edits(demo):
    def cut(kind, as_of=YESTERDAY):
        return _export(kind, as_of=as_of, audit_records=kind == "odm")

    with time_machine.travel(TODAY, tick=False):
        first = {kind: cut(kind) for kind in KINDS}
        subject = next(s for s in demo if s.subject_identifier)
        vitals = subject.screening_vitalsigns_set.order_by("created_at").first()
        crf_update(
            vitals,
            spec=crf_spec("vital_signs"),
            data={"weight_kg": vitals.weight_kg + 1},
            reason="Transcription error",
            expected_version=vitals.row_version,
            actor=system_user(),
        )
    with time_machine.travel(TODAY + dt.timedelta(hours=1), tick=False):
        for kind in KINDS:
            again, now = cut(kind), cut(kind, as_of=None)
            assert _bytes(again) == _bytes(first[kind]), kind
            assert again.sha256 == first[kind].sha256, kind
            if kind != "define":  # define.xml describes the data, no value of it
                assert now.sha256 != first[kind].sha256, kind


def test_the_command_writes_the_bytes_the_page_offers(
    demo, tmp_path, client, django_capture_on_commit_callbacks
):
    sponsor = get_user_model().objects.get(username="sponsor")
    for name in COMMAND_FORMATS:
        _command_and_page_agree(
            name, tmp_path / name, client, sponsor, django_capture_on_commit_callbacks
        )


def _command_and_page_agree(name, out, client, sponsor, on_commit):
    with time_machine.travel(TODAY, tick=False):
        client.force_login(sponsor)
        call_command(
            "export_datasets",
            "--study",
            STUDY,
            "--format",
            name,
            "--out",
            str(out),
            "--as-of",
            YESTERDAY.isoformat(),
            stdout=StringIO(),
        )
        (written,) = out.iterdir()
        with on_commit(execute=True):
            client.post(
                reverse("edc:datasets", args=[STUDY]),
                {"kind": COMMAND_FORMATS[name], "as_of": YESTERDAY.strftime("%Y-%m-%dT%H:%M")},
            )
        export = DatasetExport.objects.get(requested_by=sponsor, kind=COMMAND_FORMATS[name])
        response = client.get(reverse("edc:dataset-download", args=[STUDY, export.pk]))
    assert b"".join(response.streaming_content) == written.read_bytes(), name
    assert response["Content-Type"] == export.content_type


def test_an_export_records_who_what_rows_and_the_sha256_of_each_file(demo):
    export = _export("sdtm")
    assert export.requested_by == system_user()
    members = _members(export)
    assert {f["name"] for f in export.files} == set(members)
    dm = next(f for f in export.files if f["name"] == "dm.json")
    assert dm["rows"] == json.loads(members["dm.json"])["records"]
    assert all(len(f["sha256"]) == 64 for f in export.files)
    assert export.history.filter(history_change_reason="Export finished").exists()


def test_audit_records_are_refused_for_a_format_other_than_odm(demo):
    with pytest.raises(Exception, match="ODM"):
        _export("sdtm", audit_records=True)


# Date shifting -------------------------------------------------------------------------------


@pytest.fixture
def shifting(demo, monkeypatch):
    """The study's protocol with a 30-day shift, as an amendment would set it."""
    real = selectors.protocol_definition

    def with_shift(study):
        definition = real(study)
        return definition.model_copy(
            update={
                "deidentification": definition.deidentification.model_copy(
                    update={"date_shift_days": 30}
                )
            }
        )

    monkeypatch.setattr(selectors, "protocol_definition", with_shift)
    return demo


def _offset(usubjid: str) -> int:
    return export_privacy(Subject.objects.get(subject_identifier=usubjid).study).date_shift.days(
        usubjid
    )


def test_date_shifting_is_off_unless_the_protocol_sets_it(demo, tmp_path):
    dm, _meta, _ = _xpt(tmp_path, "dm.xpt", _members(_export("xpt"))["dm.xpt"])
    by_id = {s.subject_identifier: s for s in demo if s.subject_identifier}
    for usubjid, rficdtc in zip(dm["USUBJID"], dm["RFICDTC"], strict=True):
        assert rficdtc == by_id[usubjid].consent_date.isoformat()


def test_a_shifted_study_moves_each_subjects_dates_by_its_offset_in_every_format(
    shifting, tmp_path
):
    by_id = {s.subject_identifier: s for s in shifting if s.subject_identifier}
    dm, _meta, _ = _xpt(tmp_path, "dm.xpt", _members(_export("xpt"))["dm.xpt"])
    subjects_csv = list(
        csv.DictReader(
            io.StringIO(_members(_export("analysis_csv"))["subjects.csv"].decode("utf-8-sig"))
        )
    )
    (odm_data,) = _members(_export("odm")).values()
    odm = etree.fromstring(odm_data, PARSER)
    for usubjid, subject in by_id.items():
        offset = _offset(usubjid)
        assert offset != 0
        assert -30 <= offset <= 30
        expected = (subject.consent_date + dt.timedelta(days=offset)).isoformat()
        assert dm.loc[dm["USUBJID"] == usubjid, "RFICDTC"].item() == expected
        (row,) = [r for r in subjects_csv if r["USUBJID"] == usubjid]
        assert row["consent_date"] == expected
        consent = odm.find(
            f".//odm:SubjectData[@SubjectKey='{usubjid}']//odm:ItemData"
            "[@ItemOID='IT.SUBJECT.CONSENT_DATE']",
            ODM,
        )
        assert consent.get("Value") == expected


def test_a_shifted_study_keeps_the_study_days(shifting, demo, tmp_path):
    with time_machine.travel(TODAY, tick=False):
        shifted_ex, _m, _ = _xpt(tmp_path, "ex.xpt", _members(_export("xpt"))["ex.xpt"])
    assert set(shifted_ex[shifted_ex["EXCAT"] == "CAR-T CELL THERAPY"]["EXSTDY"]) == {1.0}
