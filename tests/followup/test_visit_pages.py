"""The pages of the schedule: a visit declared done (outside the window: a deviation with its
size and a warning) or missed (with a reason), an unscheduled visit added once, and the
protocol deviations per site in a constant number of queries."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from edc.roles import Role
from followup.models import UnscheduledVisit, VisitInstance
from tests.adverse_events.journeys import DAY0
from tests.edc.factories import MembershipFactory, UserFactory
from tests.followup.factories import DeviatingVisitFactory
from tests.hostile import log_in_investigator

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@pytest.fixture
def d7(subject) -> VisitInstance:
    return VisitInstance.objects.get(subject=subject, visit_code="D7")


def _url(visit: VisitInstance) -> str:
    subject = visit.subject
    return reverse("followup:visit", args=[subject.study.registry_id, subject.pk, visit.pk])


def _done(client, visit, done_on, version=None):
    return client.post(
        _url(visit),
        {"action": "done", "done-done_on": done_on, "done-row_version": version or 1},
        follow=True,
    )


def _as(client, subject, role) -> None:
    user = UserFactory()
    site = subject.study_site if role in (Role.INVESTIGATOR, Role.MONITOR) else None
    MembershipFactory(user=user, study=subject.study, study_site=site, role=role)
    client.force_login(user)


def test_a_visit_done_in_its_window_has_no_deviation(client, subject, d7):
    log_in_investigator(client, subject)
    _done(client, d7, d7.target_date.isoformat())
    d7.refresh_from_db()
    assert (d7.state, d7.done_on, d7.deviation_days) == ("done", d7.target_date, None)


def test_a_visit_done_late_is_a_deviation_with_a_warning(client, subject, d7):
    log_in_investigator(client, subject)
    page = _done(client, d7, (d7.window_end + 3 * DAY).isoformat())
    d7.refresh_from_db()
    assert d7.deviation_days == 3
    assert "3 days late" in page.content.decode()
    warnings = [m.message for m in page.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert "protocol deviation" in warnings[0]


def test_a_date_in_the_future_is_refused_on_the_field_and_nothing_changes(client, subject, d7):
    log_in_investigator(client, subject)
    page = _done(client, d7, (dt.date.today() + 5 * DAY).isoformat())
    assert "done_on" in page.context["done_form"].errors
    d7.refresh_from_db()
    assert (d7.state, d7.row_version) == ("open", 1)


def test_a_missed_visit_without_a_reason_is_refused_on_the_field(client, subject, d7):
    log_in_investigator(client, subject)
    page = client.post(
        _url(d7), {"action": "missed", "missed-missed_reason": " ", "missed-row_version": 1}
    )
    assert "missed_reason" in page.context["missed_form"].errors
    d7.refresh_from_db()
    assert d7.state == "open"


def test_a_missed_visit_keeps_its_reason(client, subject, d7):
    log_in_investigator(client, subject)
    client.post(
        _url(d7),
        {"action": "missed", "missed-missed_reason": "In hospital", "missed-row_version": 1},
    )
    d7.refresh_from_db()
    assert (d7.state, d7.missed_reason) == ("missed", "In hospital")


def test_a_save_on_a_stale_version_is_refused_and_nothing_changes(client, subject, d7):
    log_in_investigator(client, subject)
    page = _done(client, d7, d7.target_date.isoformat(), version=7)
    assert "Someone else changed this record" in str(page.context["done_form"].non_field_errors())
    d7.refresh_from_db()
    assert d7.state == "open"


def test_a_visit_already_declared_is_not_declared_again(client, subject, d7):
    log_in_investigator(client, subject)
    _done(client, d7, d7.target_date.isoformat())
    page = client.post(
        _url(d7), {"action": "missed", "missed-missed_reason": "Late page", "missed-row_version": 2}
    )
    assert "already recorded as Done" in page.content.decode()
    d7.refresh_from_db()
    assert (d7.state, d7.missed_reason) == ("done", "")


@pytest.mark.parametrize("role", [Role.MONITOR, Role.DATA_MANAGER, Role.SPONSOR])
def test_read_only_roles_see_the_schedule_without_buttons(client, subject, role):
    _as(client, subject, role)
    args = [subject.study.registry_id, subject.pk]
    page = client.get(reverse("followup:schedule", args=args)).content.decode()
    assert 'data-testid="visit-schedule"' in page
    assert "Record" not in page
    assert 'data-testid="add-unscheduled"' not in page


def test_a_monitor_cannot_mark_a_visit_done(client, subject, d7):
    _as(client, subject, Role.MONITOR)
    assert _done(client, d7, d7.target_date.isoformat()).status_code == 403
    d7.refresh_from_db()
    assert d7.state == "open"


def test_the_investigator_sees_the_record_buttons(client, subject):
    log_in_investigator(client, subject)
    args = [subject.study.registry_id, subject.pk]
    page = client.get(reverse("followup:schedule", args=args)).content.decode()
    assert "Record" in page
    assert 'data-testid="add-unscheduled"' in page


def _add_url(subject, token: uuid.UUID | None = None) -> str:
    args = [subject.study.registry_id, subject.pk, token or uuid.uuid4()]
    return reverse("followup:unscheduled-add", args=args)


def test_the_unscheduled_page_posted_twice_adds_one_visit(client, subject):
    log_in_investigator(client, subject)
    data = {
        "visit_date": (DAY0 + 3 * DAY).isoformat(),
        "reason": "Fever",
        "crf_codes": ["vital_signs"],
    }
    url = _add_url(subject)
    client.get(url)
    client.post(url, data)
    client.post(url, data)
    assert UnscheduledVisit.objects.count() == 1


def test_the_unscheduled_page_says_so_when_opened_again_after_its_save(client, subject):
    log_in_investigator(client, subject)
    url = _add_url(subject)
    data = {"visit_date": DAY0.isoformat(), "reason": "Rash", "crf_codes": ["adverse_event"]}
    client.post(url, data)
    page = client.get(url, follow=True)
    assert page.redirect_chain
    assert "already been added" in page.content.decode()


def test_an_unscheduled_visit_without_a_reason_is_refused_on_the_field(client, subject):
    log_in_investigator(client, subject)
    page = client.post(
        _add_url(subject),
        {"visit_date": DAY0.isoformat(), "reason": "", "crf_codes": ["vital_signs"]},
    )
    assert "reason" in page.context["form"].errors
    assert not UnscheduledVisit.objects.exists()


def test_an_unscheduled_visit_appears_in_the_casebook(client, subject):
    log_in_investigator(client, subject)
    client.post(
        _add_url(subject),
        {"visit_date": DAY0.isoformat(), "reason": "Rash", "crf_codes": ["adverse_event"]},
    )
    url = reverse("edc:subject-detail", args=[subject.study.registry_id, subject.pk])
    page = client.get(url).content.decode()
    assert "Unscheduled visit 1" in page
    assert (
        reverse("edc:crf", args=[subject.study.registry_id, subject.pk, "UNS1", "adverse_event"])
        in page
    )


def _deviations_url(study, **query) -> str:
    url = reverse("followup:deviations", args=[study.registry_id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_deviation_list_shows_only_visits_outside_their_window(client, study, site_a, member):
    deviating = DeviatingVisitFactory(subject__study_site=site_a)
    DeviatingVisitFactory(
        subject__study_site=site_a, state="open", done_on=None, deviation_days=None
    )
    client.force_login(member(Role.MONITOR, study_site=site_a))
    rows = [v for v, _name in client.get(_deviations_url(study)).context["rows"]]
    assert rows == [deviating]


def test_a_site_investigator_sees_only_the_deviations_of_their_site(
    client, study, site_a, site_b, member
):
    mine = DeviatingVisitFactory(subject__study_site=site_a)
    DeviatingVisitFactory(subject__study_site=site_b)
    client.force_login(member(Role.INVESTIGATOR, study_site=site_a))
    rows = [v for v, _name in client.get(_deviations_url(study)).context["rows"]]
    assert rows == [mine]


def test_the_deviation_list_filters_by_site(client, study, site_a, site_b, member):
    DeviatingVisitFactory(subject__study_site=site_a)
    other = DeviatingVisitFactory(subject__study_site=site_b)
    client.force_login(member(Role.DATA_MANAGER))
    rows = [v for v, _name in client.get(_deviations_url(study, site=site_b.pk)).context["rows"]]
    assert rows == [other]


def test_the_deviation_list_answers_in_the_same_number_of_queries(
    client, study, site_a, site_b, member
):
    client.force_login(member(Role.SPONSOR))
    client.get(_deviations_url(study))  # the session and the parsed protocol, read once
    counts = []
    for n in (4, 12):
        for i in range(n - len(VisitInstance.objects.all())):
            DeviatingVisitFactory(subject__study_site=site_a if i % 2 else site_b)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_deviations_url(study)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
