"""Dose-level assignment at enrolment: the start level, the sentinel wait, a full cohort."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dosing.models import DoseAssignment
from edc.models import Subject
from screening.models import EligibilityDecision
from tests.dosing.journeys import enrol, infuse
from tests.edc.factories import UserFactory
from tests.screening.journeys import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return UserFactory()


def test_first_subject_gets_the_protocols_start_level(actor):
    subject = enrol(actor, today=TODAY)
    assert DoseAssignment.objects.get(subject=subject).dose_level == 1


def test_second_subject_waits_for_the_sentinel_and_nothing_is_saved(actor):
    enrol(actor, today=TODAY)
    with pytest.raises(ValidationError, match="sentinel"):
        enrol(actor, today=TODAY)
    waiting = Subject.objects.get(screening_number="S01-002")
    assert (waiting.status, waiting.subject_identifier) == ("screening", None)
    assert EligibilityDecision.objects.count() == 1


def test_cohort_opens_after_the_sentinel_period_and_then_fills(actor):
    first = enrol(actor, today=TODAY)
    infuse(first, actor, day0=dt.date(2026, 5, 6))
    after = dt.date(2026, 5, 13)
    enrol(actor, today=after)
    enrol(actor, today=after)
    with pytest.raises(ValidationError, match="cohort"):
        enrol(actor, today=after)
    assert list(DoseAssignment.objects.values_list("dose_level", flat=True)) == [1, 1, 1]
