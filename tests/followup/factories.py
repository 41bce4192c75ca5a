"""Follow-up rows made directly, for tests that need many visits without infusing each subject."""

from __future__ import annotations

import datetime as dt

import factory

from followup.models import VisitInstance
from tests.edc.factories import SubjectFactory

DAY = dt.timedelta(days=1)


class VisitInstanceFactory(factory.django.DjangoModelFactory):
    """An open Day-7 visit (the minimal protocol's), window one day either side."""

    class Meta:
        model = VisitInstance

    subject = factory.SubFactory(SubjectFactory)
    visit_code = "D7"
    target_date = dt.date(2026, 6, 10)
    window_start = factory.LazyAttribute(lambda o: o.target_date - DAY)
    window_end = factory.LazyAttribute(lambda o: o.target_date + DAY)
