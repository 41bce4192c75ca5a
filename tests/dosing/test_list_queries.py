"""The escalation dashboard answers in the same number of queries for N and 3N rows."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dosing.models import EscalationDecision
from edc.audit import audited_create
from edc.roles import Role
from tests.dosing.journeys import enrol
from tests.edc.factories import UserFactory
from tests.queries import query_counts
from tests.screening.journeys import TODAY

pytestmark = pytest.mark.django_db


def test_the_decisions_run_the_same_queries_for_few_and_many(client):
    actor = UserFactory()
    study = enrol(actor, today=TODAY).study
    client.force_login(actor)
    actor.memberships.create(study=study, role=Role.SPONSOR)

    def add(n):
        for _ in range(n):
            audited_create(
                EscalationDecision(
                    study=study,
                    dose_level=1,
                    recommendation="stay",
                    recommendation_basis={"n_treated": 3, "n_dlt": 0},
                    decision="stay",
                    next_dose_level=1,
                    meeting_on=dt.date(2026, 6, 10),
                    signed_at=timezone.now(),
                    signature_meaning="review",
                ),
                actor=actor,
            )

    counts = query_counts(client, reverse("dosing:escalation", args=[study.registry_id]), add)
    assert counts[0] == counts[1]
