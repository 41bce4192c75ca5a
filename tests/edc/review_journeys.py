"""Saved forms for the verification and signature tests, through the services."""

import datetime as dt

from django.test import RequestFactory
from django.utils import timezone

from edc.crfs import crf_spec
from edc.roles import Role
from edc.services.crfs import crf_create, crf_update
from edc.signatures import casebook_sign
from tests.edc.factories import UserFactory

SIGNING_PASSWORD = "sign-Pass-2026"

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


def sign_casebook(subject, signer, now=None):
    """The PI signs the whole casebook through the service, re-entering the password (the
    signer's must be SIGNING_PASSWORD)."""
    request = RequestFactory().post("/")
    request.user = signer
    return casebook_sign(
        subject,
        scope="casebook",
        password=SIGNING_PASSWORD,
        role=Role.PRINCIPAL_INVESTIGATOR,
        actor=signer,
        request=request,
        now=now or timezone.now(),
    )
