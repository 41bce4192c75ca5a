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
PREPARERS = 10  # screening fifty subjects one after the other is the slow part of this test
SITES = ("01", "02")


def _amendment_with_a_second_site_and_no_sentinel_interval(tmp_path: Path) -> None:
    """CT1192 v1.1: a second hospital enrols, and a fresh cohort has all three places free.

    Two sites matter: enrolments at one site already queue on its subject-number sequence, so
    only a race between sites shows that the cohort itself is counted under a lock.
    """
    definition = yaml.safe_load((PROTOCOLS / "ct1192.yaml").read_text(encoding="utf-8"))
    definition["protocol"]["version"] = "1.1"
    definition["escalation"]["sentinel_days"] = 0
    definition["sites"].append(
        {
            **definition["sites"][0],
            "code": "wuhan_tongji",
            "name": "Tongji Hospital",
            "name_zh": "华中科技大学同济医学院附属同济医院",
            "site_number": "02",
        }
    )
    path = tmp_path / "ct1192-v1.1.yaml"
    path.write_text(yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8")
    protocol_load(path=path, actor=system_user())


def _eligible(count: int, actor, site_number: str) -> list[Subject]:
    """Subjects screened and confirmed through the services, as the investigator would."""
    subjects = [screen(ct1192_subject(site_number=site_number), actor) for _ in range(count)]
    for subject in subjects:
        confirm_judgements(subject, actor)
    return subjects


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_enrolments_at_two_sites_fill_the_three_free_places_and_no_more(tmp_path):
    actor = UserFactory()
    ct1192_study()
    _amendment_with_a_second_site_and_no_sentinel_interval(tmp_path)
    batches = race(
        lambda i: _eligible(CANDIDATES // PREPARERS, actor, SITES[i % len(SITES)]), PREPARERS
    )
    waiting = [subject for batch in batches for subject in batch]
    assert {eligibility_assessment(s, today=TODAY, now=NOW).status for s in waiting} == {"eligible"}

    results = race(
        lambda i: subject_enrol_if_eligible(waiting[i], actor=actor, today=TODAY, now=NOW),
        CANDIDATES,
    )

    refused = [r for r in results if isinstance(r, ValidationError)]
    enrolled = Subject.objects.filter(status="enrolled")
    assert (len(refused), DoseAssignment.objects.filter(dose_level=1).count()) == (47, 3)
    assert all(r.messages[0].startswith("cohort full") for r in refused)
    assert set(DoseAssignment.objects.values_list("subject_id", flat=True)) == set(
        enrolled.values_list("pk", flat=True)
    )
    # A refused enrolment leaves nothing behind: no decision, no subject number used up.
    assert EligibilityDecision.objects.count() == 3
    for site in SITES:
        numbers = sorted(
            enrolled.filter(study_site__site_number=site).values_list(
                "subject_identifier", flat=True
            )
        )
        assert numbers == [f"CT1192-{site}-{n:03d}" for n in range(1, len(numbers) + 1)]
