"""SDTM DM and EX of treated subjects: one DM record per enrolled subject with RFSTDTC at the
infusion and no personal data; EX with lymphodepletion in mg/m² and the CAR-T dose in cells/kg."""

import datetime as dt

import pytest

from edc.audit import audited_update
from edc.crfs import crf_spec
from edc.sdtm import sdtm_dataset
from edc.services.crfs import crf_create
from tests.adverse_events.journeys import DAY0, infused_subject
from tests.dosing.journeys import enrol, lymphodeplete
from tests.edc.factories import UserFactory
from tests.screening.journeys import CONSENT, TODAY, ct1192_subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def subject(actor):
    return infused_subject(actor)


def _dm(study):
    return sdtm_dataset("DM", study).rows


def test_dm_has_one_record_per_treated_subject_with_rfstdtc_at_the_infusion(subject):
    (row,) = _dm(subject.study)
    assert (row["USUBJID"], row["RFSTDTC"]) == (subject.subject_identifier, DAY0.isoformat())
    assert (row["RFICDTC"], row["RFXSTDTC"], row["RFXENDTC"]) == (
        CONSENT.isoformat(), (DAY0 - dt.timedelta(days=5)).isoformat(), f"{DAY0.isoformat()}T09:20"
    )  # fmt: skip
    assert row["ARMNRS"] == ""


def test_dm_takes_age_sex_race_and_ethnicity_in_cdisc_terms(subject, actor):
    demographics = crf_create(
        spec=crf_spec("demographics"),
        subject=subject,
        visit_code="SCR",
        data={"ethnicity": "not_hispanic_or_latino", "race": "asian", "ethnic_group": "Han"},
        actor=actor,
    )
    (row,) = _dm(subject.study)
    age = demographics.age_at_consent_years
    assert (row["AGE"], row["AGEU"], row["SEX"]) == (age, "YEARS", "F")
    assert (row["RACE"], row["ETHNIC"]) == ("ASIAN", "NOT HISPANIC OR LATINO")
    assert (row["SITEID"], row["COUNTRY"]) == ("01", "CHN")


def test_dm_without_demographics_leaves_age_race_and_ethnicity_blank(subject):
    (row,) = _dm(subject.study)
    assert (row["AGE"], row["RACE"], row["ETHNIC"]) == (None, "", "")


def test_dm_arm_is_the_assigned_and_the_infused_dose_level(subject):
    (row,) = _dm(subject.study)
    level = subject.dose_assignment.dose_level
    assert (row["ARMCD"], row["ACTARMCD"]) == (f"DL{level}", f"DL{level}")


def test_dm_holds_no_initials_name_or_date_of_birth(subject):
    (row,) = _dm(subject.study)
    text = " ".join(str(value) for value in row.values())
    assert subject.initials not in text
    assert subject.date_of_birth.isoformat() not in text
    assert not {"BRTHDTC", "INITIALS"} & row.keys()


def test_an_enrolled_subject_not_yet_infused_is_assigned_not_treated(actor):
    subject = enrol(actor, today=TODAY)
    (row,) = _dm(subject.study)
    assert (row["RFSTDTC"], row["RFXSTDTC"], row["ACTARMCD"], row["ARMCD"]) == ("", "", "", "DL1")
    assert row["ARMNRS"] == "ASSIGNED, NOT TREATED"


def test_a_lymphodepleted_subject_not_infused_has_exposure_dates_but_no_rfstdtc(actor):
    subject = enrol(actor, today=TODAY)
    lymphodeplete(subject, actor, day0=DAY0)
    (row,) = _dm(subject.study)
    assert (row["RFSTDTC"], row["RFXSTDTC"], row["RFXENDTC"]) == (
        "", (DAY0 - dt.timedelta(days=5)).isoformat(), (DAY0 - dt.timedelta(days=3)).isoformat()
    )  # fmt: skip


def test_a_subject_still_in_screening_is_not_in_dm():
    subject = ct1192_subject()
    assert _dm(subject.study) == []


def test_ex_has_each_lymphodepletion_day_in_mg_per_m2_before_day_1(subject):
    rows = [r for r in sdtm_dataset("EX", subject.study).rows if r["EXCAT"] == "LYMPHODEPLETION"]
    course = subject.dosing_lymphodepletioncourse_set.get()
    fludarabine = [r for r in rows if r["EXTRT"] == "FLUDARABINE"]
    assert [r["EXSTDY"] for r in fludarabine] == [-5, -4, -3]
    dose = course.doses.filter(drug="fludarabine").first()
    assert fludarabine[0]["EXDOSE"] == round(dose.administered_mg / course.bsa_m2, 2)
    assert {r["EXDOSU"] for r in rows} == {"mg/m2"}


def test_ex_has_the_car_t_infusion_in_cells_per_kg_on_day_1(subject):
    (row,) = [r for r in sdtm_dataset("EX", subject.study).rows if r["EXCAT"] != "LYMPHODEPLETION"]
    infusion = subject.dosing_infusion_set.get()
    dose = (row["EXDOSE"], row["EXDOSU"], row["EXLOT"])
    assert dose == (infusion.cells_per_kg, "cells/kg", "LOT-1")
    assert (row["EXSTDTC"], row["EXENDTC"], row["EXSTDY"]) == (
        f"{DAY0.isoformat()}T09:00", f"{DAY0.isoformat()}T09:20", 1
    )  # fmt: skip


def test_ex_seq_runs_in_time_order(subject):
    rows = sdtm_dataset("EX", subject.study).rows
    assert [r["EXSEQ"] for r in rows] == list(range(1, len(rows) + 1))
    assert [r["EXSTDTC"] for r in rows] == sorted(r["EXSTDTC"] for r in rows)


def test_suppdm_holds_the_stratum_keyed_by_the_subject(subject):
    (row,) = sdtm_dataset("SUPPDM", subject.study).rows
    assert (row["USUBJID"], row["IDVAR"], row["QNAM"], row["QVAL"]) == (
        subject.subject_identifier, "", "STRATUM", subject.stratum.code.upper()
    )  # fmt: skip


def test_a_lymphodepletion_day_not_given_is_no_exposure(subject, actor):
    course = subject.dosing_lymphodepletioncourse_set.get()
    skipped = course.doses.get(drug="fludarabine", study_day=-3)
    audited_update(
        skipped, actor=actor, reason="Not given", changes={"administered_mg": None},
        expected_version=None,
    )  # fmt: skip
    fludarabine = [r for r in sdtm_dataset("EX", subject.study).rows if r["EXTRT"] == "FLUDARABINE"]
    assert [r["EXSTDY"] for r in fludarabine] == [-5, -4]
