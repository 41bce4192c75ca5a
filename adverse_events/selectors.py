"""Reads of the safety app: a subject's safety timeline and the study's SAE list."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from adverse_events.domain.icaht import grade_icaht_early
from adverse_events.models import AdverseEvent, ToxicityEpisode
from edc.domain.validation import ArgumentError
from edc.models import Subject
from screening.models import LabResult

EARLY_ICAHT_DAYS = 30


@dataclass(frozen=True)
class IcahtSummary:
    grade: int | None
    note: str


def early_icaht(subject: Subject) -> IcahtSummary:
    """Early ICAHT from the ANC results of days 0-30, or why it cannot be graded yet."""
    if subject.day0_date is None:
        return IcahtSummary(None, "no infusion yet")
    anc_by_day: dict[int, Decimal] = {}
    for lab in LabResult.objects.filter(subject=subject, analyte="neutrophils"):
        day = (lab.collected_on - subject.day0_date).days
        if 0 <= day <= EARLY_ICAHT_DAYS:
            anc_by_day[day] = lab.value_si * 1000  # 10^9/L -> cells/uL
    if not anc_by_day:
        return IcahtSummary(None, "no ANC after Day 0")
    try:
        result = grade_icaht_early(anc_by_day=anc_by_day)
    except ArgumentError as exc:
        return IcahtSummary(None, str(exc))
    return IcahtSummary(result.grade, "; ".join(result.reasons))


def episode_list(subject: Subject):
    return (
        ToxicityEpisode.objects.filter(subject=subject)
        .prefetch_related("assessments", "treatments")
        .order_by("onset_at")
    )


def adverse_event_list(subject: Subject):
    return AdverseEvent.objects.filter(subject=subject).order_by("onset_date", "created_at")
