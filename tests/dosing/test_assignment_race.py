"""Sites enrolling at the same moment never overbook a cohort (PostgreSQL row locks)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dosing.models import DoseAssignment
from screening.services.eligibility import subject_enrol_if_eligible
from tests.concurrency import race
from tests.dosing.journeys import enrol, infuse
from tests.edc.factories import UserFactory
from tests.screening.journeys import NOW, confirm_judgements, ct1192_subject, screen

AFTER_SENTINEL = dt.date(2026, 5, 13)
CANDIDATES = 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_fill_the_cohort_and_no_more():
    actor = UserFactory()
    infuse(enrol(actor, today=dt.date(2026, 4, 25)), actor, day0=dt.date(2026, 5, 6))
    waiting = []
    for _ in range(CANDIDATES):
        subject = screen(ct1192_subject(), actor)
        confirm_judgements(subject, actor)
        waiting.append(subject)
    results = race(
        lambda i: subject_enrol_if_eligible(waiting[i], actor=actor, today=AFTER_SENTINEL, now=NOW),
        CANDIDATES,
    )
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (DoseAssignment.objects.count(), len(refused)) == (3, CANDIDATES - 2)
    assert all("cohort full" in r.messages[0] for r in refused)
