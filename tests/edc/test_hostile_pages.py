"""Registering and correcting a subject, posted by Hypothesis with hostile values
(tests/hostile.py): refused on the field, never a server error, nothing written on refusal."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile import drive, log_in_investigator
from tests.screening.journeys import CONSENT, ct1192_subject

HOSTILE = settings(
    max_examples=25,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
REGISTRATION = {
    "sex": "F",
    "date_of_birth": "1990-03-01",
    "initials": "WLY",
    "consent_date": CONSENT,
    "consent_version": "ICF v1.0",
    "reason": "Transcription error",
}


@pytest.fixture
def subject(db, client):
    subject = ct1192_subject()
    log_in_investigator(client, subject)
    return subject


@HOSTILE
@given(data=st.data())
def test_registration_refuses_hostile_input_on_its_field(client, subject, data):
    drive(
        client,
        reverse("edc:subject-register", args=[subject.study.registry_id]),
        data,
        forms_of=lambda page: [page.context["form"]],
        known=REGISTRATION,
        on=CONSENT,
    )


@HOSTILE
@given(data=st.data())
def test_correction_refuses_hostile_input_on_its_field(client, subject, data):
    drive(
        client,
        reverse("edc:subject-correct", args=[subject.study.registry_id, subject.pk]),
        data,
        forms_of=lambda page: [page.context["form"]],
        known={"consent_version": "ICF v1.1", "reason": "Transcription error"},
        on=CONSENT,
    )
