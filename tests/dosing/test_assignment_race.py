"""Sites enrolling at the same moment never overbook a cohort (PostgreSQL row locks)."""

from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError

from dosing.models import DoseAssignment
from edc.audit import system_user
from edc.models import Subject
from edc.services.protocols import protocol_load
from screening.models import EligibilityDecision
from screening.selectors import eligibility_assessment
from screening.services.eligibility import subject_enrol_if_eligible
from tests.concurrency import race
from tests.edc.factories import UserFactory
from tests.screening.journeys import (
    NOW,
    PROTOCOLS,
    TODAY,
    confirm_judgements,
    ct1192_study,
    ct1192_subject,
    screen,
)

CANDIDATES = 50
PREPARERS = 5  # screening fifty subjects one after the other is the slow part of this test


def _amendment_without_sentinel_interval(tmp_path: Path) -> None:
    """CT1192 v1.1 drops the sentinel interval, so a fresh cohort has all three places free."""
    definition = yaml.safe_load((PROTOCOLS / "ct1192.yaml").read_text(encoding="utf-8"))
    definition["protocol"]["version"] = "1.1"
    definition["escalation"]["sentinel_days"] = 0
    path = tmp_path / "ct1192-v1.1.yaml"
    path.write_text(yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8")
    protocol_load(path=path, actor=system_user())


def _eligible(count: int, actor) -> list[Subject]:
    """Subjects screened and confirmed through the services, as the investigator would."""
    subjects = [screen(ct1192_subject(), actor) for _ in range(count)]
    for subject in subjects:
        confirm_judgements(subject, actor)
    return subjects


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_enrolments_fill_the_three_free_places_and_no_more(tmp_path):
    actor = UserFactory()
    ct1192_study()
    waiting = [
        subject
        for batch in race(lambda _: _eligible(CANDIDATES // PREPARERS, actor), PREPARERS)
        for subject in batch
    ]
    _amendment_without_sentinel_interval(tmp_path)
    assert {eligibility_assessment(s, today=TODAY, now=NOW).status for s in waiting} == {"eligible"}

    results = race(
        lambda i: subject_enrol_if_eligible(waiting[i], actor=actor, today=TODAY, now=NOW),
        CANDIDATES,
    )

    refused = [r for r in results if isinstance(r, ValidationError)]
    enrolled = Subject.objects.filter(status="enrolled")
    assert (len(refused), DoseAssignment.objects.filter(dose_level=1).count()) == (47, 3)
    assert all(r.messages[0].startswith("cohort full") for r in refused)
    assert sorted(enrolled.values_list("subject_identifier", flat=True)) == [
        "CT1192-01-001",
        "CT1192-01-002",
        "CT1192-01-003",
    ]
    assert set(DoseAssignment.objects.values_list("subject_id", flat=True)) == set(
        enrolled.values_list("pk", flat=True)
    )
    assert EligibilityDecision.objects.count() == 3
