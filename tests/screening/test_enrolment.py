"""Enrolment only when every criterion is met or confirmed; screen failure keeps its reasons."""

import pytest
from django.core.exceptions import ValidationError

from edc.audit import ReasonRequired
from screening.models import EligibilityDecision
from screening.selectors import eligibility_assessment
from screening.services.eligibility import (
    eligibility_confirm,
    subject_enrol_if_eligible,
    subject_screen_fail,
)
from tests.edc.factories import UserFactory
from tests.screening.journeys import (
    NORMAL_LABS,
    NOW,
    TODAY,
    confirm_judgements,
    ct1192_subject,
    lab,
    screen,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def investigator():
    return UserFactory(username="inv_wuhan")


def test_subject_is_eligible_when_all_data_are_in_and_judgements_confirmed(investigator):
    subject = screen(ct1192_subject(), investigator)
    confirm_judgements(subject, investigator)
    assert eligibility_assessment(subject, today=TODAY, now=NOW).status == "eligible"


def test_judgement_items_keep_the_subject_pending(investigator):
    subject = screen(ct1192_subject(), investigator)
    assessment = eligibility_assessment(subject, today=TODAY, now=NOW)
    assert (assessment.status, [r.number for r in assessment.outstanding]) == (
        "pending",
        ["1", "3", "4", "6", "9"],
    )


def test_enrolment_assigns_the_subject_id_and_records_the_evidence(investigator):
    subject = screen(ct1192_subject(), investigator)
    confirm_judgements(subject, investigator)
    enrolled = subject_enrol_if_eligible(subject, actor=investigator, today=TODAY, now=NOW)
    decision = EligibilityDecision.objects.get()
    assert (enrolled.status, enrolled.subject_identifier) == ("enrolled", "CT1192-01-001")
    assert (decision.outcome, len(decision.results)) == ("enrolled", 15)


def test_enrolment_is_refused_while_a_form_is_missing(investigator):
    subject = screen(ct1192_subject(), investigator, skip=("echocardiography",))
    confirm_judgements(subject, investigator)
    with pytest.raises(ValidationError, match=r"criteria I-10f are not met"):
        subject_enrol_if_eligible(subject, actor=investigator, today=TODAY, now=NOW)
    subject.refresh_from_db()
    assert (subject.status, EligibilityDecision.objects.count()) == ("screening", 0)


def test_low_neutrophils_make_the_subject_ineligible_naming_the_criterion(investigator):
    labs = {**NORMAL_LABS, "neutrophils": lab("0.8", "10^9/L", "1.8", "6.3")}
    subject = screen(ct1192_subject(), investigator, labs=labs)
    confirm_judgements(subject, investigator)
    assessment = eligibility_assessment(subject, today=TODAY, now=NOW)
    assert [r.criterion_id for r in assessment.failed] == ["inc-10b"]


def test_screen_failure_records_the_failing_criteria(investigator):
    labs = {**NORMAL_LABS, "neutrophils": lab("800", "/uL", "1800", "6300")}
    subject = screen(ct1192_subject(), investigator, labs=labs)
    failed = subject_screen_fail(subject, actor=investigator, today=TODAY, now=NOW)
    decision = EligibilityDecision.objects.get()
    assert (failed.status, decision.failed_criteria) == ("screen_failed", ["inc-10b"])
    assert failed.history.latest().history_change_reason == (
        "Screen failure: criterion I-10b not met"
    )


def test_screen_failure_without_a_failing_criterion_needs_a_reason(investigator):
    subject = screen(ct1192_subject(), investigator)
    with pytest.raises(ValidationError, match="give the reason"):
        subject_screen_fail(subject, actor=investigator, today=TODAY, now=NOW)


def test_screen_failure_for_another_reason_is_recorded(investigator):
    subject = screen(ct1192_subject(), investigator)
    failed = subject_screen_fail(
        subject, actor=investigator, today=TODAY, now=NOW, reason="Withdrew before enrolment"
    )
    assert failed.history.latest().history_change_reason.endswith("Withdrew before enrolment")


def test_confirmation_of_an_item_data_decide_is_refused(investigator):
    subject = ct1192_subject()
    with pytest.raises(ValidationError, match="does not need"):
        eligibility_confirm(subject, key="inc-10b", met=True, note="", actor=investigator)


def test_revising_a_judgement_needs_a_reason(investigator):
    subject = ct1192_subject()
    eligibility_confirm(subject, key="inc-3", met=True, note="", actor=investigator)
    with pytest.raises(ReasonRequired):
        eligibility_confirm(subject, key="inc-3", met=False, note="", actor=investigator)


def test_judgements_cannot_change_after_enrolment(investigator):
    subject = screen(ct1192_subject(), investigator)
    confirm_judgements(subject, investigator)
    subject_enrol_if_eligible(subject, actor=investigator, today=TODAY, now=NOW)
    with pytest.raises(ValidationError, match="Screening has ended"):
        eligibility_confirm(
            subject, key="inc-3", met=False, note="", reason="second thoughts", actor=investigator
        )
