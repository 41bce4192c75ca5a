"""Writes to the follow-up schedule: planned from the lymphodepletion, created and moved with Day
0, stopped by the end of study, visits declared done or missed, unscheduled visits added. Every
write goes through the audit trail."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from dosing.models import LymphodepletionCourse
from edc.audit import audited_create, audited_update
from edc.crfs import crf_spec
from edc.domain.protocol import Visit
from edc.domain.text_rules import REASON_LIMIT
from edc.domain.visits import VisitWindow, visit_window
from edc.models import Subject
from edc.selectors import protocol_definition
from edc.submissions import claim_submission
from followup.domain.end_of_study import Ending, ends_visit, schedule_stop_date
from followup.domain.schedule import deviation_days, planned_day0, stopped_by
from followup.models import EndOfStudy, UnscheduledVisit, VisitInstance


def _day0_visits(subject: Subject) -> list[Visit]:
    return [v for v in protocol_definition(subject.study).visits if v.anchor == "day0"]


def subject_planned_day0(subject: Subject) -> dt.date | None:
    """The infusion date the lymphodepletion plans (its first day is a fixed day before Day 0).

    The product records no other planned infusion date: enrolment only assigns a dose level, and
    the lymphodepletion form is the first record that commits to a date.
    """
    first_on = (
        LymphodepletionCourse.objects.filter(subject=subject)
        .values_list("first_day_on", flat=True)
        .first()
    )
    if first_on is None:
        return None
    regimen = protocol_definition(subject.study).lymphodepletion
    first_day = min(day for agent in regimen.agents for day in agent.days)
    return planned_day0(first_lymphodepletion_on=first_on, regimen_first_day=first_day)


def _anchored(subject: Subject) -> tuple[dt.date | None, list[Visit]]:
    """The date the schedule hangs on and the visits it plans from it: Day 0 and every
    Day-0-anchored visit once the infusion is recorded; before it, the planned Day 0 and the
    visits up to the infusion (lymphodepletion, Day 0)."""
    if subject.day0_date is not None:
        return subject.day0_date, _day0_visits(subject)
    planned = subject_planned_day0(subject)
    return planned, [v for v in _day0_visits(subject) if v.day <= 0] if planned else []


def _window(visit: Visit, day0: dt.date) -> VisitWindow:
    return visit_window(
        anchor=day0,
        day=visit.day,
        window_before_days=visit.window_before_days,
        window_after_days=visit.window_after_days,
    )


def _planned(window: VisitWindow) -> dict[str, dt.date]:
    return {
        "target_date": window.target,
        "window_start": window.earliest,
        "window_end": window.latest,
    }


@transaction.atomic
def schedule_create(subject: Subject, *, actor: AbstractBaseUser) -> list[VisitInstance]:
    """Create the subject's visits that do not exist yet; the created ones are returned.

    The subject row is locked so that two saves of the infusion form create the schedule once;
    the unique constraint (subject, visit) is what guarantees it.
    """
    subject = Subject.objects.select_for_update().get(pk=subject.pk)
    anchor, visits = _anchored(subject)
    existing = set(
        VisitInstance.objects.filter(subject=subject).values_list("visit_code", flat=True)
    )
    return [
        audited_create(
            VisitInstance(subject=subject, visit_code=v.code, **_planned(_window(v, anchor))),
            actor=actor,
        )
        for v in visits
        if v.code not in existing and anchor is not None
    ]


def _change_reason(row: Any, what: str) -> str:
    """The audit reason of a move: the new anchor and why its form was corrected (cut to the
    length of a reason; the form's own history keeps it whole)."""
    why = row.history.latest().history_change_reason or ""
    return f"{what}: {why}"[:REASON_LIMIT]


def _follow(subject: Subject, *, actor: AbstractBaseUser, reason: str) -> None:
    """Create what is missing, move the open visits to the current anchor (done, missed and
    not-applicable visits keep their dates), then apply the end of study, if any."""
    created = {v.pk for v in schedule_create(subject, actor=actor)}
    subject.refresh_from_db()
    anchor, visits = _anchored(subject)
    if anchor is None:
        return
    by_code = {v.code: v for v in visits}
    rows = VisitInstance.objects.filter(
        subject=subject, state=VisitInstance.State.OPEN, visit_code__in=by_code
    )
    for row in rows.exclude(pk__in=created):
        planned = _planned(_window(by_code[row.visit_code], anchor))
        if any(getattr(row, field) != value for field, value in planned.items()):
            audited_update(row, actor=actor, reason=reason, changes=planned, expected_version=None)
    _record_form_visits(subject, anchor=anchor, by_code=by_code, actor=actor)
    schedule_apply_stop(subject, actor=actor)


def _form_dates(subject: Subject) -> dict[str, dt.date]:
    """The dates on which the lymphodepletion and the infusion forms say they took place."""
    dates = {}
    first_on = (
        LymphodepletionCourse.objects.filter(subject=subject)
        .values_list("first_day_on", flat=True)
        .first()
    )
    if first_on is not None:
        dates["lymphodepletion"] = first_on
    if subject.day0_date is not None:
        dates["infusion"] = subject.day0_date
    return dates


def _record_form_visits(
    subject: Subject, *, anchor: dt.date, by_code: dict[str, Visit], actor: AbstractBaseUser
) -> None:
    """A visit that holds the lymphodepletion or the infusion form took place on the date that
    form records: it is done then, with its deviation from the window of the current anchor, and
    follows a correction of the form. Nobody has to declare it, and it is never reminded of."""
    dates = _form_dates(subject)
    for row in VisitInstance.objects.filter(subject=subject, visit_code__in=by_code):
        visit = by_code[row.visit_code]
        done_on = next((dates[code] for code in visit.crfs if code in dates), None)
        if done_on is None:
            continue
        window = _window(visit, anchor)
        changes = {
            **_planned(window),
            "state": VisitInstance.State.DONE,
            "done_on": done_on,
            "deviation_days": deviation_days(window=window, done_on=done_on) or None,
        }
        if any(getattr(row, field) != value for field, value in changes.items()):
            form = next(code for code in visit.crfs if code in dates)
            audited_update(
                row,
                actor=actor,
                reason=f"Visit done: the {form} form records {done_on}",
                changes=changes,
                expected_version=None,
            )


@transaction.atomic
def schedule_follow_day0(infusion: Any, *, actor: AbstractBaseUser) -> None:
    """An infusion-form listener: create the schedule on the first Day 0; on a correction, move
    the open visits to the new Day 0. The visits planned from the lymphodepletion before the
    infusion follow the actual Day 0 from now on, like the rest."""
    subject = Subject.objects.get(pk=infusion.subject_id)
    reason = _change_reason(infusion, f"Day 0 is now {subject.day0_date}")
    _follow(subject, actor=actor, reason=reason)


@transaction.atomic
def schedule_follow_plan(course: Any, *, actor: AbstractBaseUser) -> None:
    """A lymphodepletion-form listener: plan the visits up to the infusion from the Day 0 the
    course implies, and move them when its first day is corrected (no effect once the actual
    Day 0 is known: the schedule hangs on that)."""
    subject = Subject.objects.get(pk=course.subject_id)
    reason = _change_reason(course, f"Planned Day 0 is now {subject_planned_day0(subject)}")
    _follow(subject, actor=actor, reason=reason)


def _stops(subject: Subject) -> list[tuple[dt.date, str, Ending, str]]:
    """The dates the subject's participation ended, earliest first: (stop, how, ending, phase
    of the visit the end-of-study form was recorded at), from each end-of-study form."""
    phases = {v.code: v.phase for v in protocol_definition(subject.study).visits}
    stops = []
    for eos in EndOfStudy.objects.filter(subject=subject).order_by("end_date"):
        stop = schedule_stop_date(end_date=eos.end_date, death_date=eos.death_date)
        with translation.override("en"):  # stored and audited: one language, whoever saved it
            how = f"{eos.get_ending_display()} ({stop})"
        stops.append((stop, how, Ending(eos.ending), phases.get(eos.visit_code, "main")))
    return sorted(stops, key=lambda s: s[0])


def _stop_for(stops: list[tuple[dt.date, str, Ending, str]], phase: str) -> tuple[Any, str]:
    """The earliest end that ends a visit of this phase (None, "" when none does)."""
    for stop, how, ending, recorded_in in stops:
        if ends_visit(ending=ending, recorded_in_phase=recorded_in, visit_phase=phase):
            return stop, how
    return None, ""


def schedule_apply_stop(subject: Subject, *, actor: AbstractBaseUser) -> None:
    """Withdrawal, death and the end of study stop the schedule: every open visit after the stop
    becomes not applicable, with the ending as the reason (completing the main study leaves the
    long-term follow-up planned: `ends_visit`). A corrected end of study reopens the visits that
    its earlier date had closed and no longer does (they are planned again from the current
    anchor). Runs in the transaction of the form that changed the stop."""
    stops = _stops(subject)
    phases = {v.code: v.phase for v in protocol_definition(subject.study).visits}
    anchor, visits = _anchored(subject)
    by_code = {v.code: v for v in visits}
    for row in VisitInstance.objects.filter(subject=subject).exclude(
        state__in=(VisitInstance.State.DONE, VisitInstance.State.MISSED)
    ):
        stop, how = _stop_for(stops, phases.get(row.visit_code, "main"))
        stopped = stopped_by(target=row.target_date, stop=stop)
        if stopped == (row.state == VisitInstance.State.NOT_APPLICABLE):
            continue
        if stopped:
            reason = f"Not applicable: end of study, {how}"
            changes = {"state": VisitInstance.State.NOT_APPLICABLE, "not_applicable_reason": how}
        else:
            reason = f"Reopened: the end of study is now {how or 'removed'}"
            visit = by_code.get(row.visit_code)
            replanned = _planned(_window(visit, anchor)) if visit and anchor else {}
            changes = {"state": VisitInstance.State.OPEN, "not_applicable_reason": "", **replanned}
        audited_update(
            row,
            actor=actor,
            reason=reason[:REASON_LIMIT],
            changes=changes,
            expected_version=None,
        )


@transaction.atomic
def schedule_follow_end_of_study(eos: Any, *, actor: AbstractBaseUser) -> None:
    """An end-of-study listener (first entry and corrections): the schedule stops at its date."""
    schedule_apply_stop(Subject.objects.select_for_update().get(pk=eos.subject_id), actor=actor)


def _require_open(visit: VisitInstance) -> None:
    if visit.state != VisitInstance.State.OPEN:
        raise ValidationError(
            _("This visit is already recorded as %(state)s.") % {"state": visit.get_state_display()}
        )


def visit_mark_done(
    visit: VisitInstance,
    *,
    done_on: dt.date,
    actor: AbstractBaseUser,
    expected_version: int | None,
) -> VisitInstance:
    """Record the date the visit took place. A date outside the window is accepted and kept as a
    protocol deviation of that many days."""
    _require_open(visit)
    return audited_update(
        visit,
        actor=actor,
        reason="Visit done",
        changes={
            "state": VisitInstance.State.DONE,
            "done_on": done_on,
            "deviation_days": deviation_days(window=visit.window, done_on=done_on) or None,
        },
        expected_version=expected_version,
    )


def visit_mark_missed(
    visit: VisitInstance,
    *,
    reason: str,
    actor: AbstractBaseUser,
    expected_version: int | None,
) -> VisitInstance:
    """Declare that the visit will not take place; the site says why."""
    _require_open(visit)
    if not reason.strip():
        raise ValidationError({"missed_reason": _("Say why the visit was missed.")})
    return audited_update(
        visit,
        actor=actor,
        reason=reason.strip(),
        changes={"state": VisitInstance.State.MISSED, "missed_reason": reason.strip()},
        expected_version=expected_version,
    )


def unscheduled_crf_choices(subject: Subject) -> list[str]:
    """The forms an unscheduled visit may hold: those the protocol schedules at more than one
    visit (vital signs, labs, adverse events, CRS assessment, ...), that the product implements.
    One-off forms (eligibility, lymphodepletion, infusion, end of study) belong to their visit;
    repetition is counted within a phase, so the end-of-study form that closes both the main
    study and the long-term follow-up is still one-off."""
    definition = protocol_definition(subject.study)
    counts = Counter(
        (v.phase, code) for v in definition.visits for code in definition.scheduled_crfs(v)
    )
    repeated = {code for (_phase, code), n in counts.items() if n > 1}
    return [c.code for c in definition.crfs if c.code in repeated and crf_spec(c.code) is not None]


@transaction.atomic
def unscheduled_visit_add(
    subject: Subject,
    *,
    visit_date: dt.date,
    reason: str,
    crf_codes: list[str],
    actor: AbstractBaseUser,
    submission_token: uuid.UUID | None = None,
) -> UnscheduledVisit:
    """Add an unscheduled visit with the next number of the subject. The subject row is locked
    while the number is taken; the unique constraint (subject, number) guarantees it."""
    claim_submission(submission_token, actor=actor)
    subject = Subject.objects.select_for_update().get(pk=subject.pk)
    allowed = set(unscheduled_crf_choices(subject))
    if unknown := [c for c in crf_codes if c not in allowed]:
        raise ValidationError(
            {"crf_codes": _("Not a form for an unscheduled visit: %s") % ", ".join(unknown)}
        )
    last = UnscheduledVisit.objects.filter(subject=subject).aggregate(n=Max("number"))["n"]
    return audited_create(
        UnscheduledVisit(
            subject=subject,
            number=(last or 0) + 1,
            visit_date=visit_date,
            reason=reason.strip(),
            crf_codes=list(dict.fromkeys(crf_codes)),
        ),
        actor=actor,
        reason=f"Unscheduled visit: {reason.strip()}"[:REASON_LIMIT],
    )
