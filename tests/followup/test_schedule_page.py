"""The subject's visit schedule page: each follow-up visit with its window and today's status,
in the reader's language, reached from the casebook once the lymphodepletion plans the visits."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from followup.models import VisitInstance
from followup.services import visit_mark_done, visit_mark_missed
from tests.adverse_events.journeys import DAY0, infused_subject
from tests.dosing.journeys import enrol, lymphodeplete
from tests.edc.factories import MembershipFactory
from tests.screening.journeys import TODAY

pytestmark = pytest.mark.django_db


def _investigator(client, subject) -> None:
    member = MembershipFactory(study=subject.study, study_site=subject.study_site)
    client.force_login(member.user)


def _url(subject, name: str = "followup:schedule") -> str:
    return reverse(name, args=[subject.study.registry_id, subject.pk])


def _rows(response) -> dict[str, str]:
    return {s.visit.visit_code: s.status for s in response.context["visits"]}


def test_the_page_shows_each_visit_with_its_status_today(client, actor):
    subject = infused_subject(actor)
    first, second = VisitInstance.objects.filter(subject=subject, state="open").order_by(
        "target_date"
    )[:2]
    visit_mark_done(first, done_on=first.target_date, actor=actor, expected_version=None)
    _investigator(client, subject)
    noon_in_window = dt.datetime.combine(second.window_start, dt.time(4), tzinfo=dt.UTC)
    with time_machine.travel(noon_in_window, tick=False):
        response = client.get(_url(subject))
    assert response.status_code == 200
    rows = _rows(response)
    assert rows[first.visit_code] == "done"
    assert rows[second.visit_code] == "due"
    assert len(rows) == VisitInstance.objects.filter(subject=subject).count()


def test_the_page_speaks_chinese(client, actor):
    subject = infused_subject(actor)
    _investigator(client, subject)
    client.post(reverse("edc:language-set"), {"language": "zh-hans", "next": "/"})
    response = client.get(_url(subject))
    assert "访视计划" in response.content.decode()


def test_the_casebook_links_to_the_schedule_once_day0_is_known(client, actor):
    subject = infused_subject(actor)
    _investigator(client, subject)
    response = client.get(_url(subject, "edc:subject-detail"))
    assert _url(subject) in response.content.decode()


def test_the_casebook_links_to_the_schedule_once_the_lymphodepletion_plans_it(client, actor):
    subject = enrol(actor, today=TODAY)
    lymphodeplete(subject, actor, day0=DAY0)
    _investigator(client, subject)
    response = client.get(_url(subject, "edc:subject-detail"))
    assert _url(subject) in response.content.decode()


def test_the_casebook_has_no_schedule_link_before_the_lymphodepletion(client, actor):
    subject = enrol(actor, today=TODAY)
    _investigator(client, subject)
    response = client.get(_url(subject, "edc:subject-detail"))
    assert _url(subject) not in response.content.decode()


def test_the_casebook_expects_no_form_of_a_missed_visit(client, actor):
    subject = infused_subject(actor)
    missed = VisitInstance.objects.filter(subject=subject, state="open").earliest("target_date")
    visit_mark_missed(missed, reason="Patient in hospital", actor=actor, expected_version=None)
    _investigator(client, subject)
    with time_machine.travel(dt.datetime.combine(missed.window_end, dt.time(4), tzinfo=dt.UTC)):
        response = client.get(_url(subject, "edc:subject-detail"))
    row = next(r for r in response.context["grid"] if r.visit_code == missed.visit_code)
    assert row.closed == "Missed"
    assert {c.state for c in row.cells if c.status == "not_started"} <= {"not_expected", "own_page"}
    assert row.counts["missing"] == row.counts["due"] == 0
