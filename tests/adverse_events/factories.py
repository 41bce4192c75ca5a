"""Safety rows made directly, for reads (the dashboard) that count episodes by grade and time."""

from __future__ import annotations

import datetime as dt

import factory

from adverse_events.models import ToxicityEpisode
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
