"""Entering a serious adverse event through the AE page, as an investigator does."""

from __future__ import annotations

from django.urls import reverse

from edc.models import Membership, Subject
from edc.roles import Role
from tests.edc.factories import UserFactory

SAE_POST = {
    "verbatim_term": "Pneumonia",
    "ctcae_term": "lung_infection",
    "onset_date": "2026-05-16",
    "grade": "3",
    "serious_hospitalisation": "on",
    "site_aware_at": "2026-05-16T10:00",
    "relationship_cart": "possible",
    "relationship_lymphodepletion": "possible",
    "action_taken": "treatment",
    "outcome": "recovering",
    "aesi": "infection",
}


def new_ae_url(subject: Subject) -> str:
    return reverse(
        "edc:crf-row",
        args=[subject.study.registry_id, subject.pk, "D14", "adverse_event", "new"],
    )


def investigator_client(client, subject: Subject):
    user = UserFactory()
    Membership.objects.create(
        user=user, study=subject.study, study_site=subject.study_site, role=Role.INVESTIGATOR
    )
    client.force_login(user)
    return client


def post_sae(client, subject: Subject, **extra: str):
    return client.post(new_ae_url(subject), {**SAE_POST, **extra}, follow=True)
