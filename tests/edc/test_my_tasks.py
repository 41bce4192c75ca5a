"""My tasks: the open visit reminders of the user at the sites where they still enter data, one
page at a time in a constant number of queries, the count in the navigation bar of every page, and
the registry of task sources that later work adds to; and the notification settings page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from edc import account_views, tasks_inbox
from edc.models import UserPreference
from edc.roles import Role
from edc.selectors import protocol_definition
from edc.tasks_inbox import InboxTask, TaskList, TaskSource, task_count
from followup.reminders import visit_reminders_send
from followup.services import visit_mark_done
from tests.edc.factories import SubjectFactory
from tests.followup.factories import DAY, VisitInstanceFactory
from tests.followup.reminder_runs import at_site

pytestmark = pytest.mark.django_db

TARGET = dt.date(2026, 6, 10)
MY_TASKS = reverse("edc:my-tasks")


@pytest.fixture(autouse=True)
def _morning_of_the_target_date(time_machine):
    time_machine.move_to(at_site(TARGET, 10), tick=False)


@pytest.fixture
def investigator(member, site_a):
    return member(Role.INVESTIGATOR, study_site=site_a, email="inv@site-a.cn")


def _reminded_visits(site, stratum, n: int, target: dt.date = TARGET):
    visits = [
        VisitInstanceFactory(
            subject=SubjectFactory(study_site=site, stratum=stratum), target_date=target
        )
        for _ in range(n)
    ]
    visit_reminders_send(now=at_site(target))
    return visits


def _rows(client, url=MY_TASKS) -> int:
    return client.get(url).content.decode().count('data-testid="task-row"')


def test_my_tasks_lists_each_reminded_open_visit_once_with_a_link_to_its_schedule(
    client, investigator, site_a, stratum, study
):
    (visit,) = _reminded_visits(site_a, stratum, 1, TARGET + DAY)
    visit_reminders_send(now=at_site(TARGET))  # the due-tomorrow reminder too: still one task
    client.force_login(investigator)
    page = client.get(MY_TASKS).content.decode()
    assert page.count('data-testid="task-row"') == 1
    assert str(visit.subject) in page
    assert "Day 7" in page
    assert "Due (in window)" in page
    assert reverse("followup:schedule", args=[study.registry_id, visit.subject.pk]) in page


def test_a_visit_recorded_as_done_leaves_my_tasks(client, investigator, site_a, stratum):
    (visit,) = _reminded_visits(site_a, stratum, 1)
    visit_mark_done(visit, done_on=TARGET, actor=investigator, expected_version=None)
    client.force_login(investigator)
    assert _rows(client) == 0


def test_my_tasks_shows_nothing_of_a_site_the_user_no_longer_works_at(
    client, investigator, site_a, stratum
):
    _reminded_visits(site_a, stratum, 1)
    membership = investigator.memberships.get()
    membership.is_active, membership._change_reason = False, "left the site"
    membership.save()
    client.force_login(investigator)
    assert _rows(client) == 0


def test_others_reminders_are_not_my_tasks(client, investigator, member, site_a, stratum):
    _reminded_visits(site_a, stratum, 1)
    newcomer = member(Role.COORDINATOR, study_site=site_a)  # joined after the run
    client.force_login(newcomer)
    assert _rows(client) == 0


def test_my_tasks_is_paginated(client, investigator, site_a, stratum, monkeypatch):
    monkeypatch.setattr(account_views, "TASKS_PER_PAGE", 2)
    _reminded_visits(site_a, stratum, 3)
    client.force_login(investigator)
    assert (_rows(client), _rows(client, MY_TASKS + "?page=2")) == (2, 1)


def test_my_tasks_answers_in_the_same_number_of_queries_for_three_times_the_tasks(
    client, investigator, site_a, stratum, study
):
    client.force_login(investigator)
    protocol_definition(study)  # parsed once per process, then cached
    counts = []
    for n, target in ((3, TARGET), (6, TARGET + 5 * DAY)):  # 3, then 9 tasks
        _reminded_visits(site_a, stratum, n, target)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(MY_TASKS).status_code == 200
        counts.append(len(queries))
    assert _rows(client) == 9
    assert counts[0] == counts[1]


def test_the_navigation_bar_shows_the_task_count_on_other_pages(
    client, investigator, site_a, stratum, study
):
    _reminded_visits(site_a, stratum, 2)
    client.force_login(investigator)
    page = client.get(reverse("edc:study-home", args=[study.registry_id])).content.decode()
    assert '<span class="badge text-bg-warning" data-testid="task-count">2</span>' in page


def test_no_badge_without_tasks(client, investigator, study):
    client.force_login(investigator)
    page = client.get(reverse("edc:study-home", args=[study.registry_id])).content.decode()
    assert 'data-testid="my-tasks-link"' in page
    assert 'data-testid="task-count"' not in page


def test_the_navigation_count_costs_one_query_per_source(investigator, site_a, stratum):
    _reminded_visits(site_a, stratum, 4)
    with CaptureQueriesContext(connection) as queries:
        assert task_count(investigator) == 4
    assert len(queries) == len(tasks_inbox._SOURCES)


def _fake_source(code: str, n: int) -> TaskSource:
    def tasks(user, start, stop, lang):
        return [
            InboxTask(source=code, study="S", subject=f"{code}{i}", title="t", status="open",
                      due=None, detail="", url="/")
            for i in range(start, stop)
        ]  # fmt: skip

    return TaskSource(code=code, count=lambda user: n, tasks=tasks)


def test_the_task_list_runs_the_sources_one_after_the_other(monkeypatch, investigator):
    monkeypatch.setattr(tasks_inbox, "_SOURCES", {})
    tasks_inbox.register_task_source(_fake_source("queries", 3))
    tasks_inbox.register_task_source(_fake_source("signatures", 2))
    tasks = TaskList(investigator, lang="en")
    assert len(tasks) == 5
    assert [t.subject for t in tasks[2:4]] == ["queries2", "signatures0"]


def test_a_task_source_code_is_registered_once(monkeypatch):
    monkeypatch.setattr(tasks_inbox, "_SOURCES", {})
    tasks_inbox.register_task_source(_fake_source("queries", 1))
    with pytest.raises(ValueError, match="already registered"):
        tasks_inbox.register_task_source(_fake_source("queries", 2))


def test_a_user_turns_e_mail_reminders_off_and_on(client, investigator):
    client.force_login(investigator)
    url = reverse("edc:notification-settings")
    assert client.get(url).context["form"]["email_reminders"].value() is True
    client.post(url, {})
    assert UserPreference.objects.get(user=investigator).email_reminders is False
    assert client.get(url).context["form"]["email_reminders"].value() is False
    client.post(url, {"email_reminders": "on"})
    assert UserPreference.objects.get(user=investigator).email_reminders is True


def test_my_tasks_speaks_chinese(client, investigator, site_a, stratum):
    _reminded_visits(site_a, stratum, 1)
    UserPreference.objects.create(user=investigator, language="zh-hans")
    client.force_login(investigator)
    page = client.get(MY_TASKS).content.decode()
    assert "我的任务" in page
    assert "窗口期" in page
