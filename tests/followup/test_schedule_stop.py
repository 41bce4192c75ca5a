"""Withdrawal, death and the end of study stop the schedule: the open visits after the stop
become not applicable in the end-of-study form's own transaction, with the ending as the reason
in the trail; a corrected end date reopens the visits it no longer covers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from edc.crfs import crf_spec
from edc.services.crfs import crf_create, crf_update
from followup.models import EndOfStudy, VisitInstance
from followup.services import visit_mark_done
from tests.adverse_events.journeys import DAY0

pytestmark = pytest.mark.django_db

STOP = DAY0 + dt.timedelta(days=20)  # between D14 and D21
NA = VisitInstance.State.NOT_APPLICABLE


def _end(subject, actor, **data) -> EndOfStudy:
    fields = {"ending": "withdrawn", "end_date": STOP, "withdrawal_reason": "Moved away"}
    return crf_create(
        spec=crf_spec("end_of_study"),
        subject=subject,
        visit_code="M24",
        data={"death_date": None, "death_cause": "", **fields, **data},
        actor=actor,
    )


def _states(subject) -> dict[str, str]:
    return dict(VisitInstance.objects.filter(subject=subject).values_list("visit_code", "state"))


def test_a_withdrawal_makes_every_open_visit_after_it_not_applicable(subject, actor):
    _end(subject, actor)
    rows = VisitInstance.objects.filter(subject=subject)
    assert {r.state for r in rows if r.target_date > STOP} == {NA}
    assert NA not in {r.state for r in rows if r.target_date <= STOP}


def test_the_reason_of_the_stop_is_in_the_audit_trail(subject, actor):
    _end(subject, actor)
    d21 = VisitInstance.objects.get(subject=subject, visit_code="D21")
    assert d21.history.latest().history_change_reason == (
        f"Not applicable: end of study, Withdrawn ({STOP})"
    )
    assert d21.not_applicable_reason == f"Withdrawn ({STOP})"


def test_the_reason_is_stored_in_english_whatever_the_language_of_the_page(subject, actor):
    with translation.override("zh-hans"):
        _end(subject, actor)
    d21 = VisitInstance.objects.get(subject=subject, visit_code="D21")
    assert d21.not_applicable_reason == f"Withdrawn ({STOP})"


def test_a_death_stops_the_schedule_at_the_date_of_death(subject, actor):
    died = DAY0 + dt.timedelta(days=9)
    _end(
        subject,
        actor,
        ending="death",
        end_date=STOP,
        withdrawal_reason="",
        death_date=died,
        death_cause="Sepsis",
    )
    assert _states(subject)["D10"] == NA
    assert _states(subject)["D7"] == VisitInstance.State.OPEN


def test_a_visit_done_after_the_stop_stays_done(subject, actor):
    d28 = VisitInstance.objects.get(subject=subject, visit_code="D28")
    visit_mark_done(d28, done_on=d28.target_date, actor=actor, expected_version=None)
    _end(subject, actor)
    assert _states(subject)["D28"] == VisitInstance.State.DONE


def test_a_later_corrected_end_date_reopens_the_visits_it_no_longer_covers(subject, actor):
    eos = _end(subject, actor)
    crf_update(
        eos,
        spec=crf_spec("end_of_study"),
        data={"end_date": DAY0 + dt.timedelta(days=40)},
        reason="End date transcribed wrongly",
        expected_version=eos.row_version,
        actor=actor,
    )
    states = _states(subject)
    assert (states["D21"], states["D28"], states["M2"]) == ("open", "open", NA)
    d21 = VisitInstance.objects.get(subject=subject, visit_code="D21")
    assert d21.not_applicable_reason == ""
    assert d21.history.latest().history_change_reason.startswith("Reopened")


def test_a_refused_end_of_study_changes_no_visit(subject, actor):
    with pytest.raises(ValidationError):
        _end(subject, actor, withdrawal_reason="")
    assert NA not in set(_states(subject).values())
