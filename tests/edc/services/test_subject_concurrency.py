"""Two investigators registering or enrolling at the same moment get distinct, gap-free numbers."""

import datetime as dt

import pytest

from edc.services.subjects import subject_enrol, subject_register
from tests.concurrency import race
from tests.edc.factories import StratumFactory, StudyFactory, StudySiteFactory, UserFactory

WORKERS = 6


@pytest.fixture
def world(transactional_db):
    study = StudyFactory()
    return {
        "study": study,
        "site": StudySiteFactory(study=study, site_number="01"),
        "stratum": StratumFactory(study=study),
        "actor": UserFactory(),
    }


def _register(world, i):
    return subject_register(
        study=world["study"],
        study_site=world["site"],
        stratum=world["stratum"],
        sex="F",
        date_of_birth=dt.date(1980, 1, 1 + i),
        initials="AB",
        consent_date=dt.date(2026, 4, 1),
        consent_version="v1",
        today=dt.date(2026, 5, 1),
        actor=world["actor"],
    )


@pytest.mark.postgres
def test_concurrent_registrations_get_distinct_gap_free_screening_numbers(world):
    results = race(lambda i: _register(world, i).screening_number, WORKERS)
    assert sorted(results) == [f"S01-{n:03d}" for n in range(1, WORKERS + 1)]


@pytest.mark.postgres
def test_concurrent_enrolments_get_distinct_gap_free_subject_ids(world):
    subjects = [_register(world, i) for i in range(WORKERS)]
    results = race(
        lambda i: (
            subject_enrol(subjects[i], reason="Eligible", actor=world["actor"]).subject_identifier
        ),
        WORKERS,
    )
    code = world["study"].study_code
    assert sorted(results) == [f"{code}-01-{n:03d}" for n in range(1, WORKERS + 1)]
