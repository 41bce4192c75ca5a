"""Demo screening data: the forms each stratum's criteria read, entered through the services.

A demo subject meant to go beyond screening gets every form its stratum needs and the
investigator's confirmations, and is enrolled through the eligibility gate (so the dose-level
assignment runs too); a screen failure gets a failing value; a subject still in screening gets
only the common forms, so the checklist shows what is missing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from edc.crfs import crf_spec
from edc.models import Subject
from edc.selectors import protocol_definition
from edc.services.crfs import crf_create
from screening import blank_entries
from screening.selectors import eligibility_assessment
from screening.services.eligibility import (
    eligibility_confirm,
    subject_enrol_if_eligible,
    subject_screen_fail,
)


def lab(value: str, unit: str, lln: str, uln: str) -> dict[str, Any]:
    return {"value": Decimal(value), "unit": unit, "lln": Decimal(lln), "uln": Decimal(uln)}


NORMAL_LABS = {
    "neutrophils": lab("2.5", "10^9/L", "1.8", "6.3"),
    "hemoglobin": lab("118", "g/L", "115", "150"),
    "platelets": lab("210", "10^9/L", "125", "350"),
    "alt": lab("22", "U/L", "7", "40"),
    "ast": lab("25", "U/L", "13", "35"),
    "bilirubin": lab("10", "umol/L", "0", "21"),
    "creatinine": lab("70", "umol/L", "41", "81"),
    "inr": lab("1.0", "", "0.8", "1.2"),
    "pt": lab("12", "s", "10", "14"),
    "aptt": lab("30", "s", "25", "37"),
    "crp": lab("12", "mg/L", "0", "10"),
    "esr": lab("30", "mm/h", "0", "20"),
}


def common_forms(consent: dt.date, *, sex: str) -> dict[str, dict[str, Any]]:
    """What every stratum's common criteria read, dated around the consent date."""
    labs_on = consent + dt.timedelta(days=1)
    return {
        "medical_history": {
            "diagnosis_date": consent - dt.timedelta(days=1000),
            "other_trial_treatment": False,
            "other_trial_last_dose_on": None,
            "relevant_history": "",
        },
        "vital_signs": {
            "measured_on": labs_on,
            "height_cm": Decimal("162") if sex == "F" else Decimal("172"),
            "weight_kg": Decimal("58") if sex == "F" else Decimal("70"),
            "spo2_room_air_pct": 98,
        },
        "pregnancy_test": {"childbearing_potential": False},
        "echocardiography": {"performed_on": consent - dt.timedelta(days=10), "lvef_pct": 62},
        "infection_screen": {
            "tested_on": labs_on,
            **dict.fromkeys(["hbsag", "hbcab", "hcv_ab", "hiv_ab", "syphilis"], "negative"),
            "hbv_dna_detectable": "",
            "hcv_rna_detectable": "",
            "tb_igra": "negative",
            "chest_imaging": "no_active_lesion",
            "chest_imaging_on": labs_on,
        },
        "transfusion_growth_factor": {"transfused": False, "growth_factor": False},
    }


def prior_therapies(consent: dt.date) -> list[dict[str, Any]]:
    """A refractory course: prednisone with mycophenolate for over a year, unchanged since."""
    since = consent - dt.timedelta(days=400)
    common = {"start_date": since, "stop_date": None, "outcome": "ongoing"}
    return [
        {"kind": "glucocorticoid", "drug_name": "Prednisone", "dose": Decimal("10"),
         "dose_unit": "mg/day", **common},
        {"kind": "mycophenolate", "drug_name": "Mycophenolate mofetil", "dose": Decimal("2000"),
         "dose_unit": "mg/day", **common},
    ]  # fmt: skip


def enter_prior_therapies(subject: Subject, actor: AbstractBaseUser) -> None:
    for row in prior_therapies(subject.consent_date):
        crf_create(
            spec=crf_spec("prior_therapy"), subject=subject, visit_code="SCR", data=row, actor=actor
        )


