import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from edc.audit import ReasonRequired, StaleEdit, audited_update
from edc.models import Subject
from edc.services.subjects import (
    subject_correct,
    subject_enrol,
    subject_register,
    subject_status_change,
)
from tests.edc.factories import StratumFactory, UserFactory

TODAY = dt.date(2026, 5, 1)


@pytest.fixture
def actor(db):
    return UserFactory(username="inv")


@pytest.fixture
def register(study, site_a, stratum, actor):
    def make(**overrides):
        fields = {
            "study": study,
            "study_site": site_a,
            "stratum": stratum,
            "sex": "F",
            "date_of_birth": dt.date(1990, 1, 31),
            "initials": "lxm",
            "consent_date": dt.date(2026, 4, 20),
            "consent_version": "ICF v1.0",
            "today": TODAY,
            "actor": actor,
            **overrides,
        }
        return subject_register(**fields)

    return make


def test_registration_assigns_screening_numbers_in_sequence_per_site(register, site_b):
    numbers = [register().screening_number, register().screening_number]
    other_site = register(study_site=site_b).screening_number
    assert numbers == ["S01-001", "S01-002"]
    assert other_site == "S02-001"


def test_registration_records_who_and_initial_entry(register, actor):
    subject = register()
    record = subject.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        actor,
        "Initial entry",
    )


def test_registration_stores_initials_upper_case(register):
    assert register(initials="lxm").initials == "LXM"


def test_registration_is_refused_when_consent_is_in_the_future(register):
    with pytest.raises(ValidationError, match="consent date is in the future"):
        register(consent_date=TODAY + dt.timedelta(days=1))
    assert not Subject.objects.exists()


def test_registration_is_refused_when_consent_precedes_birth(register):
    with pytest.raises(ValidationError, match="before the date of birth"):
        register(date_of_birth=dt.date(2026, 4, 21))


def test_registration_is_refused_when_born_before_1900(register):
    with pytest.raises(ValidationError) as info:
        register(date_of_birth=dt.date(1899, 12, 31))
    assert [e.code for e in info.value.error_dict["date_of_birth"]] == ["before_1900"]
    assert not Subject.objects.exists()


def test_correction_of_the_birth_to_after_consent_is_refused_on_the_consent_date(register, actor):
    with pytest.raises(ValidationError) as info:
        subject_correct(
            register(),
            changes={"date_of_birth": dt.date(2026, 4, 21)},
            reason="typo",
            expected_version=1,
            today=TODAY,
            actor=actor,
        )
    assert [e.code for e in info.value.error_dict["consent_date"]] == ["before_birth"]


def test_refused_registration_does_not_use_up_a_screening_number(register):
    with pytest.raises(ValidationError):
        register(initials="1X")
    assert register().screening_number == "S01-001"


def test_registration_is_refused_when_the_study_is_closed(register, study, actor):
    audited_update(
        study, actor=actor, reason="Closed", changes={"status": "closed"}, expected_version=None
    )
    with pytest.raises(ValidationError, match="not recruiting"):
        register()


def test_correction_changes_the_field_and_keeps_old_and_new_in_history(register, actor):
    subject = register()
    corrected = subject_correct(
        subject,
        changes={"initials": "lxn"},
        reason="Transcription error",
        expected_version=1,
        today=TODAY,
        actor=actor,
    )
    assert (corrected.initials, corrected.row_version) == ("LXN", 2)
    new, old = corrected.history.order_by("-history_date")[:2]
    delta = new.diff_against(old)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("initials", "LXM", "LXN")]
    assert new.history_change_reason == "Transcription error"


@pytest.mark.parametrize("reason", ["", "   "])
def test_correction_without_a_reason_is_refused_and_changes_nothing(register, actor, reason):
    subject = register()
    with pytest.raises(ReasonRequired):
        subject_correct(
            subject,
            changes={"initials": "ZZ"},
            reason=reason,
            expected_version=1,
            today=TODAY,
            actor=actor,
        )
    subject.refresh_from_db()
    assert (subject.initials, subject.row_version, subject.history.count()) == ("LXM", 1, 1)


def test_stale_correction_is_refused_and_keeps_the_other_users_change(register, actor):
    subject = register()
    subject_correct(
        subject,
        changes={"initials": "AB"},
        reason="First fix",
        expected_version=1,
        today=TODAY,
        actor=actor,
    )
    with pytest.raises(StaleEdit, match="Someone else changed this record"):
        subject_correct(
            subject,
            changes={"initials": "CD"},
            reason="Late fix",
            expected_version=1,
            today=TODAY,
            actor=actor,
        )
    subject.refresh_from_db()
    assert (subject.initials, subject.row_version) == ("AB", 2)


def test_plain_save_of_a_saved_row_without_reason_is_refused(register):
    subject = register()
    subject.initials = "QQ"
    with pytest.raises(ReasonRequired):
        subject.save()


def test_correction_cannot_change_the_status(register, actor):
    subject = register()
    with pytest.raises(ValidationError, match="cannot be corrected here"):
        subject_correct(
            subject,
            changes={"status": "enrolled"},
            reason="x",
            expected_version=1,
            today=TODAY,
            actor=actor,
        )


def test_enrolment_assigns_subject_ids_in_sequence(register, actor):
    first = subject_enrol(register(), reason="Eligible", actor=actor)
    second = subject_enrol(register(), reason="Eligible", actor=actor)
    prefix = f"{first.study.study_code}-01-"
    assert (first.subject_identifier, second.subject_identifier) == (
        f"{prefix}001",
        f"{prefix}002",
    )
    assert first.status == "enrolled"


def test_enrolment_of_a_screen_failure_is_refused(register, actor):
    subject = subject_status_change(
        register(), target="screen_failed", reason="ANC too low", actor=actor
    )
    with pytest.raises(ValidationError, match="cannot become 'enrolled'"):
        subject_enrol(subject, reason="Eligible", actor=actor)


def test_status_change_skipping_a_step_is_refused(register, actor):
    with pytest.raises(ValidationError, match="cannot become 'infused'"):
        subject_status_change(register(), target="infused", reason="x", actor=actor)


def test_correction_to_a_future_consent_is_refused(register, actor):
    subject = register()
    with pytest.raises(ValidationError, match="in the future"):
        subject_correct(
            subject,
            changes={"consent_date": dt.date(2099, 1, 1)},
            reason="typo",
            expected_version=1,
            today=TODAY,
            actor=actor,
        )


def test_stratum_cannot_change_after_screening(register, actor, study):
    subject = subject_enrol(register(), reason="Eligible", actor=actor)
    other = StratumFactory(study=study, code="aav")
    with pytest.raises(ValidationError, match="cannot change after screening"):
        subject_correct(
            subject,
            changes={"stratum": other},
            reason="wrong cohort",
            expected_version=subject.row_version,
            today=TODAY,
            actor=actor,
        )
