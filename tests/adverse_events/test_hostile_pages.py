"""The safety pages posted by Hypothesis with hostile values (tests/hostile.py): opening an
episode, an assessment, a treatment, a grade override and an SAE report each refuse them on the
field, never answer a server error, and write nothing on refusal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adverse_events.services import episode_assessment_record, episode_open
from edc.audit import system_user
from tests.adverse_events.journeys import DAY0, at, infused_subject
from tests.hostile import drive, log_in_investigator

HOSTILE = settings(
    max_examples=20,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ASSESSMENT = {
    "temperature_c": Decimal("38.6"),
    "oxygen_device": "none",
    "agent": "tocilizumab",
    "detail": "8 mg/kg IV",
    "grade": 2,
    "reason": "Clinical judgement",
}


@pytest.fixture
def episode(db, client):
    """A CRS episode with one assessment on an infused subject; an investigator logged in."""
    subject = infused_subject(system_user())
    episode = episode_open(subject=subject, kind="crs", onset_at=at(1), actor=system_user())
    episode_assessment_record(
        episode,
        inputs={"assessed_at": at(1, 10), "temperature_c": Decimal("38.6")},
        actor=system_user(),
    )
    log_in_investigator(client, subject)
    return episode


def _episode_url(episode) -> str:
    subject = episode.subject
    return reverse(
        "adverse_events:episode", args=[subject.study.registry_id, subject.pk, episode.pk]
    )


@pytest.mark.parametrize("action", ["assess", "treat", "override"])
@HOSTILE
@given(data=st.data())
def test_episode_forms_refuse_hostile_input_on_their_field(client, episode, action, data):
    drive(
        client,
        _episode_url(episode),
        data,
        forms_of=lambda page: [page.context["forms"][action]],
        known={**ASSESSMENT, "assessment": str(episode.assessments.get().pk)},
        on=DAY0,
        fixed={"action": action},
    )


@HOSTILE
@given(data=st.data())
def test_opening_an_episode_refuses_hostile_input_on_its_field(client, episode, data):
    subject = episode.subject
    drive(
        client,
        reverse("adverse_events:safety", args=[subject.study.registry_id, subject.pk]),
        data,
        forms_of=lambda page: [page.context["form"]],
        known={"kind": "icans"},
        on=DAY0,
    )


@pytest.fixture
def serious_event(db, client):
    """A serious adverse event of an infused subject; an investigator of its site logged in."""
    from edc.crfs import crf_spec
    from edc.services.crfs import crf_create
    from tests.adverse_events.test_adverse_events import AE

    subject = infused_subject(system_user())
    ae = crf_create(
        spec=crf_spec("adverse_event"),
        subject=subject,
        visit_code="D14",
        data={**AE, "serious_hospitalisation": True, "site_aware_at": at(10)},
        actor=system_user(),
    )
    log_in_investigator(client, subject)
    return ae


@HOSTILE
@given(data=st.data())
def test_an_sae_report_refuses_hostile_input(client, serious_event, data):
    drive(
        client,
        reverse("adverse_events:sae-dashboard", args=[serious_event.subject.study.registry_id]),
        data,
        forms_of=lambda page: [page.context["report_form"]],
        known={"adverse_event": str(serious_event.pk), "narrative": "Admitted with pneumonia"},
        on=DAY0,
        refuses_with_messages=True,
    )
