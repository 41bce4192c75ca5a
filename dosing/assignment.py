"""Dose-level assignment at enrolment (registered as screening's enrolment hook)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from dosing.domain.cohorts import decide_assignment
from dosing.models import DoseAssignment
from dosing.selectors import cohort_subjects, current_dose_level
from edc.audit import audited_create
from edc.models import Study, Subject
from edc.selectors import protocol_definition


def dose_assign(subject: Subject, *, actor: AbstractBaseUser, today: dt.date) -> DoseAssignment:
    """Assign the subject to the current dose level, or refuse with the rule that blocks it.

    The study row is locked first, so two sites enrolling at the same moment are counted one
    after the other and a cohort is never overbooked. Runs inside the enrolment transaction.
    """
    study = Study.objects.select_for_update().get(pk=subject.study_id)
    decision = decide_assignment(
        escalation=protocol_definition(study).escalation,
        current_level=current_dose_level(study),
        subjects=cohort_subjects(study),
        today=today,
    )
    if decision.blocked or decision.level is None:
        raise ValidationError(decision.reason)
    return audited_create(
        DoseAssignment(subject=subject, study=study, dose_level=decision.level, assigned_on=today),
        actor=actor,
        reason=f"Assigned at enrolment: {decision.reason}",
    )
