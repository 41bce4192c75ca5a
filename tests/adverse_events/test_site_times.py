"""A subject's times are the site's, for every reader: shown with their zone, entered in it."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from adverse_events.services import episode_open, episode_treatment_record
from edc.models import Membership
from edc.roles import Role
from tests.adverse_events.journeys import DAY0, at, infused_subject
from tests.adverse_events.sae_entry import investigator_client, post_sae
from tests.edc.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject():
    return infused_subject(UserFactory())


def test_a_data_manager_sees_the_sae_time_in_the_sites_zone_labelled(client, subject):
    investigator_client(client, subject)
    post_sae(client, subject)  # aware 10:00 at the site
    user = UserFactory()
    Membership.objects.create(user=user, study=subject.study, role=Role.DATA_MANAGER)
    client.force_login(user)
    page = client.get(reverse("adverse_events:sae-dashboard", args=[subject.study.registry_id]))
    zone = zoneinfo.ZoneInfo(subject.study_site.site.timezone)
    offset = dt.datetime(2026, 5, 16, tzinfo=zone).strftime("%z")
    assert f"2026-05-16 10:00 UTC{offset[:3]}:{offset[3:]}" in page.content.decode()


def test_a_data_manager_reads_an_sae_form_in_the_sites_time(client, subject):
    investigator_client(client, subject)
    post_sae(client, subject)  # aware 10:00 at the site
    ae = subject.adverse_events_adverseevent_set.get()
    user = UserFactory()
    Membership.objects.create(user=user, study=subject.study, role=Role.DATA_MANAGER)
    client.force_login(user)
    url = reverse(
        "edc:crf-row",
        args=[subject.study.registry_id, subject.pk, ae.visit_code, "adverse_event", ae.pk],
    )
    html = client.get(url).content.decode()
    assert 'value="2026-05-16T10:00"' in html
    assert "Time at the site (Asia/Shanghai" in html


def test_a_data_manager_reads_a_treatment_time_in_the_sites_zone(client, subject):
    actor = UserFactory()
    episode = episode_open(subject=subject, kind="crs", onset_at=at(1, 2), actor=actor)
    episode_treatment_record(
        episode, agent="tocilizumab", detail="8 mg/kg", given_at=at(1, 2), actor=actor
    )
    user = UserFactory()
    Membership.objects.create(user=user, study=subject.study, role=Role.DATA_MANAGER)
    client.force_login(user)
    page = client.get(
        reverse("adverse_events:safety", args=[subject.study.registry_id, subject.pk])
    )
    given = f"{(DAY0 + dt.timedelta(days=1)).isoformat()} 10:00 UTC+08:00"
    assert f"at {given}" in page.content.decode()
