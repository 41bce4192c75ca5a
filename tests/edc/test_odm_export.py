"""CDISC ODM 1.3.2 export: valid against the official XSD (odmlib ships it), metadata from the
protocol and the CRF registry in both languages, clinical data keyed by USUBJID and
de-identified, as of the export's moment, with audit records and signatures on request."""

from __future__ import annotations

import datetime as dt
import functools
import io

import pytest
import time_machine
from lxml import etree
from odmlib.schema_manager import get_schema_path

from edc.crfs import crf_spec, registered_specs
from edc.deidentify import ExportPrivacy, export_privacy
from edc.odm_export import write_odm
from edc.selectors import protocol_definition
from edc.services.crfs import crf_create, crf_update
from tests.edc.factories import SubjectFactory, UserFactory
from tests.edc.review_journeys import SIGNING_PASSWORD, sign_casebook

pytestmark = pytest.mark.django_db

NS = {"odm": "http://www.cdisc.org/ns/odm/v1.3"}
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PARSER = etree.XMLParser(no_network=True, resolve_entities=False)
REGISTERED = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
ENTERED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
CORRECTED = dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC)
BETWEEN = dt.datetime(2026, 3, 3, 12, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 3, 6, 9, 0, tzinfo=dt.UTC)


@functools.cache
def odm_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(get_schema_path("odm", "1.3.2"), PARSER))


@pytest.fixture
def subject(site_a, stratum):
    with time_machine.travel(REGISTERED, tick=False):
        return SubjectFactory(
            study_site=site_a,
            stratum=stratum,
            initials="QXZ",
            date_of_birth=dt.date(1971, 3, 14),
            consent_date=REGISTERED.date(),
            subject_identifier=f"{site_a.study.study_code}-01-007",
        )


def _vitals(subject, weight=70):
    with time_machine.travel(ENTERED, tick=False):
        return crf_create(
            spec=crf_spec("vital_signs"),
            subject=subject,
            visit_code="SCR",
            data={"measured_on": dt.date(2026, 3, 2), "height_cm": 175, "weight_kg": weight},
            actor=UserFactory(username="nurse_li"),
        )


def _correct(row, reason="Transcription error", **data):
    with time_machine.travel(CORRECTED, tick=False):
        return crf_update(
            row,
            spec=crf_spec("vital_signs"),
            data=data,
            reason=reason,
            expected_version=row.row_version,
            actor=UserFactory(username="monitor_wang"),
        )


def _odm(study, as_of=LATER, privacy=None, audit_records=False) -> etree._Element:
    out = io.BytesIO()
    write_odm(
        out,
        study=study,
        definition=protocol_definition(study),
        as_of=as_of,
        privacy=privacy or export_privacy(study),
        audit_records=audit_records,
    )
    return etree.fromstring(out.getvalue(), PARSER)


def _item_values(document, item_oid) -> list[str]:
    return [
        e.get("Value") for e in document.iterfind(f".//odm:ItemData[@ItemOID='{item_oid}']", NS)
    ]


def test_the_document_is_valid_against_the_odm_1_3_2_schema(subject):
    _vitals(subject)
    document = _odm(subject.study)
    odm_schema().assertValid(document)


def test_with_audit_records_and_signatures_the_document_is_still_valid(subject):
    _correct(_vitals(subject), weight_kg=71)
    document = _odm(subject.study, audit_records=True)
    odm_schema().assertValid(document)


def test_one_study_event_def_per_protocol_visit_in_schedule_order(study):
    document = _odm(study)
    visits = [v.code for v in protocol_definition(study).visits]
    events = [e.get("StudyEventOID") for e in document.iterfind(".//odm:StudyEventRef", NS)]
    assert events == ["SE.SUBJECT", *(f"SE.{code}" for code in visits), "SE.UNSCHEDULED"]


def test_every_registered_crf_has_a_form_def(study):
    document = _odm(study)
    forms = {e.get("OID") for e in document.iterfind(".//odm:FormDef", NS)}
    assert forms == {"F.SUBJECT"} | {f"F.{spec.code.upper()}" for spec in registered_specs()}


