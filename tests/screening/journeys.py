"""A screened CT1192 subject built through the real services, as an investigator would enter it.

Meaningful states come from the services (not from fixtures), so these tests exercise the same
write path as the pages.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from edc.audit import system_user
from edc.crfs import crf_spec
from edc.models import Stratum, Study, StudySite, Subject
from edc.services.crfs import crf_create
from edc.services.protocols import protocol_load
from edc.services.subjects import subject_register
from screening.demo import NORMAL_LABS, common_forms, enter_prior_therapies, lab, stratum_forms
from screening.services.eligibility import eligibility_confirm

__all__ = ["NORMAL_LABS", "lab"]

PROTOCOLS = Path(__file__).resolve().parents[2] / "protocols"
CONSENT = dt.date(2026, 4, 20)
LABS_ON = dt.date(2026, 4, 21)
TODAY = dt.date(2026, 4, 25)
NOW = dt.datetime(2026, 4, 25, 10, 0, tzinfo=dt.UTC)


def ct1192_study() -> Study:
    """The CT1192 study, loaded from its protocol file the first time (parsing it is slow)."""
    study = Study.objects.filter(registry_id="CT1192").first()
    if study is None:
        study = protocol_load(
            path=PROTOCOLS / "ct1192.yaml", actor=system_user()
        ).protocol_version.study
    return study


def ct1192_subject(
    *, sex: str = "F", born: dt.date = dt.date(1990, 3, 1), site_number: str = "01"
) -> Subject:
    study = ct1192_study()
    return subject_register(
        study=study,
        study_site=StudySite.objects.get(study=study, site_number=site_number),
        stratum=Stratum.objects.get(study=study),
        sex=sex,
        date_of_birth=born,
        initials="LXM",
        consent_date=CONSENT,
        consent_version="ICF v1.0",
        today=TODAY,
        actor=system_user(),
    )


def screen(subject: Subject, actor, *, skip: tuple[str, ...] = (), labs=None) -> Subject:
    """Enter every screening form CT1192's criteria read (as the demo does), except `skip`."""
    forms = {
        **common_forms(subject.consent_date, sex=subject.sex),
        **stratum_forms("sle", LABS_ON),
    }
    for code, data in forms.items():
        if code not in skip:
            crf_create(
                spec=crf_spec(code), subject=subject, visit_code="SCR", data=data, actor=actor
            )
    if "prior_therapy" not in skip:
        enter_prior_therapies(subject, actor)
    if "lab_panel" not in skip:
        crf_create(
            spec=crf_spec("lab_panel"),
            subject=subject,
            visit_code="SCR",
            data={"collected_on": LABS_ON, "laboratory": "Wuhan Union"},
            actor=actor,
            children=labs or NORMAL_LABS,
        )
    return subject


JUDGEMENT_ITEMS = ("inc-1", "inc-3", "inc-4", "inc-6", "inc-9")


def confirm_judgements(subject: Subject, actor) -> None:
    for key in JUDGEMENT_ITEMS:
        eligibility_confirm(subject, key=key, met=True, note="", actor=actor)
