"""A screened CT1192 subject built through the real services, as an investigator would enter it.

Meaningful states come from the services (not from fixtures), so these tests exercise the same
write path as the pages.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from edc.audit import system_user
from edc.crfs import crf_spec
from edc.models import Stratum, StudySite, Subject
from edc.services.crfs import crf_create
from edc.services.protocols import protocol_load
from edc.services.subjects import subject_register
from screening.services.eligibility import eligibility_confirm

PROTOCOLS = Path(__file__).resolve().parents[2] / "protocols"
CONSENT = dt.date(2026, 4, 20)
LABS_ON = dt.date(2026, 4, 21)
TODAY = dt.date(2026, 4, 25)
NOW = dt.datetime(2026, 4, 25, 10, 0, tzinfo=dt.UTC)


def lab(value: str, unit: str, lln: str | None = None, uln: str | None = None) -> dict[str, Any]:
    return {
        "value": Decimal(value),
        "unit": unit,
        "lln": Decimal(lln) if lln else None,
        "uln": Decimal(uln) if uln else None,
    }


NORMAL_LABS = {
    "neutrophils": lab("2.5", "10^9/L", "1.8", "6.3"),
    "hemoglobin": lab("118", "g/L", "115", "150"),
    "alt": lab("22", "U/L", "7", "40"),
    "ast": lab("25", "U/L", "13", "35"),
    "bilirubin": lab("10", "umol/L", "0", "21"),
    "creatinine": lab("70", "umol/L", "41", "81"),
    "inr": lab("1.0", "", "0.8", "1.2"),
    "aptt": lab("30", "s", "25", "37"),
}

SCREENING_FORMS: dict[str, dict[str, Any]] = {
    "medical_history": {
        "diagnosis_date": dt.date(2023, 6, 15),
        "other_trial_treatment": False,
        "other_trial_last_dose_on": None,
        "relevant_history": "",
    },
    "vital_signs": {
        "measured_on": LABS_ON,
        "height_cm": Decimal("162"),
        "weight_kg": Decimal("58"),
        "spo2_room_air_pct": 98,
    },
    "pregnancy_test": {"childbearing_potential": False},
    "echocardiography": {"performed_on": dt.date(2026, 4, 10), "lvef_pct": 62},
    "transfusion_growth_factor": {"transfused": False, "growth_factor": False},
    "lupus_serology": {
        "tested_on": LABS_ON,
        "ana_titre_reciprocal": 320,
        "anti_dsdna": "positive",
        "anti_sm": "negative",
    },
}


def sledai(**present: bool) -> dict[str, Any]:
    return {"assessed_on": LABS_ON, **present}


def ct1192_subject(*, sex: str = "F", born: dt.date = dt.date(1990, 3, 1)) -> Subject:
    loaded = protocol_load(path=PROTOCOLS / "ct1192.yaml", actor=system_user())
    study = loaded.protocol_version.study
    return subject_register(
        study=study,
        study_site=StudySite.objects.get(study=study),
        stratum=Stratum.objects.get(study=study),
        sex=sex,
        date_of_birth=born,
        initials="LXM",
        consent_date=CONSENT,
        consent_version="ICF v1.0",
        today=TODAY,
        actor=system_user(),
    )


def enter(subject: Subject, code: str, data: dict[str, Any], actor, **kwargs) -> Any:
    return crf_create(
        spec=crf_spec(code), subject=subject, visit_code="SCR", data=data, actor=actor, **kwargs
    )


def screen(subject: Subject, actor, *, skip: tuple[str, ...] = (), labs=None) -> Subject:
    """Enter every screening form CT1192's criteria read, except those in `skip`."""
    for code, data in SCREENING_FORMS.items():
        if code not in skip:
            enter(subject, code, data, actor)
    if "sledai2k" not in skip:
        enter(subject, "sledai2k", sledai(arthritis=True, proteinuria=True), actor)
    if "lab_panel" not in skip:
        enter(
            subject,
            "lab_panel",
            {"collected_on": LABS_ON, "laboratory": "Wuhan Union"},
            actor,
            children=labs or NORMAL_LABS,
        )
    return subject


JUDGEMENT_ITEMS = ("inc-1", "inc-3", "inc-4", "inc-6", "inc-9")


def confirm_judgements(subject: Subject, actor) -> None:
    for key in JUDGEMENT_ITEMS:
        eligibility_confirm(subject, key=key, met=True, note="", actor=actor)
