"""Reads of the dosing app: the cohort picture the escalation rules work on."""

from __future__ import annotations

import datetime as dt

from dosing.domain.cohorts import CohortSubject, LevelSummary, level_summary
from dosing.models import DltAssessment, DoseAssignment, EscalationDecision, Infusion
from edc.models import Study
from edc.selectors import protocol_definition


def cohort_subjects(study: Study) -> list[CohortSubject]:
    """Every subject assigned a dose level, with infusion date and DLT assessment if any."""
    infused = dict(
        Infusion.objects.filter(subject__study=study).values_list("subject_id", "infused_on")
    )
    assessed = {a.subject_id: a for a in DltAssessment.objects.filter(subject__study=study)}
    subjects = []
    assignments = DoseAssignment.objects.filter(study=study).select_related("subject")
    for a in assignments.order_by("assigned_on", "created_at"):
        assessment = assessed.get(a.subject_id)
        subjects.append(
            CohortSubject(
                subject_id=str(a.subject),  # the subject id investigators know
                dose_level=a.dose_level,
                infusion_date=infused.get(a.subject_id),
                evaluable=assessment.evaluable if assessment else None,
                dlt=bool(assessment and assessment.had_dlt),
            )
        )
    return subjects


def current_dose_level(study: Study) -> int:
    """The level new subjects go to: the committee's latest decision, else the protocol's start."""
    latest = (
        EscalationDecision.objects.filter(study=study, next_dose_level__isnull=False)
        .order_by("-signed_at")
        .first()
    )
    if latest is not None:
        return latest.next_dose_level
    return protocol_definition(study).escalation.start_level


def escalation_overview(study: Study, *, today: dt.date) -> list[LevelSummary]:
    return level_summary(
        escalation=protocol_definition(study).escalation,
        subjects=cohort_subjects(study),
        today=today,
    )


def escalation_decision_list(study: Study):
    return EscalationDecision.objects.filter(study=study).order_by("-signed_at", "pk")


def dlt_candidate_list(subject) -> list:
    """The DLT candidates proposed for a subject (read by the safety page)."""
    return list(subject.dlt_candidates.order_by("onset_on"))


def lymphodepletion_start(subject) -> dt.date | None:
    """The first day of lymphodepletion (baselines are the last values before it)."""
    course = subject.dosing_lymphodepletioncourse_set.first()
    return course.first_day_on if course else None
