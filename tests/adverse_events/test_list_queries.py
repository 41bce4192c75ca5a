"""Every safety list answers in the same number of queries for N and 3N rows."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from adverse_events.safety_contacts import safety_contact_add
from adverse_events.services import episode_assessment_record, episode_open
from edc.crfs import crf_spec
from edc.models import Membership
from edc.roles import Role
from edc.services.crfs import crf_create
from screening.demo import lab
from tests.adverse_events.journeys import DAY0, at, infused_subject
from tests.adverse_events.sae_entry import investigator_client, post_sae
from tests.edc.factories import UserFactory
from tests.queries import query_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def subject(actor):
    return infused_subject(actor)


def _safety_url(subject):
    return reverse("adverse_events:safety", args=[subject.study.registry_id, subject.pk])


def test_the_overdue_saes_run_the_same_queries_for_few_and_many(client, subject):
    investigator_client(client, subject)

    def add(n):
        for _ in range(n):  # aware on study day 10: long past the 24-hour clock
            post_sae(client, subject, submission_token=str(uuid.uuid4()))

    url = reverse("adverse_events:sae-dashboard", args=[subject.study.registry_id])
    counts = query_counts(client, url, add)
    assert counts[0] == counts[1]


def test_the_episodes_run_the_same_queries_for_few_and_many(client, subject, actor):
    investigator_client(client, subject)

    def add(n):
        for i in range(n):
            episode = episode_open(subject=subject, kind="crs", onset_at=at(1, i), actor=actor)
            episode_assessment_record(
                episode,
                inputs={"assessed_at": at(1, i), "temperature_c": Decimal("38.6")},
                actor=actor,
            )

    counts = query_counts(client, _safety_url(subject), add)
    assert counts[0] == counts[1]


def test_the_assessments_of_an_episode_run_the_same_queries_for_few_and_many(
    client, subject, actor
):
    investigator_client(client, subject)
    episode = episode_open(subject=subject, kind="crs", onset_at=at(1), actor=actor)
    hours = iter(range(1, 24))

    def add(n):
        for _ in range(n):
            inputs = {"assessed_at": at(1, next(hours)), "temperature_c": Decimal("38.6")}
            episode_assessment_record(episode, inputs=inputs, actor=actor)

    url = reverse(
        "adverse_events:episode", args=[subject.study.registry_id, subject.pk, episode.pk]
    )
    counts = query_counts(client, url, add)
    assert counts[0] == counts[1]


def test_the_adverse_events_and_lab_toxicities_run_the_same_queries(client, subject, actor):
    investigator_client(client, subject)
    days = iter(range(7, 28, 2))

    def add(n):
        for _ in range(n):
            day = next(days)
            post_sae(client, subject, submission_token=str(uuid.uuid4()))
            crf_create(
                spec=crf_spec("lab_panel"),
                subject=subject,
                visit_code=f"D{day}",
                data={"collected_on": DAY0 + dt.timedelta(days=day), "laboratory": "Central"},
                actor=actor,
                children={"neutrophils": lab("0.3", "10^9/L", "1.8", "6.3")},
            )

    counts = query_counts(client, _safety_url(subject), add)
    assert counts[0] == counts[1]


def test_the_safety_contacts_run_the_same_queries_for_few_and_many(client, subject, actor):
    user = UserFactory()
    Membership.objects.create(user=user, study=subject.study, role=Role.DATA_MANAGER)
    client.force_login(user)
    names = iter(range(100))

    def add(n):
        for _ in range(n):
            i = next(names)
            safety_contact_add(
                study=subject.study, name=f"Contact {i}", email=f"c{i}@example.org", actor=actor
            )

    url = reverse("adverse_events:safety-contacts", args=[subject.study.registry_id])
    counts = query_counts(client, url, add)
    assert counts[0] == counts[1]
