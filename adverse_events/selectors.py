"""Reads of the safety app: a subject's safety timeline and the study's SAE list."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from adverse_events.domain.icaht import grade_icaht_early
from adverse_events.domain.iec_hs import IEC_HS_ANALYTES, Feature, LabValue, iec_hs_features
from adverse_events.models import AdverseEvent, ToxicityEpisode
from edc.domain.validation import ArgumentError
from edc.episodes import Episode
from edc.models import Subject
from edc.selectors import subject_local_date
from screening.models import LabResult

EARLY_ICAHT_DAYS = 30
IEC_HS_FEATURE_LABELS = {
    Feature.HYPERFERRITINAEMIA: _("hyperferritinaemia"),
    Feature.HYPOFIBRINOGENAEMIA: _("hypofibrinogenaemia"),
    Feature.CYTOPENIA: _("cytopenia"),
    Feature.LIVER_DYSFUNCTION: _("liver dysfunction"),
    Feature.HYPERTRIGLYCERIDAEMIA: _("hypertriglyceridaemia"),
    Feature.RAISED_LDH: _("raised LDH"),
}


@dataclass(frozen=True)
class IecHsLabs:
    """The latest result after Day 0 of each IEC-HS analyte, and the features they show."""

    results: list[LabResult]
    features: list[str]


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


@dataclass(frozen=True)
class TimelineEntry:
    study_day: int
    kind: str  # "crs", "icans", "ae", "lab", "dlt"
    label: str
    grade: int | None
    detail: str


def safety_timeline(subject: Subject, *, dlt_candidates: list) -> list[TimelineEntry]:
    """Everything safety-relevant since Day 0, by study day: episodes (maximum grade, duration),
    adverse events, lab toxicities of grade 3 or more, and DLT candidates."""
    day0 = subject.day0_date
    if day0 is None:
        return []
    entries = []
    for ep in episode_list(subject):
        onset = subject_local_date(subject, ep.onset_at)
        duration = (
            _("%(h)s hours") % {"h": int((ep.resolved_at - ep.onset_at).total_seconds() // 3600)}
            if ep.resolved_at
            else _("ongoing")
        )
        entries.append(
            TimelineEntry((onset - day0).days, ep.kind, ep.get_kind_display(), ep.max_grade,
                          duration)
        )  # fmt: skip
    for ae in adverse_event_list(subject).exclude(study_day=None):
        detail = _("serious") if ae.is_serious else ""
        entries.append(TimelineEntry(ae.study_day, "ae", ae.verbatim_term, ae.grade, detail))
    for tox in subject.lab_toxicities.filter(grade__gte=3):
        entries.append(
            TimelineEntry(tox.study_day, "lab", tox.term, tox.grade, tox.get_status_display())
        )
    for c in dlt_candidates:
        entries.append(TimelineEntry((c.onset_on - day0).days, "dlt", c.rule_id, c.grade, ""))
    return sorted(entries, key=lambda e: (e.study_day, e.kind))


def _study_day(subject: Subject, instant) -> int:
    return (subject_local_date(subject, instant) - subject.day0_date).days


def episodes_of(subjects: list[Subject], *, lang: str) -> list[Episode]:
    """The CRS and ICANS episodes of infused subjects by study day at their site, in one query:
    the core's episode registry (edc/episodes.py), read by the follow-up plots."""
    by_pk = {subject.pk: subject for subject in subjects}
    rows = ToxicityEpisode.objects.filter(subject_id__in=by_pk).order_by("onset_at", "pk")
    with translation.override(lang):
        return [
            Episode(
                subject_id=row.subject_id,
                kind=row.kind,
                name=str(row.get_kind_display()),
                onset_day=_study_day(by_pk[row.subject_id], row.onset_at),
                resolved_day=(
                    _study_day(by_pk[row.subject_id], row.resolved_at) if row.resolved_at else None
                ),
                max_grade=row.max_grade,
            )
            for row in rows
        ]


def iec_hs_labs(subject: Subject) -> IecHsLabs:
    """The IEC-HS laboratory picture since Day 0 (one query): supporting data for the
    investigator, who diagnoses and grades IEC-HS as an adverse event (clinical-rules.md §4)."""
    if subject.day0_date is None:
        return IecHsLabs(results=[], features=[])
    rows = LabResult.objects.filter(
        subject=subject, analyte__in=IEC_HS_ANALYTES, collected_on__gte=subject.day0_date
    ).order_by("analyte", "-collected_on", "-created_at")
    latest: dict[str, LabResult] = {}
    for row in rows:
        latest.setdefault(row.analyte, row)
    values = {a: LabValue(r.value_si, r.lln_si, r.uln_si) for a, r in latest.items()}
    return IecHsLabs(
        results=[latest[a] for a in IEC_HS_ANALYTES if a in latest],
        features=[str(IEC_HS_FEATURE_LABELS[f]) for f in iec_hs_features(values)],
    )
