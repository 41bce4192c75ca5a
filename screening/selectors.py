"""Reads of the screening app: the eligibility assessment and the screening log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from edc.models import Subject
from edc.selectors import protocol_definition
from screening.domain.eligibility import EligibilityAssessment, assess_eligibility
from screening.models import EligibilityConfirmation, EligibilityDecision, InfectionScreen
from screening.snapshot import screening_snapshot


def eligibility_assessment(
    subject: Subject, *, today: dt.date, now: dt.datetime
) -> EligibilityAssessment:
    """Every criterion of the subject's stratum against the data saved so far."""
    return assess_eligibility(
        definition=protocol_definition(subject.study),
        snapshot=screening_snapshot(subject, today=today, now=now),
    )


def eligibility_confirmations(subject: Subject) -> dict[str, tuple[bool, str]]:
    """The investigator's saved judgements of the subject: key -> (met, note)."""
    return {
        key: (met, note)
        for key, met, note in EligibilityConfirmation.objects.filter(subject=subject).values_list(
            "key", "met", "note"
        )
    }


def screening_log(subjects: Iterable[Subject]) -> list[tuple[Subject, EligibilityDecision | None]]:
    """Each screened subject (one page of the log, in its order) with the decision that ended
    screening (None while screening), in one query."""
    subjects = list(subjects)
    decisions = {
        d.subject_id: d
        for d in EligibilityDecision.objects.filter(subject__in=subjects).order_by("decided_at")
    }
    return [(s, decisions.get(s.pk)) for s in subjects]


def infection_screen_at_screening(subject: Subject) -> InfectionScreen | None:
    """The subject's screening infection screen (HBsAg, HBcAb, ...), the latest if repeated."""
    return (
        InfectionScreen.objects.filter(subject=subject)
        .order_by("-tested_on", "-created_at")
        .first()
    )
