"""Which records a lock covers, and the status a covered form shows."""

import pytest

from edc.domain.crf_status import CrfStatus
from edc.domain.locks import (
    IncompleteLockTarget,
    LockScope,
    LockTarget,
    RecordPlace,
    check_target,
    covers,
    effective_status,
)

VITALS_D28 = RecordPlace("site1", "subj1", "D28", "vital_signs")


def test_site_lock_covers_every_record_of_the_site():
    assert covers(LockTarget(LockScope.SITE, "site1"), VITALS_D28)


def test_site_lock_covers_a_new_subject_at_the_site():
    assert covers(LockTarget(LockScope.SITE, "site1"), RecordPlace("site1", None))


def test_site_lock_does_not_cover_another_site():
    assert not covers(LockTarget(LockScope.SITE, "site2"), VITALS_D28)


def test_subject_lock_covers_the_subjects_own_row_and_forms():
    lock = LockTarget(LockScope.SUBJECT, "site1", "subj1")
    assert covers(lock, VITALS_D28)
    assert covers(lock, RecordPlace("site1", "subj1"))


def test_subject_lock_does_not_cover_another_subject():
    assert not covers(LockTarget(LockScope.SUBJECT, "site1", "subj2"), VITALS_D28)


def test_visit_lock_covers_every_form_of_that_visit_only():
    lock = LockTarget(LockScope.VISIT, "site1", "subj1", "D28")
    assert covers(lock, VITALS_D28)
    assert not covers(lock, RecordPlace("site1", "subj1", "D14", "vital_signs"))


def test_visit_lock_does_not_cover_the_subjects_own_row():
    assert not covers(
        LockTarget(LockScope.VISIT, "site1", "subj1", "D28"), RecordPlace("site1", "subj1")
    )


def test_form_lock_covers_that_form_of_that_visit_only():
    lock = LockTarget(LockScope.FORM, "site1", "subj1", "D28", "vital_signs")
    assert covers(lock, VITALS_D28)
    assert not covers(lock, RecordPlace("site1", "subj1", "D28", "lab_panel"))


@pytest.mark.parametrize(
    "target",
    [
        LockTarget(LockScope.VISIT, "site1", "subj1"),
        LockTarget(LockScope.FORM, "site1", "subj1", "D28"),
        LockTarget(LockScope.SUBJECT, "site1"),
        LockTarget(LockScope.SITE, "site1", "subj1"),
    ],
)
def test_a_target_missing_or_adding_a_part_of_its_scope_is_refused(target):
    with pytest.raises(IncompleteLockTarget):
        check_target(target)


def test_a_covered_form_shows_locked_whatever_its_stored_status():
    assert effective_status("signed", locked=True) is CrfStatus.LOCKED


def test_an_uncovered_form_shows_its_stored_status():
    assert effective_status("verified", locked=False) is CrfStatus.VERIFIED
