"""The site calendar: a site's open visits across its subjects by week and by month, each with
today's status at the site, filtered by site, stratum, visit and status, scoped to the user."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from edc.roles import Role
from edc.selectors import study_access
from followup import views
from followup.domain.schedule import VisitState, VisitStatus, visit_status
from followup.models import VisitInstance
from followup.selectors import calendar_visits, with_status
from tests.edc.factories import (
    StratumFactory,
    StudyFactory,
    SubjectFactory,
    minimal_definition,
)
from tests.followup.factories import VisitInstanceFactory

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
# Wednesday 17 June 2026, 10:00 in Shanghai (the factories' site timezone).
NOW = dt.datetime(2026, 6, 17, 2, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 17)
THIS_MONDAY = dt.date(2026, 6, 15)


@pytest.fixture
def study(db):
    """A study whose protocol has two follow-up visits, with Chinese names."""
    definition = minimal_definition(registry_id="NCT09990001", study_code="CAL")
    definition["visits"][1]["name_zh"] = "第7天"
    definition["visits"].append(
        {"code": "D28", "name": "Day 28", "name_zh": "第28天", "anchor": "day0", "day": 28,
         "window_before_days": 3, "window_after_days": 3, "crfs": ["vital_signs"]}
    )  # fmt: skip
    return StudyFactory(registry_id="NCT09990001", study_code="CAL", protocol=definition)


@pytest.fixture
def visit(site_a, stratum):
    """`visit(target, ...)`: an open visit of a new subject at site A."""

    def make(target: dt.date, *, study_site=site_a, stratum=stratum, **fields):
        subject = SubjectFactory(study_site=study_site, stratum=stratum)
        return VisitInstanceFactory(subject=subject, target_date=target, **fields)

    return make


def _get(client, user, name="followup:calendar", args=(), when=NOW, **params):
    client.force_login(user)
    with time_machine.travel(when, tick=False):
        return client.get(
            reverse(name, args=[user.memberships.get().study.registry_id, *args]), params
        )


def _month(client, user, year=2026, month=6, when=NOW, **params):
    return _get(client, user, "followup:calendar-month", (year, month), when, **params)


def _listed(response) -> dict[str, VisitStatus]:
    return {
        str(s.visit.pk): s.status
        for week in response.context["weeks"]
        for day in week.days
        for s in day.visits
    }


def _in_month(response) -> dict[str, dt.date]:
    return {
        str(s.visit.pk): cell.day
        for week in response.context["grid"]
        for cell in week
        for s in cell.visits
    }


@pytest.fixture
def investigator(member, site_a):
    return member(Role.INVESTIGATOR, study_site=site_a)


# --- Statuses at the site's today -----------------------------------------------------------


def test_each_open_visit_shows_its_status_at_the_sites_today(client, investigator, visit):
    upcoming, due, overdue = visit(TODAY + 7 * DAY), visit(TODAY), visit(TODAY - 7 * DAY)
    listed = _listed(_get(client, investigator))
    assert listed == {
        str(upcoming.pk): VisitStatus.UPCOMING,
        str(due.pk): VisitStatus.DUE,
        str(overdue.pk): VisitStatus.OVERDUE,
    }


def test_a_visit_due_on_the_sites_monday_is_due_on_that_monday(client, investigator, visit):
    monday_only = visit(THIS_MONDAY, window_start=THIS_MONDAY, window_end=THIS_MONDAY)
    # Sunday 17:30 UTC is already Monday 01:30 in Shanghai.
    sunday_evening_utc = dt.datetime(2026, 6, 14, 17, 30, tzinfo=dt.UTC)
    response = _get(client, investigator, when=sunday_evening_utc)
    assert response.context["today"] == THIS_MONDAY
    (week,) = response.context["weeks"]
    (day,) = week.days
    assert day.day == THIS_MONDAY
    assert [(s.visit, s.status) for s in day.visits] == [(monday_only, VisitStatus.DUE)]


def test_declared_visits_are_not_on_the_calendar(client, investigator, visit):
    visit(TODAY, state=VisitState.DONE, done_on=TODAY)
    visit(TODAY, state=VisitState.MISSED, missed_reason="Subject in hospital elsewhere")
    visit(TODAY, state=VisitState.NOT_APPLICABLE, not_applicable_reason="Withdrawn")
    assert _listed(_get(client, investigator)) == {}


@pytest.mark.parametrize("offset", [-3, -2, -1, 0, 1, 2, 3])
@pytest.mark.parametrize("status", [VisitStatus.UPCOMING, VisitStatus.DUE, VisitStatus.OVERDUE])
def test_the_status_filter_agrees_with_the_schedule_rule(investigator, visit, offset, status):
    row = visit(TODAY + offset * DAY)
    access = study_access(investigator, row.subject.study)
    chosen = with_status(calendar_visits(access, row.subject.study_site), status, TODAY)
    rule = visit_status(state=VisitState.OPEN, window=row.window, today=TODAY)
    assert (row in chosen) == (rule is status)


# --- Which weeks ------------------------------------------------------------------------------


def test_the_list_shows_four_weeks_from_this_weeks_monday(client, investigator, visit):
    first, last = visit(THIS_MONDAY + DAY), visit(THIS_MONDAY + 27 * DAY)
    beyond = visit(THIS_MONDAY + 28 * DAY)
    listed = _listed(_get(client, investigator))
    assert str(first.pk) in listed
    assert str(last.pk) in listed
    assert str(beyond.pk) not in listed


def test_every_late_visit_stays_on_the_list_whatever_its_target(client, investigator, visit):
    long_overdue = visit(TODAY - 60 * DAY)
    response = _get(client, investigator)
    assert _listed(response) == {str(long_overdue.pk): VisitStatus.OVERDUE}
    assert response.context["weeks"][0].monday == dt.date(2026, 4, 13)


def test_a_later_start_shows_those_weeks_without_the_late_visits(client, investigator, visit):
    visit(TODAY - 7 * DAY)
    later = visit(THIS_MONDAY + 30 * DAY)
    response = _get(client, investigator, start=(THIS_MONDAY + 29 * DAY).isoformat())
    assert response.context["shown"].first == THIS_MONDAY + 28 * DAY
    assert _listed(response) == {str(later.pk): VisitStatus.UPCOMING}


def test_the_overdue_count_is_the_sites_late_visits(client, investigator, visit, site_b):
    visit(TODAY - 7 * DAY)
    visit(TODAY - 30 * DAY)
    visit(TODAY)
    visit(TODAY - 7 * DAY, study_site=site_b)
    response = _get(client, investigator)
    assert response.context["overdue"] == 2
    assert "2 overdue visits" in response.content.decode()


def test_the_list_is_paginated(client, investigator, visit, monkeypatch):
    monkeypatch.setattr(views, "CALENDAR_PER_PAGE", 2)
    for offset in range(3):
        visit(TODAY + offset * DAY)
    assert len(_listed(_get(client, investigator))) == 2
    assert len(_listed(_get(client, investigator, page=2))) == 1


# --- Filters ----------------------------------------------------------------------------------


def test_the_stratum_filter_keeps_that_strata_visits(client, investigator, visit, study):
    other = StratumFactory(study=study, code="ssc")
    visit(TODAY)
    sclerosis = visit(TODAY, stratum=other)
    listed = _listed(_get(client, investigator, stratum=str(other.pk)))
    assert listed == {str(sclerosis.pk): VisitStatus.DUE}


def test_the_visit_filter_keeps_that_visits_rows(client, investigator, visit):
    visit(TODAY)
    day28 = visit(TODAY, visit_code="D28")
    assert _listed(_get(client, investigator, visit="D28")) == {str(day28.pk): VisitStatus.DUE}


def test_the_status_filter_keeps_visits_of_that_status(client, investigator, visit):
    visit(TODAY)
    overdue = visit(TODAY - 7 * DAY)
    response = _get(client, investigator, status="overdue")
    assert _listed(response) == {str(overdue.pk): VisitStatus.OVERDUE}


def test_a_site_the_investigator_has_no_grant_at_falls_back_to_their_own(
    client, investigator, visit, site_b
):
    own = visit(TODAY)
    visit(TODAY, study_site=site_b)
    response = _get(client, investigator, site=str(site_b.pk))
    assert _listed(response) == {str(own.pk): VisitStatus.DUE}


def test_a_start_that_is_no_date_is_refused_on_its_field_and_the_site_kept(
    client, member, visit, site_a, site_b
):
    at_b = visit(TODAY, study_site=site_b)
    response = _get(client, member(Role.DATA_MANAGER), site=str(site_b.pk), start="next tuesday")
    assert response.context["form"].errors["start"]
    assert _listed(response) == {str(at_b.pk): VisitStatus.DUE}


@pytest.mark.parametrize("role", [Role.SPONSOR, Role.DATA_MANAGER])
def test_study_wide_roles_choose_among_all_sites(client, member, visit, site_a, site_b, role):
    visit(TODAY)
    at_b = visit(TODAY, study_site=site_b)
    response = _get(client, member(role), site=str(site_b.pk))
    assert response.context["site"] == site_b
    assert _listed(response) == {str(at_b.pk): VisitStatus.DUE}


def test_the_visit_names_speak_the_pages_language(client, investigator, visit):
    visit(TODAY, visit_code="D28")
    client.force_login(investigator)
    client.post(reverse("edc:language-set"), {"language": "zh-hans", "next": "/"})
    page = _get(client, investigator).content.decode()
    assert "第28天" in page
    assert "访视日历" in page


# --- The month ----------------------------------------------------------------------------------


def test_the_month_shows_each_visit_on_its_target_day(client, investigator, visit):
    inside = visit(dt.date(2026, 6, 3))
    shown_from_next_month = visit(dt.date(2026, 7, 2))
    visit(dt.date(2026, 7, 20))
    response = _month(client, investigator)
    assert _in_month(response) == {
        str(inside.pk): dt.date(2026, 6, 3),
        str(shown_from_next_month.pk): dt.date(2026, 7, 2),
    }


def test_the_month_marks_the_sites_today(client, investigator):
    cells = [c for week in _month(client, investigator).context["grid"] for c in week]
    assert [c.day for c in cells if c.is_today] == [TODAY]


def test_the_month_counts_the_windows_open_each_day(client, investigator, visit):
    visit(TODAY, window_start=TODAY - 2 * DAY, window_end=TODAY + 2 * DAY)
    visit(TODAY + 2 * DAY)
    cells = {c.day: c for week in _month(client, investigator).context["grid"] for c in week}
    assert [cells[TODAY + n * DAY].open_windows for n in range(-3, 5)] == [0, 1, 1, 1, 2, 2, 1, 0]


def test_the_month_links_to_the_neighbouring_months(client, investigator):
    page = _month(client, investigator, year=2026, month=1).content.decode()
    registry_id = investigator.memberships.get().study.registry_id
    assert reverse("followup:calendar-month", args=[registry_id, 2025, 12]) in page
    assert reverse("followup:calendar-month", args=[registry_id, 2026, 2]) in page


def test_the_month_names_its_days_and_month_in_chinese(client, investigator):
    client.force_login(investigator)
    client.post(reverse("edc:language-set"), {"language": "zh-hans", "next": "/"})
    page = _month(client, investigator).content.decode()
    assert "星期一" in page
    assert "2026年6月" in page


def test_a_month_that_does_not_exist_is_not_found(client, investigator):
    assert _month(client, investigator, month=13).status_code == 404


# --- Reaching it -------------------------------------------------------------------------------


def test_the_navigation_and_the_study_home_link_to_the_calendar(client, investigator):
    client.force_login(investigator)
    registry_id = investigator.memberships.get().study.registry_id
    page = client.get(reverse("edc:study-home", args=[registry_id])).content.decode()
    assert page.count(reverse("followup:calendar", args=[registry_id])) == 2


def test_the_administrator_is_not_offered_the_calendar(client, member):
    administrator = member(Role.ADMINISTRATOR)
    client.force_login(administrator)
    registry_id = administrator.memberships.get().study.registry_id
    page = client.get(reverse("edc:study-home", args=[registry_id])).content.decode()
    assert reverse("followup:calendar", args=[registry_id]) not in page


# --- Constant queries ------------------------------------------------------------------------


def _queries(client, user, fetch) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert fetch().status_code == 200
    return len(queries)


@pytest.mark.parametrize("fetch", [_get, _month], ids=["list", "month"])
def test_the_calendar_answers_in_the_same_number_of_queries_at_two_sizes(
    client, investigator, visit, fetch
):
    fetch(client, investigator)  # the protocol is parsed once per process, not per request
    counts = []
    for _ in range(2):
        for offset in range(6):  # 6, then 12 subjects, each with a visit
            visit(TODAY + (offset - 3) * DAY)
        counts.append(_queries(client, investigator, lambda: fetch(client, investigator)))
    assert VisitInstance.objects.count() == 12
    assert counts[0] == counts[1]


@pytest.mark.parametrize("role", [Role.MONITOR, Role.SPONSOR])
def test_monitors_and_sponsors_see_the_investigators_calendar(
    client, investigator, member, site_a, visit, role
):
    visit(TODAY)
    visit(TODAY - 7 * DAY)
    reader = member(role, study_site=site_a if role == Role.MONITOR else None)
    assert _listed(_get(client, reader)) == _listed(_get(client, investigator))