def stratum_forms(stratum: str, on: dt.date, *, fail: bool = False) -> dict[str, dict[str, Any]]:
    """The disease-activity forms a stratum's criteria read (active disease unless `fail`)."""
    if stratum == "sle":
        return {
            "sledai2k": {
                **blank_entries.sledai2k_entry(on, "arthritis", "proteinuria"),
                "physician_global_0_3": Decimal(2),
            },
            "bilag2004": blank_entries.bilag2004_entry(on, renal="A"),
            "lupus_serology": blank_entries.lupus_serology_entry(
                on, ana_titre_reciprocal=320, anti_dsdna="positive"
            ),
        }
    if stratum == "ssc":
        return {"pulmonary_function": {"performed_on": on, "hrct_ground_glass": "absent"}}
    if stratum == "pss":
        return {"essdai": blank_entries.essdai_entry(on, articular=2, glandular=1)}
    if stratum == "ra":
        return {
            "joint_counts": blank_entries.joint_counts_entry(
                on,
                tjc68=8,
                sjc66=7,
                tjc28=6,
                sjc28=5,
                patient_global_0_100=60,
                patient_global_0_10=Decimal(6),
                evaluator_global_0_10=Decimal(5),
                esr_mm_h=30,
                crp_mg_l=Decimal(15),
                acr_functional_class=2,
            )
        }
    if stratum == "aav":
        return {
            "anca_serology": blank_entries.anca_serology_entry(
                on, mpo_anca="negative" if fail else "positive"
            ),
            "bvas": {
                **blank_entries.bvas_entry(
                    on,
                    haematuria="new_worse",
                    proteinuria="new_worse",
                    fever="new_worse",
                    arthralgia="new_worse",
                ),
                "creatinine_band": "creatinine_125_249",
                "creatinine_band_status": "new_worse",
            },
        }
    return {}


def _enter(subject: Subject, forms: dict[str, dict[str, Any]], actor: AbstractBaseUser) -> None:
    """Enter the forms the protocol schedules at screening (CT1192 has no ESSDAI, say)."""
    scheduled = {
        code
        for v in protocol_definition(subject.study).visits
        if v.code == "SCR"
        for code in v.crfs
    }
    for code, data in forms.items():
        if code in scheduled:
            crf_create(
                spec=crf_spec(code), subject=subject, visit_code="SCR", data=data, actor=actor
            )


def screen_subject(
    subject: Subject, *, target: str, enrol_on: dt.date, actor: AbstractBaseUser
) -> Subject:
    """Enter the screening forms and end screening as the demo subject's target says."""
    consent = subject.consent_date
    labs_on = consent + dt.timedelta(days=1)
    _enter(subject, common_forms(consent, sex=subject.sex), actor)
    enter_prior_therapies(subject, actor)
    crf_create(
        spec=crf_spec("lab_panel"),
        subject=subject,
        visit_code="SCR",
        data={"collected_on": labs_on, "laboratory": subject.study_site.site.name},
        actor=actor,
        children=NORMAL_LABS,
    )
    if target == "screening" and subject.stratum.code != "ssc":
        return subject  # the checklist shows the disease-activity forms still to enter
    fail = target == "screen_failed"
    _enter(subject, stratum_forms(subject.stratum.code, labs_on, fail=fail), actor)
    now = dt.datetime.combine(enrol_on, dt.time(10), tzinfo=dt.UTC)
    if fail:
        return subject_screen_fail(subject, actor=actor, today=enrol_on, now=now)
    if target == "screening":
        return subject
    for result in eligibility_assessment(subject, today=enrol_on, now=now).outstanding:
        for key in result.unconfirmed_keys:
            eligibility_confirm(subject, key=key, met=True, note="Demo", actor=actor)
    return subject_enrol_if_eligible(subject, actor=actor, today=enrol_on, now=now)


def demo_step(subject: Subject, *, spec: Any, actor: AbstractBaseUser, today: dt.date) -> None:
    screen_subject(subject, target=spec.target, enrol_on=spec.enrol_on(today), actor=actor)
