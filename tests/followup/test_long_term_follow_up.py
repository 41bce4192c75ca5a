"""Long-term follow-up: yearly visits to 15 years after the infusion, planned with the rest of the
schedule from Day 0, kept open when the main study is completed (a separate consent phase) and
closed by a death, a withdrawal or the end-of-study form of the long-term phase."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine

from edc.crfs import crf_spec
from edc.domain.protocol import load_protocol_file
from edc.services.crfs import crf_create
from followup.domain.schedule import VisitStatus
from followup.models import VisitInstance
from followup.selectors import subject_schedule
from tests.adverse_events.journeys import DAY0

PROTOCOLS = sorted(Path(__file__).resolve().parents[2].joinpath("protocols").glob("*.yaml"))
LTFU_CODES = [f"LTFU_Y{year}" for year in range(3, 16)]
NA = VisitInstance.State.NOT_APPLICABLE
OPEN = VisitInstance.State.OPEN


@pytest.mark.parametrize("path", PROTOCOLS, ids=lambda p: p.stem)
def test_each_protocol_plans_yearly_ltfu_visits_from_year_3_to_year_15(path):
    definition, _ = load_protocol_file(path)
    ltfu = [v for v in definition.visits if v.phase == "ltfu"]
    assert [(v.code, v.day) for v in ltfu] == [
        (code, 365 * year) for code, year in zip(LTFU_CODES, range(3, 16), strict=True)
    ]


@pytest.mark.parametrize("path", PROTOCOLS, ids=lambda p: p.stem)
def test_every_ltfu_visit_follows_the_last_main_visit(path):
    definition, _ = load_protocol_file(path)
    last_main = max(v.day for v in definition.visits if v.phase == "main")
    assert min(v.day for v in definition.visits if v.phase == "ltfu") > last_main


@pytest.mark.parametrize("path", PROTOCOLS, ids=lambda p: p.stem)
def test_every_ltfu_visit_asks_for_new_malignancies_and_adverse_events(path):
    definition, _ = load_protocol_file(path)
    for visit in (v for v in definition.visits if v.phase == "ltfu"):
        assert {"new_malignancy", "adverse_event", "car_t_kinetics"} <= set(visit.crfs)


@pytest.mark.parametrize("path", PROTOCOLS, ids=lambda p: p.stem)
def test_the_ltfu_is_marked_as_an_assumption_with_its_source(path):
    definition, _ = load_protocol_file(path)
    assert any("Long Term Follow-Up After" in a and "15 years" in a for a in definition.assumptions)


def _end(subject, actor, *, visit_code: str, ending: str, end_date: dt.date):
    reason = "Moved away" if ending == "withdrawn" else ""
    # Entered on the day after it happened (an end of study cannot be in the future).
    day_after = dt.datetime.combine(end_date + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC)
    with time_machine.travel(day_after, tick=False):
        return _enter_end(
            subject, actor, visit_code=visit_code, ending=ending, end_date=end_date, reason=reason
        )


def _enter_end(subject, actor, *, visit_code, ending, end_date, reason):
    return crf_create(
        spec=crf_spec("end_of_study"),
        subject=subject,
        visit_code=visit_code,
        data={
            "ending": ending,
            "end_date": end_date,
            "withdrawal_reason": reason,
            "death_date": None,
            "death_cause": "",
        },
        actor=actor,
    )


def _states(subject) -> dict[str, str]:
    return dict(VisitInstance.objects.filter(subject=subject).values_list("visit_code", "state"))


@pytest.mark.django_db
def test_the_schedule_of_an_infused_subject_reaches_year_15(subject):
    y15 = VisitInstance.objects.get(subject=subject, visit_code="LTFU_Y15")
    target = DAY0 + dt.timedelta(days=5475)
    assert (y15.target_date, y15.window_start, y15.window_end) == (
        target,
        target - dt.timedelta(days=60),
        target + dt.timedelta(days=60),
    )


@pytest.mark.django_db
def test_the_year_15_visit_is_due_in_its_window_fifteen_years_on(subject):
    y15 = VisitInstance.objects.get(subject=subject, visit_code="LTFU_Y15")
    noon = dt.datetime.combine(y15.window_start, dt.time(12), tzinfo=dt.UTC)
    with time_machine.travel(noon, tick=False):
        status = next(
            s.status
            for s in subject_schedule(subject, lang="en")
            if s.visit.visit_code == "LTFU_Y15"
        )
    assert status is VisitStatus.DUE


@pytest.mark.django_db
def test_completing_the_main_study_leaves_the_ltfu_visits_open(subject, actor):
    _end(subject, actor, visit_code="M24", ending="completed", end_date=DAY0 + dt.timedelta(730))
    states = _states(subject)
    assert {states[code] for code in LTFU_CODES} == {OPEN}


@pytest.mark.django_db
def test_a_withdrawal_from_the_main_study_ends_the_ltfu_visits_too(subject, actor):
    _end(subject, actor, visit_code="M24", ending="withdrawn", end_date=DAY0 + dt.timedelta(400))
    states = _states(subject)
    assert {states[code] for code in LTFU_CODES} == {NA}


@pytest.mark.django_db
def test_the_ltfu_end_of_study_form_closes_the_ltfu_visits_after_it(subject, actor):
    _end(subject, actor, visit_code="M24", ending="completed", end_date=DAY0 + dt.timedelta(730))
    year_6 = DAY0 + dt.timedelta(days=365 * 6 + 30)
    _end(subject, actor, visit_code="LTFU_Y15", ending="withdrawn", end_date=year_6)
    states = _states(subject)
    assert [states[f"LTFU_Y{y}"] for y in range(3, 8)] == [OPEN, OPEN, OPEN, OPEN, NA]
