"""The safety pages: timeline, episode entry by the site, read-only for monitors, SAE list."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from adverse_events.models import LabToxicity, ToxicityEpisode
from adverse_events.services import episode_assessment_record, episode_open
from edc.crfs import crf_spec
from edc.models import Membership
from edc.roles import Role
from edc.services.crfs import crf_create
from screening.demo import lab
from tests.adverse_events.journeys import at, infused_subject
from tests.edc.factories import StudySiteFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject():
    return infused_subject(UserFactory())


def _login(client, subject, role, site=True):
    user = UserFactory()
    Membership.objects.create(
        user=user, study=subject.study, study_site=subject.study_site if site else None, role=role
    )
    client.force_login(user)


def _safety(subject):
    return reverse("adverse_events:safety", args=[subject.study.registry_id, subject.pk])


def _episode(subject, episode):
    return reverse(
        "adverse_events:episode", args=[subject.study.registry_id, subject.pk, episode.pk]
    )


def test_investigator_opens_an_episode_from_the_timeline(client, subject):
    _login(client, subject, Role.INVESTIGATOR)
    response = client.post(_safety(subject), {"kind": "crs", "onset_at": "2026-05-07T08:00"})
    episode = ToxicityEpisode.objects.get()
    assert response.url == _episode(subject, episode)


def test_assessment_entered_on_the_page_is_graded(client, subject):
    _login(client, subject, Role.INVESTIGATOR)
    episode = episode_open(subject=subject, kind="crs", onset_at=at(1), actor=UserFactory())
    client.post(
        _episode(subject, episode),
        {"action": "assess", "assessed_at": "2026-05-07T09:00", "temperature_c": "39.1",
         "hypotension": "on", "vasopressors": "0", "oxygen_device": "none"},
    )  # fmt: skip
    episode.refresh_from_db()
    assert episode.max_grade == 2


def test_monitor_reads_the_timeline_but_cannot_open_an_episode(client, subject):
    _login(client, subject, Role.MONITOR)
    assert client.get(_safety(subject)).status_code == 200
    response = client.post(_safety(subject), {"kind": "crs", "onset_at": "2026-05-07T08:00"})
    assert response.status_code == 403


def test_timeline_shows_early_icaht_or_why_not(client, subject):
    _login(client, subject, Role.INVESTIGATOR)
    icaht = client.get(_safety(subject)).context["icaht"]
    assert icaht.grade is None
    assert icaht.note


def test_sponsor_sees_the_sae_list(client, subject):
    _login(client, subject, Role.SPONSOR, site=False)
    url = reverse("adverse_events:sae-dashboard", args=[subject.study.registry_id])
    response = client.get(url)
    assert (response.status_code, response.context["can_report"]) == (200, False)


def test_other_sites_subjects_episode_is_not_found(client, subject):
    episode = episode_open(subject=subject, kind="icans", onset_at=at(2), actor=UserFactory())
    other = UserFactory()
    site_b = StudySiteFactory(study=subject.study, site_number="09")
    Membership.objects.create(
        user=other, study=subject.study, study_site=site_b, role=Role.INVESTIGATOR
    )
    client.force_login(other)
    assert client.get(_episode(subject, episode)).status_code == 404


def test_investigator_dismisses_a_proposed_lab_toxicity_with_a_reason(client, subject):
    _login(client, subject, Role.INVESTIGATOR)
    crf_create(
        spec=crf_spec("lab_panel"),
        subject=subject,
        visit_code="D7",
        data={"collected_on": subject.day0_date + dt.timedelta(days=7), "laboratory": "Central"},
        actor=UserFactory(),
        children={"neutrophils": lab("0.3", "10^9/L", "1.8", "6.3")},
    )
    toxicity = LabToxicity.objects.get()
    client.post(
        _safety(subject),
        {"toxicity": toxicity.pk, "decision": "dismiss", "reason": "Clotted sample"},
    )
    toxicity.refresh_from_db()
    assert (toxicity.status, toxicity.dismiss_reason) == ("dismissed", "Clotted sample")


def test_timeline_orders_episodes_by_study_day_with_their_maximum_grade(client, subject):
    _login(client, subject, Role.INVESTIGATOR)
    actor = UserFactory()
    crs = episode_open(subject=subject, kind="crs", onset_at=at(1), actor=actor)
    episode_assessment_record(
        crs, inputs={"assessed_at": at(1), "temperature_c": Decimal("38.5")}, actor=actor
    )
    episode_open(subject=subject, kind="icans", onset_at=at(4), actor=actor)
    timeline = client.get(_safety(subject)).context["timeline"]
    assert [(e.study_day, e.kind, e.grade) for e in timeline] == [(1, "crs", 1), (4, "icans", 0)]
