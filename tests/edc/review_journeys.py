"""Saved forms for the verification and signature tests, through the services."""

import datetime as dt

from edc.crfs import crf_spec
from edc.services.crfs import crf_create, crf_update
from tests.edc.factories import UserFactory

VITALS = {"measured_on": dt.date(2026, 3, 2), "height_cm": 175, "weight_kg": 70}


def vitals(subject, visit_code="SCR"):
    return crf_create(
        spec=crf_spec("vital_signs"),
        subject=subject,
        visit_code=visit_code,
        data=VITALS,
        actor=UserFactory(),
    )


def correct_weight(row, weight_kg=72, reason="Transcription error"):
    return crf_update(
        row,
        spec=crf_spec("vital_signs"),
        data={**VITALS, "weight_kg": weight_kg},
        reason=reason,
        expected_version=type(row).objects.get(pk=row.pk).row_version,
        actor=UserFactory(),
    )
