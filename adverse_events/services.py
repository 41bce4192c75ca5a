"""Safety writes: the AE log's derived fields, the SAE clock and its one notification, CRS and
ICANS assessments graded as they are entered, and DLT candidates passed to dosing."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from adverse_events.domain.crs import grade_crs
from adverse_events.domain.dlt import ToxicityEvent, dlt_candidates
from adverse_events.domain.icans import grade_icans
from adverse_events.domain.terms import ctcae_terms
from adverse_events.models import (
    AdverseEvent,
    EpisodeAssessment,
    EpisodeTreatment,
    SaeReport,
    ToxicityEpisode,
)
from adverse_events.sae import sae_notification_queue
from dosing.services import dlt_candidate_record
from edc.audit import audited_create, audited_update
from edc.domain.validation import ArgumentError
from edc.models import Subject
from edc.selectors import protocol_definition, subject_local_date
from edc.submissions import claim_submission


def adverse_event_derive(ae: AdverseEvent) -> None:
    """SOC, study day and seriousness from the entry; a term that is always of special interest
    (parkinsonism, Guillain-Barre syndrome, ...) flags the event as that AESI whatever was typed,
    so no such event escapes the AESI listings."""
    term = ctcae_terms()[ae.ctcae_term]
    ae.soc = term.soc
    ae.aesi = term.aesi or ae.aesi
    day0 = ae.subject.day0_date
    ae.study_day = (ae.onset_date - day0).days if day0 else None
    ae.is_serious = any(getattr(ae, f) for f in AdverseEvent.SERIOUS_FIELDS)


def study_days_follow_day0(infusion: Any, *, actor: AbstractBaseUser) -> None:
    """An infusion-form listener: when Day 0 moves, the study days of the subject's adverse
    events move with it (their history records why)."""
    subject = Subject.objects.get(pk=infusion.subject_id)
    for ae in AdverseEvent.objects.filter(subject=subject):
        study_day = (ae.onset_date - subject.day0_date).days
        if ae.study_day != study_day:
            audited_update(
                ae,
                actor=actor,
                reason=f"Day 0 is now {subject.day0_date}",
                changes={"study_day": study_day},
                expected_version=None,
            )
    dlt_candidates_refresh(subject, actor=actor)


def adverse_event_saved(ae: AdverseEvent, *, actor: AbstractBaseUser) -> None:
    """After any save: queue the SAE notification (in this transaction, once per event), and
    re-assess DLT candidates."""
    if ae.is_serious:
        sae_notification_queue(ae)
    dlt_candidates_refresh(ae.subject, actor=actor)


@transaction.atomic
def sae_report_submit(
    ae: AdverseEvent,
    *,
    narrative: str,
    actor: AbstractBaseUser,
    now: dt.datetime,
    submission_token: uuid.UUID | None = None,
) -> SaeReport:
    """Record a report sent to the sponsor: number 1 stops the clock, later ones are follow-ups.
    The same page submitted twice records one report (DuplicateSubmission)."""
    claim_submission(submission_token, actor=actor)
    ae = AdverseEvent.objects.select_for_update().get(pk=ae.pk)
    if not ae.is_serious:
        raise ValidationError(_("Only a serious adverse event is reported as an SAE."))
    if not narrative.strip():
        raise ValidationError({"narrative": _("Write the narrative of the report.")})
    number = SaeReport.objects.filter(adverse_event=ae).count() + 1
    return audited_create(
        SaeReport(adverse_event=ae, number=number, submitted_at=now, narrative=narrative),
        actor=actor,
        reason="Initial SAE report" if number == 1 else f"SAE follow-up report {number}",
    )


def _hours(start: dt.datetime, end: dt.datetime) -> Decimal:
    return Decimal(int((end - start).total_seconds())) / Decimal(3600)


def _episode_event(episode: ToxicityEpisode) -> ToxicityEvent | None:
    """The episode as the DLT rules see it: its maximum grade, and how long it stayed at grade
    3 or more: until a later assessment graded lower, or resolution; for an open episode, up to
    its latest assessment (what is documented, not the wall clock)."""
    assessments = list(episode.assessments.all())
    if not assessments or episode.max_grade == 0:
        return None
    day0 = episode.subject.day0_date
    onset_day = (subject_local_date(episode.subject, episode.onset_at) - day0).days if day0 else -1
    severe = [a for a in assessments if a.grade >= 3]
    duration = hours_so_far = None
    if severe:
        start = severe[0].assessed_at
        after = [a for a in assessments if a.assessed_at > start and a.grade < 3]
        end = after[0].assessed_at if after else episode.resolved_at
        if end is not None:
            duration = _hours(start, end)
        else:
            hours_so_far = _hours(start, assessments[-1].assessed_at)
    return ToxicityEvent(
        ref=f"episode:{episode.pk}",
        category=episode.kind,
        grade=episode.max_grade,
        onset_day=onset_day,
        duration_hours=duration if severe else Decimal(0),
        hours_so_far=hours_so_far,
        term=episode.get_kind_display(),
    )


def _ae_event(ae: AdverseEvent) -> ToxicityEvent | None:
    if ae.study_day is None or ae.study_day < 0 or hasattr(ae, "episode"):
        return None  # before the infusion (no DLT window), or graded through its episode
    duration = None
    if ae.resolution_date:
        duration = Decimal((ae.resolution_date - ae.onset_date).days * 24)
    return ToxicityEvent(
        ref=f"ae:{ae.pk}",
        category=ctcae_terms()[ae.ctcae_term].category,
        grade=ae.grade,
        onset_day=ae.study_day,
        duration_hours=duration,
        term=ae.verbatim_term,
    )


def dlt_candidates_refresh(subject: Subject, *, actor: AbstractBaseUser) -> int:
    """Apply the protocol's DLT rules to the subject's events; pass each new candidate to the
    dosing service (which keeps one per event and rule). Returns how many rules matched."""
    if subject.day0_date is None:
        return 0
    escalation = protocol_definition(subject.study).escalation
    episodes = ToxicityEpisode.objects.filter(subject=subject).prefetch_related("assessments")
    events = [e for ep in episodes if (e := _episode_event(ep))]
    events += [e for ae in AdverseEvent.objects.filter(subject=subject) if (e := _ae_event(ae))]
    found = dlt_candidates(
        rules=escalation.dlt_rules, window_days=escalation.dlt_window_days, events=events
    )
    for candidate in (c for c in found if not c.pending):
        onset = subject.day0_date + dt.timedelta(days=candidate.onset_day)
        dlt_candidate_record(
            subject=subject,
            source="adverse_events",
            source_ref=candidate.event_ref,
            rule_id=candidate.rule_id,
            description=candidate.reason,
            grade=candidate.grade,
            onset_on=onset,
            actor=actor,
        )
    return len(found)


CRS_INPUTS = (
    "temperature_c", "fever_before_therapy", "hypotension", "vasopressors", "vasopressin",
    "oxygen_device", "oxygen_flow_l_min",
)  # fmt: skip
ICE_ITEMS = ("orientation", "naming", "commands", "writing", "attention")
ICANS_INPUTS = ("consciousness", "seizure", "motor", "cerebral_edema")


def _grade(episode: ToxicityEpisode, inputs: dict[str, Any]) -> Any:
    try:
        if episode.kind == ToxicityEpisode.Kind.CRS:
            return grade_crs(**{k: inputs[k] for k in CRS_INPUTS if inputs.get(k) is not None})
        items = {i: inputs[f"ice_{i}"] for i in ICE_ITEMS if inputs.get(f"ice_{i}") is not None}
        return grade_icans(
            ice_items=items or None, **{k: inputs[k] for k in ICANS_INPUTS if inputs.get(k)}
        )
    except ArgumentError as exc:
        field = exc.argument if exc.argument in inputs else None
        raise ValidationError({field: str(exc)} if field else str(exc)) from exc


@transaction.atomic
def episode_open(
    *, subject: Subject, kind: str, onset_at: dt.datetime, actor: AbstractBaseUser
) -> ToxicityEpisode:
    if subject.day0_date is None:
        raise ValidationError(_("CRS and ICANS episodes follow the infusion: record it first."))
    return audited_create(
        ToxicityEpisode(subject=subject, kind=kind, onset_at=onset_at), actor=actor
    )


@transaction.atomic
def episode_assessment_record(
    episode: ToxicityEpisode, *, inputs: dict[str, Any], actor: AbstractBaseUser
) -> EpisodeAssessment:
    """Grade a bedside assessment by ASTCT 2019 as it is entered; update the episode's maximum
    and the subject's DLT candidates."""
    episode = ToxicityEpisode.objects.select_for_update().get(pk=episode.pk)
    result = _grade(episode, inputs)
    assessment = audited_create(
        EpisodeAssessment(
            episode=episode,
            **inputs,
            computed_grade=result.grade,
            grade_driver=result.driver,
            scale=result.scale,
            ice_score=getattr(result, "ice_score", None),
        ),
        actor=actor,
    )
    _episode_refresh(episode, actor=actor, reason=f"Assessment at {assessment.assessed_at}")
    return assessment


