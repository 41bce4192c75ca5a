"""Locked data cannot change on any path: the write guard of every audited save refuses it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from edc.audit import audited_delete, audited_update
from edc.audit_trail import TrailFilter, trail_entries, trail_rows
from edc.crfs import crf_spec
from edc.locking import DataLocked
from edc.services.crfs import crf_create, crf_update
from edc.services.locks import data_lock, data_unlock
from edc.services.subjects import subject_correct
from screening.models import PriorTherapy, VitalSigns
from tests.concurrency import race
from tests.edc.factories import SubjectFactory, UserFactory

pytestmark = pytest.mark.django_db

VITALS = {"measured_on": dt.date(2026, 3, 2), "height_cm": 175, "weight_kg": 70}
THERAPY = {
    "kind": "other",
    "drug_name": "Rituximab",
    "dose": 1000,
    "dose_unit": "mg",
    "start_date": dt.date(2025, 1, 1),
    "outcome": "ongoing",
}


@pytest.fixture
def actor():
    return UserFactory(first_name="Dana", last_name="Manager")


@pytest.fixture
def subject(site_a, stratum):
    return SubjectFactory(study_site=site_a, stratum=stratum)


def _vitals(subject, actor):
    return crf_create(
        spec=crf_spec("vital_signs"), subject=subject, visit_code="SCR", data=VITALS, actor=actor
    )


def _lock(subject, actor, scope="subject", **target):
    return data_lock(
        study=subject.study,
        scope=scope,
        study_site=subject.study_site,
        subject=None if scope == "site" else subject,
        actor=actor,
        reason="Database lock for the interim analysis",
        **target,
    )


def _correct(vitals, actor, weight=72):
    return crf_update(
        vitals,
        spec=crf_spec("vital_signs"),
        data={**VITALS, "weight_kg": weight},
        reason="Scale error",
        expected_version=vitals.row_version,
        actor=actor,
    )


def test_correction_through_the_service_is_refused_with_who_locked_it(subject, actor):
    vitals = _vitals(subject, actor)
    _lock(subject, actor)
    with pytest.raises(DataLocked) as info:
        _correct(vitals, actor)
    assert "locked by Dana Manager on" in info.value.messages[0]
    assert VitalSigns.objects.get().weight_kg == 70


def test_refusal_is_explained_in_chinese_to_a_chinese_reader(subject, actor):
    vitals = _vitals(subject, actor)
    _lock(subject, actor)
    with translation.override("zh-hans"), pytest.raises(DataLocked) as info:
        _correct(vitals, actor)
    assert info.value.messages[0].startswith("此表单已锁定")


def test_form_lock_refuses_that_form_only(subject, actor):
    vitals = _vitals(subject, actor)
    _lock(subject, actor, scope="form", visit_code="SCR", crf_code="vital_signs")
    with pytest.raises(DataLocked):
        _correct(vitals, actor)
    crf_create(
        spec=crf_spec("prior_therapy"), subject=subject, visit_code="SCR", data=THERAPY, actor=actor
    )
    assert PriorTherapy.objects.count() == 1


def test_new_row_at_a_locked_visit_is_refused_and_nothing_is_written(subject, actor):
    _lock(subject, actor, scope="visit", visit_code="SCR")
    with pytest.raises(DataLocked):
        crf_create(
            spec=crf_spec("prior_therapy"),
            subject=subject,
            visit_code="SCR",
            data=THERAPY,
            actor=actor,
        )
    assert not PriorTherapy.objects.exists()


def test_site_lock_refuses_every_subject_of_the_site_and_new_subjects(subject, actor, site_b):
    vitals = _vitals(subject, actor)
    _lock(subject, actor, scope="site")
    with pytest.raises(DataLocked):
        _correct(vitals, actor)
    with pytest.raises(DataLocked):
        SubjectFactory(study_site=subject.study_site, stratum=subject.stratum)
    SubjectFactory(study_site=site_b, stratum=subject.stratum)  # another site is not locked


def test_subject_correction_through_the_service_is_refused(subject, actor):
    _lock(subject, actor)
    with pytest.raises(DataLocked):
        subject_correct(
            subject,
            changes={"initials": "XYZ"},
            reason="Typo",
            expected_version=subject.row_version,
            today=dt.date(2026, 4, 1),
            actor=actor,
        )
    subject.refresh_from_db()
    assert subject.initials == "ABC"


def test_audited_update_of_any_subject_row_is_refused(subject, actor):
    vitals = _vitals(subject, actor)
    _lock(subject, actor)
    with pytest.raises(DataLocked):
        audited_update(
            vitals, actor=actor, reason="Fix", changes={"weight_kg": 60}, expected_version=None
        )


def test_audited_delete_of_a_locked_row_is_refused(subject, actor):
    therapy = crf_create(
        spec=crf_spec("prior_therapy"), subject=subject, visit_code="SCR", data=THERAPY, actor=actor
    )
    _lock(subject, actor)
    type(therapy).deletable_with_reason = True  # as a model whose service removes rows
    try:
        with pytest.raises(DataLocked):
            audited_delete(therapy, actor=actor, reason="Entered twice")
    finally:
        type(therapy).deletable_with_reason = False
    assert PriorTherapy.objects.filter(pk=therapy.pk).exists()


def test_unlock_with_a_reason_restores_editing_and_the_stored_status(subject, actor):
    vitals = _vitals(subject, actor)
    lock = _lock(subject, actor)
    data_unlock(lock, actor=actor, reason="Query answered after the interim lock")
    corrected = _correct(vitals, actor)
    assert (corrected.weight_kg, corrected.status) == (72, "complete")


def test_unlock_without_a_reason_is_refused(subject, actor):
    lock = _lock(subject, actor)
    with pytest.raises(ValidationError) as info:
        data_unlock(lock, actor=actor, reason="  ")
    assert "reason" in info.value.message_dict
    lock.refresh_from_db()
    assert lock.unlocked_at is None


def test_lock_without_a_reason_is_refused(subject, actor):
    with pytest.raises(ValidationError) as info:
        data_lock(
            study=subject.study,
            scope="subject",
            study_site=subject.study_site,
            subject=subject,
            actor=actor,
            reason="",
        )
    assert "reason" in info.value.message_dict


def test_visit_lock_needs_a_visit_of_the_protocol(subject, actor):
    with pytest.raises(ValidationError) as info:
        _lock(subject, actor, scope="visit", visit_code="D999")
    assert "visit_code" in info.value.message_dict


def test_the_same_target_cannot_be_locked_twice(subject, actor):
    _lock(subject, actor)
    with pytest.raises(ValidationError):
        _lock(subject, actor)


def test_lock_and_unlock_are_on_the_subjects_audit_trail(subject, actor):
    lock = _lock(subject, actor)
    data_unlock(lock, actor=actor, reason="Query answered")
    rows = list(trail_rows(subject.study_id, TrailFilter(subject_id=subject.pk)))
    entries = trail_entries(subject.study_id, rows, show_personal_data=False)
    entries = [e for e in entries if e.form == "data lock"]
    assert sorted(e.reason for e in entries) == [
        "Database lock for the interim analysis",
        "Query answered",
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_save_racing_a_lock_either_commits_first_or_is_refused(site_a, stratum):
    actor = UserFactory()
    subject = SubjectFactory(study_site=site_a, stratum=stratum)
    vitals = _vitals(subject, actor)

    def work(i):
        if i == 0:
            return _lock(subject, actor)
        return _correct(VitalSigns.objects.get(pk=vitals.pk), actor, weight=72)

    for _attempt in range(5):
        results = race(work, 2)
        lock, saved = results
        assert not isinstance(lock, Exception)
        vitals.refresh_from_db()
        if isinstance(saved, Exception):
            assert isinstance(saved, DataLocked)
            assert vitals.weight_kg == 70
        else:
            # The save committed first: the lock was written after it, on the saved data.
            assert vitals.weight_kg == 72
            assert lock.locked_at >= vitals.updated_at
        data_unlock(lock, actor=actor, reason="Next round")
        vitals = _correct(VitalSigns.objects.get(pk=vitals.pk), actor, weight=70)