def test_rows_a_form_saves_with_itself_are_a_repeating_item_group(study):
    document = _odm(study)
    group = document.find(".//odm:ItemGroupDef[@OID='IG.LAB_PANEL.RESULTS']", NS)
    assert group.get("Repeating") == "Yes"
    form = document.find(".//odm:FormDef[@OID='F.LAB_PANEL']", NS)
    refs = [r.get("ItemGroupOID") for r in form.iterfind("odm:ItemGroupRef", NS)]
    assert refs == ["IG.LAB_PANEL", "IG.LAB_PANEL.RESULTS"]


def test_items_have_their_type_unit_and_labels_in_english_and_chinese(study):
    document = _odm(study)
    item = document.find(".//odm:ItemDef[@OID='IT.VITAL_SIGNS.WEIGHT_KG']", NS)
    assert item.get("DataType") == "float"
    assert item.find("odm:MeasurementUnitRef", NS).get("MeasurementUnitOID") == "MU.kg"
    texts = {t.get(LANG): t.text for t in item.iterfind("odm:Question/odm:TranslatedText", NS)}
    assert set(texts) == {"en", "zh-Hans"}
    assert texts["en"] != texts["zh-Hans"]


def test_code_lists_decode_every_choice_in_both_languages(study):
    document = _odm(study)
    codelist = document.find(".//odm:CodeList[@OID='CL.SUBJECT.SEX']", NS)
    decodes = {
        item.get("CodedValue"): {
            t.get(LANG): t.text for t in item.iterfind("odm:Decode/odm:TranslatedText", NS)
        }
        for item in codelist.iterfind("odm:CodeListItem", NS)
    }
    assert set(decodes) == {"F", "M"}
    assert decodes["F"]["en"] == "Female"
    assert decodes["F"]["zh-Hans"] != "Female"


def test_subjects_are_keyed_by_usubjid_without_initials_or_date_of_birth(subject):
    _vitals(subject)
    data = etree.tostring(_odm(subject.study))
    document = etree.fromstring(data)
    keys = [s.get("SubjectKey") for s in document.iterfind(".//odm:SubjectData", NS)]
    assert keys == [subject.subject_identifier]
    assert b"QXZ" not in data
    assert b"1971-03-14" not in data
    assert _item_values(document, "IT.SUBJECT.AGE") == ["54"]


def test_a_form_row_is_in_its_visit_with_its_values(subject):
    _vitals(subject, weight=70)
    document = _odm(subject.study)
    event = document.find(".//odm:SubjectData/odm:StudyEventData[@StudyEventOID='SE.SCR']", NS)
    form = event.find("odm:FormData[@FormOID='F.VITAL_SIGNS']", NS)
    values = {i.get("ItemOID"): i.get("Value") for i in form.iterfind(".//odm:ItemData", NS)}
    assert values["IT.VITAL_SIGNS.WEIGHT_KG"] == "70.0"
    assert values["IT.VITAL_SIGNS.MEASURED_ON"] == "2026-03-02"


def test_the_data_are_those_of_the_moment_asked_for(subject):
    _correct(_vitals(subject, weight=70), weight_kg=71)
    assert _item_values(_odm(subject.study, as_of=BETWEEN), "IT.VITAL_SIGNS.WEIGHT_KG") == ["70.0"]
    assert _item_values(_odm(subject.study, as_of=LATER), "IT.VITAL_SIGNS.WEIGHT_KG") == ["71.0"]


def test_a_subject_registered_after_the_cut_is_not_in_it(subject):
    document = _odm(subject.study, as_of=subject.created_at - dt.timedelta(seconds=1))
    assert document.find(".//odm:SubjectData", NS) is None


def test_an_identifying_field_is_neither_described_nor_exported(subject):
    _vitals(subject)
    privacy = ExportPrivacy(identifying={"vital_signs": frozenset({"weight_kg"})})
    document = _odm(subject.study, privacy=privacy)
    assert document.find(".//odm:ItemDef[@OID='IT.VITAL_SIGNS.WEIGHT_KG']", NS) is None
    assert _item_values(document, "IT.VITAL_SIGNS.WEIGHT_KG") == []
    assert _item_values(document, "IT.VITAL_SIGNS.HEIGHT_CM") == ["175.0"]


