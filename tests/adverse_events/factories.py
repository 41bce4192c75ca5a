"""Adverse events made directly, for tests that read them (the API) without entering each one
through the form and its SAE workflow."""

from __future__ import annotations

import datetime as dt

import factory

from adverse_events.models import AdverseEvent
from tests.edc.factories import SubjectFactory


class AdverseEventFactory(factory.django.DjangoModelFactory):
    """A non-serious grade 2 fever a week after a Day 0 of 2026-04-01."""

    class Meta:
        model = AdverseEvent

    subject = factory.SubFactory(SubjectFactory, day0_date=dt.date(2026, 4, 1))
    visit_code = "D7"
    verbatim_term = "Fever"
    ctcae_term = "fever"
    soc = "General disorders and administration site conditions"
    onset_date = dt.date(2026, 4, 8)
    study_day = 8
    grade = 2
    relationship_cart = "possible"
    relationship_lymphodepletion = "possible"
    action_taken = AdverseEvent.Action.TREATMENT
    outcome = AdverseEvent.Outcome.RECOVERING
