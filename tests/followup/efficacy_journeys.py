"""Subjects of each disease with their scores entered through the CRF services, for the efficacy
tests: a subject infused on DAY0 (set directly), the baseline at screening (before the
lymphodepletion, day -10) and follow-up visits after Day 0."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from edc.crfs import crf_spec
from edc.models import CrfModel, Subject
from edc.services.crfs import crf_create, crf_update
from screening import blank_entries
from tests.edc.factories import SubjectFactory

DAY0 = dt.date(2026, 4, 1)
DAY = dt.timedelta(days=1)
BASELINE_ON = DAY0 - 10 * DAY


def on_day(day: int) -> dt.date:
    return DAY0 + day * DAY


def disease_subject(stratum: str, **kwargs: Any) -> Subject:
    return SubjectFactory(**{"stratum__code": stratum, "day0_date": DAY0, **kwargs})


def enter(subject: Subject, code: str, visit_code: str, data: dict[str, Any], actor) -> CrfModel:
    return crf_create(
        spec=crf_spec(code), subject=subject, visit_code=visit_code, data=data, actor=actor
    )


def correct(row: CrfModel, code: str, actor, **changes: Any) -> CrfModel:
    row.refresh_from_db()
    return crf_update(
        row,
        spec=crf_spec(code),
        data=changes,
        reason="Transcription error",
        expected_version=row.row_version,
        actor=actor,
    )


def sledai(
    subject: Subject, visit: str, on: dt.date, actor, *present: str, pga: str | None
) -> CrfModel:
    data = {
        **blank_entries.sledai2k_entry(on, *present),
        "physician_global_0_3": None if pga is None else Decimal(pga),
    }
    return enter(subject, "sledai2k", visit, data, actor)


def medication(
    subject: Subject,
    actor,
    name: str,
    *,
    start: dt.date,
    stop: dt.date | None = None,
    prednisone: str | None = None,
    atc: str = "",
) -> CrfModel:
    data = {
        "drug_name": name,
        "atc_code": atc,
        "start_date": start,
        "stop_date": stop,
        "dose": None,
        "dose_unit": "",
        "route": "oral",
        "prednisone_equivalent_mg_day": None if prednisone is None else Decimal(prednisone),
        "indication": "SLE",
    }
    return enter(subject, "concomitant_medication", "SCR", data, actor)