def test_an_audit_record_gives_who_when_and_why_of_the_value_at_the_cut(subject):
    _correct(_vitals(subject), weight_kg=71, reason="Transcription error")
    document = _odm(subject.study, audit_records=True)
    form = document.find(".//odm:FormData[@FormOID='F.VITAL_SIGNS']", NS)
    record = form.find("odm:AuditRecord", NS)
    user_oid = record.find("odm:UserRef", NS).get("UserOID")
    user = document.find(f".//odm:AdminData/odm:User[@OID='{user_oid}']", NS)
    assert user.find("odm:LoginName", NS).text == "monitor_wang"
    assert record.find("odm:DateTimeStamp", NS).text == "2026-03-05T09:00:00+00:00"
    assert record.find("odm:ReasonForChange", NS).text == "Transcription error"


def test_without_the_option_there_are_no_audit_records(subject):
    _vitals(subject)
    document = _odm(subject.study)
    assert document.find(".//odm:AuditRecord", NS) is None
    assert document.find(".//odm:AdminData/odm:User", NS) is None


def _sign(subject, username="pi_zhao"):
    signer = UserFactory(username=username, password=SIGNING_PASSWORD)
    with time_machine.travel(CORRECTED, tick=False):
        return sign_casebook(subject, signer, CORRECTED)


def _correct_weight_at(vitals, when):
    with time_machine.travel(when, tick=False):
        crf_update(
            vitals,
            spec=crf_spec("vital_signs"),
            data={"weight_kg": 71},
            reason="Transcription error",
            expected_version=type(vitals).objects.get(pk=vitals.pk).row_version,
            actor=UserFactory(),
        )


def _form_signature(document):
    return document.find(".//odm:FormData[@FormOID='F.VITAL_SIGNS']/odm:Signature", NS)


def test_a_signed_form_carries_the_signature_of_who_signed_it(subject):
    _vitals(subject)
    _sign(subject)
    document = _odm(subject.study, audit_records=True)
    signature = _form_signature(document)
    user_oid = signature.find("odm:UserRef", NS).get("UserOID")
    user = document.find(f".//odm:AdminData/odm:User[@OID='{user_oid}']", NS)
    assert user.find("odm:LoginName", NS).text == "pi_zhao"
    assert signature.find("odm:DateTimeStamp", NS).text == "2026-03-05T09:00:00+00:00"
    odm_schema().assertValid(document)


def test_the_signature_refers_to_the_meaning_the_signer_declared(subject):
    _vitals(subject)
    _sign(subject)
    document = _odm(subject.study, audit_records=True)
    oid = _form_signature(document).find("odm:SignatureRef", NS).get("SignatureOID")
    meaning = document.find(f".//odm:SignatureDef[@OID='{oid}']/odm:Meaning", NS)
    assert meaning.text == "I approve the data recorded in this casebook"


def test_a_signature_invalidated_before_the_cut_is_not_carried(subject):
    vitals = _vitals(subject)
    _sign(subject)
    _correct_weight_at(vitals, CORRECTED + dt.timedelta(hours=1))
    assert _form_signature(_odm(subject.study, audit_records=True)) is None


def test_a_signature_invalidated_after_the_cut_is_carried_as_of_the_cut(subject):
    vitals = _vitals(subject)
    _sign(subject)
    _correct_weight_at(vitals, LATER + dt.timedelta(days=1))
    assert _form_signature(_odm(subject.study, as_of=LATER, audit_records=True)) is not None


def test_two_writes_as_of_one_moment_are_the_same_bytes(subject):
    _vitals(subject)

    def written() -> bytes:
        out = io.BytesIO()
        write_odm(
            out,
            study=subject.study,
            definition=protocol_definition(subject.study),
            as_of=LATER,
            privacy=export_privacy(subject.study),
            audit_records=True,
        )
        return out.getvalue()

    assert written() == written()
