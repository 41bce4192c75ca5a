"""SDTM IE, MH, CM and QS of an enrolled, infused CT1192 subject: IE only for criteria not met,
the disease under study and each line of other history in MH, medications and prior therapies
in CM, instrument scores in QS; keys, --SEQ, ISO 8601 dates and study days with no day 0."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from edc.audit import audited_update
from edc.crfs import crf_spec
from edc.sdtm import sdtm_dataset
from edc.services.crfs import crf_create
from screening.models import EligibilityDecision, MedicalHistory
from tests.adverse_events.journeys import DAY0, infused_subject
from tests.edc.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def subject(actor):
    return infused_subject(actor)


def _rows(domain, subject) -> list[dict]:
    return sdtm_dataset(domain, subject.study).rows


def test_an_eligible_subject_has_no_ie_record(subject):
    assert _rows("IE", subject) == []


def test_ie_has_an_inclusion_not_met_as_n_with_tis_code(subject, actor):
    decision = EligibilityDecision.objects.get(subject=subject)
    audited_update(
        decision,
        actor=actor,
        reason="Enrolled with a waiver of inclusion 1",
        changes={"failed_criteria": ["inc-1"]},
        expected_version=None,
    )
    [row] = _rows("IE", subject)
    assert (row["IETESTCD"], row["IECAT"], row["IEORRES"], row["IESEQ"]) == (
        "IN1", "INCLUSION", "N", 1
    )  # fmt: skip
    assert row["USUBJID"] == "CT1192-01-001"


def test_mh_has_the_disease_under_study_from_its_diagnosis_date(subject):
    [row] = _rows("MH", subject)
    history = MedicalHistory.objects.get(subject=subject)
    assert (row["MHCAT"], row["MHSTDTC"]) == (
        "PRIMARY DIAGNOSIS",
        history.diagnosis_date.isoformat(),
    )
    assert row["MHTERM"] == "MODERATE TO SEVERE REFRACTORY SYSTEMIC LUPUS ERYTHEMATOSUS"
    assert row["MHSTDY"] == (history.diagnosis_date - DAY0).days  # before day 1: no +1


def test_mh_has_one_general_record_per_line_of_other_history(subject, actor):
    history = MedicalHistory.objects.get(subject=subject)
    audited_update(
        history,
        actor=actor,
        reason="Completed",
        changes={"relevant_history": "Hypertension since 2019\n\n高血压"},
        expected_version=None,
    )
    general = [row for row in _rows("MH", subject) if row["MHCAT"] == "GENERAL"]
    assert [row["MHTERM"] for row in general] == ["Hypertension since 2019", "高血压"]
    assert [row["MHSEQ"] for row in _rows("MH", subject)] == [1, 2, 3]


def _medication(subject, actor, **changes):
    data = {
        "drug_name": "Paracetamol", "atc_code": "N02BE01", "start_date": DAY0,
        "stop_date": DAY0 + dt.timedelta(days=2), "dose": Decimal("500"), "dose_unit": "mg",
        "route": "oral", "indication": "Fever", **changes,
    }  # fmt: skip
    return crf_create(
        spec=crf_spec("concomitant_medication"),
        subject=subject,
        visit_code="D1",
        data=data,
        actor=actor,
    )


def test_cm_has_a_concomitant_medication_with_dose_route_and_days(subject, actor):
    _medication(subject, actor)
    [row] = [r for r in _rows("CM", subject) if r["CMCAT"] == "CONCOMITANT"]
    assert (row["CMTRT"], row["CMDOSE"], row["CMDOSU"], row["CMROUTE"], row["CMINDC"]) == (
        "Paracetamol", Decimal("500"), "mg", "ORAL", "Fever"
    )  # fmt: skip
    assert (row["CMSTDTC"], row["CMSTDY"], row["CMENDY"]) == (DAY0.isoformat(), 1, 3)
    assert (row["CMCLASCD"], row["CMDECOD"]) == ("N02BE01", "")


def test_cm_has_the_prior_therapies_of_the_disease_by_class(subject):
    prior = [r for r in _rows("CM", subject) if r["CMCAT"] == "PRIOR THERAPY"]
    assert prior
    assert all(row["CMSCAT"] and row["CMSTDY"] < 0 for row in prior)


def test_cm_seq_numbers_each_subjects_records_from_1(subject, actor):
    _medication(subject, actor)
    assert [row["CMSEQ"] for row in _rows("CM", subject)] == list(
        range(1, len(_rows("CM", subject)) + 1)
    )


def test_qs_has_the_sledai_2k_total_as_derived(subject):
    rows = {row["QSTESTCD"]: row for row in _rows("QS", subject)}
    assert rows["SLEDTOT"]["QSCAT"] == "SLEDAI-2K"
    assert rows["SLEDTOT"]["QSSTRESC"] == str(rows["SLEDTOT"]["QSSTRESN"])


def test_qs_has_the_bilag_2004_letter_of_each_system(subject):
    letters = [row for row in _rows("QS", subject) if row["QSTESTCD"].startswith("BLG")]
    assert len(letters) == 9
    assert {row["QSORRES"] for row in letters} <= set("ABCDE")
