"""Follow-up rows for tests that need a schedule without walking a subject to Day 0."""

from __future__ import annotations

import datetime as dt

import factory

from followup.models import VisitInstance
from tests.edc.factories import SubjectFactory


class VisitInstanceFactory(factory.django.DjangoModelFactory):
    """An open visit targeted on `target_date` with a window of a day either side, unless
    `window_start`/`window_end` say otherwise."""

    class Meta:
        model = VisitInstance

    subject = factory.SubFactory(SubjectFactory)
    visit_code = "D7"
    target_date = dt.date(2026, 6, 17)
    window_start = factory.LazyAttribute(lambda o: o.target_date - dt.timedelta(days=1))
    window_end = factory.LazyAttribute(lambda o: o.target_date + dt.timedelta(days=1))
