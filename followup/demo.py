"""Demo follow-up data: the visits already past recorded as a site would, entered through the
services on the demo subject's timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from edc.models import Subject
from followup.models import VisitInstance
from followup.services import unscheduled_visit_add, visit_mark_done, visit_mark_missed

DAY = dt.timedelta(days=1)


def demo_step(subject: Subject, *, spec: Any, actor: AbstractBaseUser, today: dt.date) -> None:
    """Visits whose window has closed are done on their target day; the subject furthest in
    follow-up had Day 7 two days late (a deviation on the list), missed Day 10, and came once
    unscheduled with a fever."""
    subject.refresh_from_db()
    if subject.day0_date is None:
        return
    furthest = spec.target == "in_follow_up"
    past = VisitInstance.objects.filter(
        subject=subject, state=VisitInstance.State.OPEN, window_end__lt=today
    ).order_by("target_date")
    for visit in past:
        if furthest and visit.visit_code == "D10":
            visit_mark_missed(
                visit, reason="Patient unable to travel", actor=actor, expected_version=None
            )
            continue
        late = furthest and visit.visit_code == "D7"
        done_on = visit.window_end + 2 * DAY if late else visit.target_date
        visit_mark_done(visit, done_on=done_on, actor=actor, expected_version=None)
    if furthest:
        unscheduled_visit_add(
            subject,
            visit_date=subject.day0_date + 12 * DAY,
            reason="Fever 38.4 °C at home",
            crf_codes=["vital_signs", "lab_panel", "adverse_event"],
            actor=actor,
        )