@transaction.atomic
def episode_grade_override(
    assessment: EpisodeAssessment, *, grade: int, reason: str, actor: AbstractBaseUser
) -> EpisodeAssessment:
    """The investigator's grade where it differs from the computed one; both are kept."""
    assessment = audited_update(
        assessment,
        actor=actor,
        reason=reason,
        changes={"override_grade": grade, "override_reason": reason},
        expected_version=None,
    )
    # The investigator's reason is on the assessment; the episode's reason points at it.
    _episode_refresh(
        assessment.episode,
        actor=actor,
        reason=f"Grade overridden at the assessment of {assessment.assessed_at}",
    )
    return assessment


def _episode_refresh(episode: ToxicityEpisode, *, actor: AbstractBaseUser, reason: str) -> None:
    max_grade = max((a.grade for a in episode.assessments.all()), default=0)
    if max_grade != episode.max_grade:
        audited_update(
            episode,
            actor=actor,
            reason=reason,
            changes={"max_grade": max_grade},
            expected_version=None,
        )
    dlt_candidates_refresh(episode.subject, actor=actor)


@transaction.atomic
def episode_treatment_record(
    episode: ToxicityEpisode, *, agent: str, detail: str, given_at: dt.datetime, actor
) -> EpisodeTreatment:
    return audited_create(
        EpisodeTreatment(episode=episode, agent=agent, detail=detail, given_at=given_at),
        actor=actor,
    )


@transaction.atomic
def episode_resolve(
    episode: ToxicityEpisode, *, resolved_at: dt.datetime, actor: AbstractBaseUser
) -> ToxicityEpisode:
    if resolved_at < episode.onset_at:
        raise ValidationError({"resolved_at": _("The episode resolves before its onset.")})
    episode = audited_update(
        episode,
        actor=actor,
        reason="Episode resolved",
        changes={"resolved_at": resolved_at},
        expected_version=None,
    )
    dlt_candidates_refresh(episode.subject, actor=actor)
    return episode
