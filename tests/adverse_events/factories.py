"""Safety rows made directly, for tests that read them (the dashboard, the API) without
entering each one through its form and the SAE workflow."""

from __future__ import annotations

import datetime as dt

import factory

from adverse_events.models import AdverseEvent, ToxicityEpisode
from tests.edc.factories import SubjectFactory

DAY0 = dt.date(2026, 4, 1)


class ToxicityEpisodeFactory(factory.django.DjangoModelFactory):
    """A grade-1 CRS beginning on Day 2 at 10:00 UTC (18:00 in Shanghai), still ongoing."""

    class Meta:
        model = ToxicityEpisode

    subject = factory.SubFactory(SubjectFactory, day0_date=DAY0)
    kind = ToxicityEpisode.Kind.CRS
    onset_at = dt.datetime(2026, 4, 3, 10, 0, tzinfo=dt.UTC)
    max_grade = 1


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
