"""The committee's escalation decision, posted by Hypothesis with hostile values
(tests/hostile.py): refused on the field, never a server error, nothing signed on refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edc.audit import system_user
from edc.models import Membership
from edc.roles import Role
from tests.dosing.journeys import enrol, infuse
from tests.edc.factories import UserFactory
from tests.hostile import drive
from tests.screening.journeys import TODAY

PASSWORD = "sign-Pass-2026"
HOSTILE = settings(
    max_examples=25,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def study(db, client):
    """A study with one infused subject; its principal investigator logged in."""
    subject = infuse(enrol(system_user(), today=TODAY), system_user(), day0=dt.date(2026, 5, 6))
    user = UserFactory(password=PASSWORD)
    Membership.objects.create(
        user=user,
        study=subject.study,
        study_site=subject.study_site,
        role=Role.PRINCIPAL_INVESTIGATOR,
    )
    client.force_login(user)
    return subject.study


@HOSTILE
@given(data=st.data())
def test_escalation_decision_refuses_hostile_input_on_its_field(client, study, data):
    drive(
        client,
        reverse("dosing:escalation", args=[study.registry_id]),
        data,
        forms_of=lambda page: [page.context["form"]],
        known={"decision": "stay", "rationale": "SRC review", "password": PASSWORD},
        on=dt.date(2026, 6, 10),
    )
