"""Two investigators enrolling at the same moment at one site get distinct, gap-free ids."""

import pytest

from screening.services.eligibility import subject_enrol_if_eligible
from tests.concurrency import race
from tests.edc.factories import UserFactory
from tests.screening.journeys import NOW, TODAY, confirm_judgements, ct1192_subject, screen

INVESTIGATORS = 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_get_consecutive_subject_ids():
    actors = [UserFactory() for _ in range(INVESTIGATORS)]
    subjects = []
    for actor in actors:
        subject = screen(ct1192_subject(), actor)
        confirm_judgements(subject, actor)
        subjects.append(subject)
    ids = race(
        lambda i: (
            subject_enrol_if_eligible(
                subjects[i], actor=actors[i], today=TODAY, now=NOW
            ).subject_identifier
        ),
        INVESTIGATORS,
    )
    assert sorted(ids) == [f"CT1192-01-{n:03d}" for n in range(1, INVESTIGATORS + 1)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_double_click_on_enrol_enrols_once():
    actor = UserFactory()
    subject = screen(ct1192_subject(), actor)
    confirm_judgements(subject, actor)
    results = race(
        lambda i: subject_enrol_if_eligible(subject, actor=actor, today=TODAY, now=NOW), 2
    )
    enrolled = [r for r in results if not isinstance(r, Exception)]
    assert len(enrolled) == 1
    assert "cannot become 'enrolled'" in str(next(r for r in results if isinstance(r, Exception)))
