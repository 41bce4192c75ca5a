"""Minimal valid entries of the screening CRFs, as the `data` a CRF service or form receives."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

import factory

from screening import blank_entries
from screening.models import EligibilityDecision
from tests.edc.factories import SubjectFactory

ASSESSED_ON = dt.date(2026, 3, 5)

sledai2k_data = partial(blank_entries.sledai2k_entry, ASSESSED_ON)
bilag2004_data = partial(blank_entries.bilag2004_entry, ASSESSED_ON)
lupus_serology_data = partial(blank_entries.lupus_serology_entry, ASSESSED_ON)
mrss_data = partial(blank_entries.mrss_entry, ASSESSED_ON)
essdai_data = partial(blank_entries.essdai_entry, ASSESSED_ON)
joint_counts_data = partial(blank_entries.joint_counts_entry, ASSESSED_ON)
bvas_data = partial(blank_entries.bvas_entry, ASSESSED_ON)
anca_serology_data = partial(blank_entries.anca_serology_entry, ASSESSED_ON)


def form_data(data: dict[str, Any]) -> dict[str, Any]:
    """The same entry as a form would post it: empty optional fields left out."""
    return {name: value for name, value in data.items() if value is not None}


class EligibilityDecisionFactory(factory.django.DjangoModelFactory):
    """A recorded decision (enrolment by default) without the assessment behind it, for reads
    that count decisions."""

    class Meta:
        model = EligibilityDecision

    subject = factory.SubFactory(SubjectFactory)
    outcome = EligibilityDecision.Outcome.ENROLLED
    assessment_status = "eligible"
    failed_criteria = factory.LazyFunction(list)
    results = factory.LazyFunction(list)
    rule_version = "test"
    protocol_version = "1.0"
    decided_at = dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC)


class ScreenFailureFactory(EligibilityDecisionFactory):
    outcome = EligibilityDecision.Outcome.SCREEN_FAILED
    assessment_status = "not_eligible"
