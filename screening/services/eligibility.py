"""Eligibility writes: investigator confirmations, enrolment and screen failure."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from edc.audit import audited_create, audited_update
from edc.models import Subject
from edc.selectors import protocol_definition
from edc.services.subjects import subject_enrol, subject_status_change
from screening.domain.eligibility import (
    EligibilityAssessment,
    EligibilityStatus,
    Outcome,
    confirmation_keys,
)
from screening.models import EligibilityConfirmation, EligibilityDecision
from screening.selectors import eligibility_assessment


def eligibility_confirm(
    subject: Subject,
    *,
    key: str,
    met: bool,
    note: str,
    actor: AbstractBaseUser,
    reason: str = "",
) -> EligibilityConfirmation:
    """Record the investigator's judgement on an item data cannot decide.

    Revising a judgement is a change of saved data, so it needs a reason like any other.
    """
    if Subject.objects.values_list("status", flat=True).get(pk=subject.pk) != "screening":
        raise ValidationError(
            _("Screening has ended: eligibility judgements can no longer change.")
        )
    criteria = protocol_definition(subject.study).criteria_for(subject.stratum.code)
    if key not in {k for c in criteria for k in confirmation_keys(c)}:
        raise ValidationError(_("This item does not need an investigator's confirmation."))
    existing = EligibilityConfirmation.objects.filter(subject=subject, key=key).first()
    if existing is None:
        return audited_create(
            EligibilityConfirmation(subject=subject, key=key, met=met, note=note), actor=actor
        )
    return audited_update(
        existing,
        actor=actor,
        reason=reason,
        changes={"met": met, "note": note},
        expected_version=None,
    )


@transaction.atomic
def eligibility_confirm_all(
    subject: Subject,
    *,
    judgements: Iterable[tuple[str, bool, str]],
    actor: AbstractBaseUser,
    reason: str = "",
) -> list[EligibilityConfirmation]:
    """Record the investigator's judgements of one checklist submit together: all or none.

    `judgements` are (key, met, note); a correction among them takes `reason`.
    """
    return [
        eligibility_confirm(subject, key=key, met=met, note=note, actor=actor, reason=reason)
        for key, met, note in judgements
    ]


def _decision(
    subject: Subject, outcome: str, assessment: EligibilityAssessment, *, actor, now
) -> EligibilityDecision:
    failed = [r.criterion_id for r in assessment.results if r.outcome == Outcome.NOT_MET]
    return audited_create(
        EligibilityDecision(
            subject=subject,
            outcome=outcome,
            assessment_status=assessment.status.value,
            failed_criteria=failed,
            results=[dataclasses.asdict(r) for r in assessment.results],
            rule_version=assessment.rule_version,
            protocol_version=assessment.protocol_version,
            decided_at=now,
        ),
        actor=actor,
    )


def _locked(subject: Subject) -> Subject:
    return Subject.objects.select_for_update().select_related("stratum", "study").get(pk=subject.pk)


@transaction.atomic
def subject_enrol_if_eligible(
    subject: Subject, *, actor: AbstractBaseUser, today: dt.date, now: dt.datetime
) -> Subject:
    """Enrol only when every criterion is met or confirmed; the decision keeps the evidence."""
    subject = _locked(subject)
    assessment = eligibility_assessment(subject, today=today, now=now)
    if assessment.status != EligibilityStatus.ELIGIBLE:
        open_items = [r.label for r in assessment.results if r.outcome != Outcome.MET]
        raise ValidationError(
            _("Not eligible yet: criteria %(items)s are not met or not confirmed.")
            % {"items": ", ".join(open_items)}
        )
    _decision(subject, EligibilityDecision.Outcome.ENROLLED, assessment, actor=actor, now=now)
    subject = subject_enrol(
        subject, reason=f"Eligible ({assessment.rule_version.split(':')[0]})", actor=actor
    )
    for hook in _enrolment_hooks:
        hook(subject, actor=actor, today=today)
    return subject


# Called inside the enrolment transaction (dose-level assignment registers here); a hook that
# raises ValidationError undoes the enrolment, so a subject is never enrolled without a dose.
EnrolmentHook = Callable[..., None]
_enrolment_hooks: list[EnrolmentHook] = []


def register_enrolment_hook(hook: EnrolmentHook) -> None:
    if hook not in _enrolment_hooks:
        _enrolment_hooks.append(hook)


@transaction.atomic
def subject_screen_fail(
    subject: Subject,
    *,
    actor: AbstractBaseUser,
    today: dt.date,
    now: dt.datetime,
    reason: str = "",
) -> Subject:
    """End screening as a failure; the failing criteria (or the investigator's reason) are kept."""
    subject = _locked(subject)
    assessment = eligibility_assessment(subject, today=today, now=now)
    failed = [r for r in assessment.results if r.outcome == Outcome.NOT_MET]
    if not failed and not reason.strip():
        raise ValidationError(
            _("No criterion fails: give the reason for ending screening as a failure.")
        )
    _decision(subject, EligibilityDecision.Outcome.SCREEN_FAILED, assessment, actor=actor, now=now)
    because = "; ".join([f"criterion {r.label} not met" for r in failed] + [reason.strip()])
    return subject_status_change(
        subject,
        target="screen_failed",
        reason=f"Screen failure: {because.strip('; ')}",
        actor=actor,
    )
