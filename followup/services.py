"""Writes to the follow-up schedule: created from Day 0, moved with it, visits declared done or
missed. Every write goes through the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from edc.audit import audited_create, audited_update
from edc.domain.protocol import Visit
from edc.domain.text_rules import REASON_LIMIT
from edc.domain.visits import VisitWindow, visit_window
from edc.models import Subject
from edc.selectors import protocol_definition
from followup.domain.schedule import deviation_days
from followup.models import VisitInstance


def follow_up_visits(subject: Subject) -> list[Visit]:
    """The protocol's visits after Day 0: the schedule that follows the infusion (the visits up
    to Day 0 are the infusion's own and are recorded on their forms)."""
    return [
        v for v in protocol_definition(subject.study).visits if v.anchor == "day0" and v.day > 0
    ]


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
    """Create the subject's follow-up visits that do not exist yet; the created ones are returned.

    The subject row is locked so that two saves of the infusion form create the schedule once;
    the unique constraint (subject, visit) is what guarantees it.
    """
    subject = Subject.objects.select_for_update().get(pk=subject.pk)
    if subject.day0_date is None:
        return []
    existing = set(
        VisitInstance.objects.filter(subject=subject).values_list("visit_code", flat=True)
    )
    return [
        audited_create(
            VisitInstance(
                subject=subject, visit_code=v.code, **_planned(_window(v, subject.day0_date))
            ),
            actor=actor,
        )
        for v in follow_up_visits(subject)
        if v.code not in existing
    ]


def _day0_reason(infusion: Any, day0: dt.date) -> str:
    """The audit reason of a move: the new Day 0 and why the infusion was corrected (cut to the
    length of a reason; the infusion's own history keeps it whole)."""
    why = infusion.history.latest().history_change_reason or ""
    return f"Day 0 is now {day0}: {why}"[:REASON_LIMIT]


@transaction.atomic
def schedule_follow_day0(infusion: Any, *, actor: AbstractBaseUser) -> None:
    """An infusion-form listener: create the schedule on the first Day 0; on a correction, move
    the open visits to the new Day 0 (done, missed and not-applicable visits keep their dates)."""
    subject = Subject.objects.get(pk=infusion.subject_id)
    created = {v.pk for v in schedule_create(subject, actor=actor)}
    if subject.day0_date is None:
        return
    reason = _day0_reason(infusion, subject.day0_date)
    visits = {v.code: v for v in follow_up_visits(subject)}
    rows = VisitInstance.objects.filter(subject=subject, state=VisitInstance.State.OPEN)
    for row in rows.exclude(pk__in=created):
        planned = _planned(_window(visits[row.visit_code], subject.day0_date))
        if any(getattr(row, field) != value for field, value in planned.items()):
            audited_update(row, actor=actor, reason=reason, changes=planned, expected_version=None)


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
