"""One CT1192 subject walked through its whole follow-up schedule, day by day at the site, with
the reminder run each morning: every visit goes upcoming → due → overdue → done or missed, each
reminder is recorded and e-mailed exactly once, on the right day, and none after the visit is
recorded."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from edc.roles import Role
from followup.domain.schedule import VisitStatus
from followup.models import VisitInstance, VisitReminder
from followup.selectors import subject_schedule
from followup.services import visit_mark_done, visit_mark_missed
from tests.adverse_events.journeys import DAY0, infused_subject
from tests.edc.factories import MembershipFactory, UserFactory
from tests.followup.factories import DAY
from tests.followup.reminder_runs import at_site

pytestmark = pytest.mark.django_db


def _status(subject, code: str) -> VisitStatus:
    return next(
        s.status for s in subject_schedule(subject, lang="en") if s.visit.visit_code == code
    )


def _plan(visits: list[VisitInstance]) -> dict[str, tuple[str, dt.date]]:
    """What the site records for each visit and when: the second is missed and the third done
    late, both after their window closed; every other one is done on its target date."""
    plan = {v.visit_code: ("done", v.target_date) for v in visits}
    plan[visits[1].visit_code] = ("missed", visits[1].window_end + 2 * DAY)
    plan[visits[2].visit_code] = ("done", visits[2].window_end + DAY)
    return plan


def _record(visit: VisitInstance, what: str, day: dt.date, actor) -> None:
    if what == "done":
        visit_mark_done(visit, done_on=day, actor=actor, expected_version=None)
    else:
        visit_mark_missed(visit, reason="Patient in hospital elsewhere", actor=actor,
                          expected_version=None)  # fmt: skip


def _expected(visits, plan) -> dict[tuple[str, str], dt.date]:
    """Each reminder the walk must produce, with the site's day it is due."""
    expected = {}
    for v in visits:
        expected[(v.visit_code, "window_opens")] = v.window_start
        expected[(v.visit_code, "due_tomorrow")] = v.target_date - DAY
        if plan[v.visit_code][1] > v.window_end:
            expected[(v.visit_code, "overdue")] = v.window_end + DAY
    return expected


def test_a_subject_walked_through_its_schedule_gets_each_reminder_once(
    django_capture_on_commit_callbacks, mailoutbox
):
    actor = UserFactory()
    subject = infused_subject(actor)
    investigator = UserFactory(email="inv@changhai.cn")
    MembershipFactory(user=investigator, study=subject.study, study_site=subject.study_site,
                      role=Role.INVESTIGATOR)  # fmt: skip
    visits = list(
        VisitInstance.objects.filter(subject=subject, state="open").order_by("target_date")
    )
    plan = _plan(visits)
    watched = {visits[1].visit_code: [], visits[2].visit_code: []}
    day, last = DAY0, visits[-1].window_end + 3 * DAY
    while day <= last:
        with time_machine.travel(at_site(day), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                call_command("send_visit_reminders", stdout=io.StringIO())
            for code, statuses in watched.items():
                status = _status(subject, code)
                if not statuses or statuses[-1] is not status:
                    statuses.append(status)
            for visit in VisitInstance.objects.filter(subject=subject, state="open"):
                what, when = plan[visit.visit_code]
                if when == day:
                    _record(visit, what, day, investigator)
        day += DAY
    reminders = {
        (r.visit.visit_code, r.kind): r.site_date
        for r in VisitReminder.objects.select_related("visit")
    }
    assert reminders == _expected(visits, plan)
    assert VisitReminder.objects.count() == len(reminders) == len(mailoutbox)
    assert len({m.subject for m in mailoutbox}) == len(mailoutbox)
    up, due, late = VisitStatus.UPCOMING, VisitStatus.DUE, VisitStatus.OVERDUE
    assert watched == {
        visits[1].visit_code: [up, due, late, VisitStatus.MISSED],
        visits[2].visit_code: [up, due, late, VisitStatus.DONE],
    }
