"""Demo safety set-up: each demo study has a safety contact, so SAEs entered in the demo are
notified (the console e-mail backend prints them)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from adverse_events.models import SafetyContact
from adverse_events.safety_contacts import safety_contact_add
from edc.models import Subject

DEMO_CONTACT = ("Sponsor safety desk (demo)", "safety-desk@example.org")


def demo_step(subject: Subject, *, actor: AbstractBaseUser, **_context) -> None:
    if not SafetyContact.objects.filter(study=subject.study).exists():
        name, email = DEMO_CONTACT
        safety_contact_add(study=subject.study, name=name, email=email, actor=actor)
