"""The schedule's entry pages (a visit done or missed, an unscheduled visit), posted by
Hypothesis with hostile values (tests/hostile.py): refused on the field, never a server error,
nothing written on refusal."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edc.audit import system_user
from followup.models import VisitInstance
from tests.adverse_events.journeys import DAY0, infused_subject
from tests.hostile import drive, log_in_investigator

HOSTILE = settings(
    max_examples=20,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ON = DAY0 + dt.timedelta(days=7)


@pytest.fixture
def subject(db, client):
    subject = infused_subject(system_user())
    log_in_investigator(client, subject)
    return subject


def _visit_url(subject) -> str:
    d7 = VisitInstance.objects.get(subject=subject, visit_code="D7")
    return reverse("followup:visit", args=[subject.study.registry_id, subject.pk, d7.pk])


@HOSTILE
@given(data=st.data())
@pytest.mark.parametrize("action", ["done", "missed"])
def test_a_visit_declaration_refuses_hostile_input_on_its_field(client, subject, action, data):
    drive(
        client,
        _visit_url(subject),
        data,
        forms_of=lambda page: [page.context[f"{action}_form"]],
        known={"missed_reason": "In hospital"},
        on=ON,
        fixed={"action": action},
    )


@HOSTILE
@given(data=st.data())
def test_an_unscheduled_visit_refuses_hostile_input_on_its_field(client, subject, data):
    args = [subject.study.registry_id, subject.pk, uuid.uuid4()]
    drive(
        client,
        reverse("followup:unscheduled-add", args=args),
        data,
        forms_of=lambda page: [page.context["form"]],
        known={"reason": "Fever", "crf_codes": ["vital_signs"]},
        on=ON,
    )
