"""Demo safety set-up: each demo study has a safety contact, so SAEs entered in the demo are
notified (the console e-mail backend prints them); the subject furthest in follow-up had a
grade 1 CRS (fever on Day 1, over on Day 3), which its safety page, its kinetics page and the
swimmer plot show."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from adverse_events.models import SafetyContact
from adverse_events.safety_contacts import safety_contact_add
from adverse_events.services import episode_assessment_record, episode_open, episode_resolve
from edc.models import Subject

DEMO_CONTACT = ("Sponsor safety desk (demo)", "safety-desk@example.org")
CRS_FEVER_C = Decimal("38.6")  # fever alone: CRS grade 1 (ASTCT 2019)


def _at(subject: Subject, day: int, hour: int) -> dt.datetime:
    on = subject.day0_date + dt.timedelta(days=day)
    zone = zoneinfo.ZoneInfo(subject.study_site.site.timezone)
    return dt.datetime.combine(on, dt.time(hour), tzinfo=zone)


def demo_crs(subject: Subject, *, actor: AbstractBaseUser) -> None:
    """A grade 1 CRS from Day 1 to Day 3, entered through the episode services."""
    episode = episode_open(subject=subject, kind="crs", onset_at=_at(subject, 1, 20), actor=actor)
    episode_assessment_record(
        episode,
        inputs={"assessed_at": _at(subject, 1, 21), "temperature_c": CRS_FEVER_C},
        actor=actor,
    )
    episode_resolve(episode, resolved_at=_at(subject, 3, 10), actor=actor)


def demo_step(subject: Subject, *, actor: AbstractBaseUser, spec: Any = None, **_context) -> None:
    if not SafetyContact.objects.filter(study=subject.study).exists():
        name, email = DEMO_CONTACT
        safety_contact_add(study=subject.study, name=name, email=email, actor=actor)
    subject.refresh_from_db()
    if spec is not None and spec.target == "in_follow_up" and subject.day0_date is not None:
        demo_crs(subject, actor=actor)
