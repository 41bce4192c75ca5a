"""Follow-up rows for tests that need a schedule without walking a subject to Day 0."""

from __future__ import annotations

import datetime as dt

import factory

from followup.models import VisitInstance
from tests.edc.factories import SubjectFactory

DAY0 = dt.date(2026, 4, 1)


class VisitInstanceFactory(factory.django.DjangoModelFactory):
    """An open visit 28 days after Day 0 with a window of +-2 days."""

    class Meta:
        model = VisitInstance

    subject = factory.SubFactory(SubjectFactory, day0_date=DAY0)
    visit_code = factory.Sequence(lambda n: f"V{n}")
    target_date = DAY0 + dt.timedelta(days=28)
    window_start = factory.LazyAttribute(lambda o: o.target_date - dt.timedelta(days=2))
    window_end = factory.LazyAttribute(lambda o: o.target_date + dt.timedelta(days=2))


class DeviatingVisitFactory(VisitInstanceFactory):
    """A visit done 3 days after its window closed."""

    state = VisitInstance.State.DONE
    done_on = factory.LazyAttribute(lambda o: o.window_end + dt.timedelta(days=3))
    deviation_days = 3
