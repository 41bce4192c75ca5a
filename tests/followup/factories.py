"""Follow-up rows made directly, for tests that need visits without walking each subject to
Day 0."""

from __future__ import annotations

import datetime as dt

import factory

from followup.models import VisitInstance
from tests.edc.factories import SubjectFactory

DAY = dt.timedelta(days=1)
DAY0 = dt.date(2026, 4, 1)


class VisitInstanceFactory(factory.django.DjangoModelFactory):
    """An open Day-7 visit (the minimal protocol's) of a subject infused on DAY0, window one day
    either side."""

    class Meta:
        model = VisitInstance

    subject = factory.SubFactory(SubjectFactory, day0_date=DAY0)
    visit_code = "D7"
    target_date = DAY0 + 7 * DAY
    window_start = factory.LazyAttribute(lambda o: o.target_date - DAY)
    window_end = factory.LazyAttribute(lambda o: o.target_date + DAY)


class DeviatingVisitFactory(VisitInstanceFactory):
    """A visit done 3 days after its window closed."""

    state = VisitInstance.State.DONE
    done_on = factory.LazyAttribute(lambda o: o.window_end + 3 * DAY)
    deviation_days = 3
