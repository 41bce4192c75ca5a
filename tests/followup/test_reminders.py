"""The daily visit-reminder run: who is told, once per visit, kind and person however often it
runs, by each site's calendar, in a constant number of queries; and its e-mail, which each person
may turn off (the task list keeps the reminder)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from celery.schedules import crontab
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from edc.celery import app
from edc.models import UserPreference
from edc.outbox import OutboxMessage, outbox_deliver_due
from edc.roles import Role
from followup.models import VisitReminder
from followup.reminders import visit_reminders_send
from followup.services import visit_mark_done
from followup.tasks import send_visit_reminders_task
from tests.edc.factories import SubjectFactory
from tests.followup.factories import DAY, VisitInstanceFactory
from tests.followup.reminder_runs import at_site, run_and_deliver

pytestmark = pytest.mark.django_db

TARGET = dt.date(2026, 6, 10)  # window 06-09 .. 06-11


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def visit(site_a, stratum):
    return VisitInstanceFactory(
        subject=SubjectFactory(study_site=site_a, stratum=stratum), target_date=TARGET
    )


@pytest.fixture
def investigator(member, site_a):
    return member(Role.INVESTIGATOR, study_site=site_a, email="inv@site-a.cn")


def _kinds(user) -> list[str]:
    return sorted(VisitReminder.objects.filter(recipient=user).values_list("kind", flat=True))


def test_everyone_who_enters_data_at_the_visits_site_is_reminded(
    visit, member, site_a, site_b, capture
):
    told = [member(role, study_site=site_a) for role in (
        Role.INVESTIGATOR, Role.COORDINATOR, Role.PRINCIPAL_INVESTIGATOR)]  # fmt: skip
    not_told = [
        member(Role.MONITOR, study_site=site_a),
        member(Role.DATA_MANAGER),
        member(Role.SPONSOR),
        member(Role.INVESTIGATOR, study_site=site_b),
    ]
    run_and_deliver(capture, TARGET - DAY)
    assert [_kinds(u) for u in told] == [["due_tomorrow", "window_opens"]] * 3
    assert [_kinds(u) for u in not_told] == [[]] * 4


def test_an_inactive_membership_or_account_is_not_reminded(visit, member, site_a, capture):
    left = member(Role.INVESTIGATOR, study_site=site_a)
    membership = left.memberships.get()
    membership.is_active, membership._change_reason = False, "left the site"
    membership.save()
    locked = member(Role.COORDINATOR, study_site=site_a, is_active=False)
    run_and_deliver(capture, TARGET)
    assert (_kinds(left), _kinds(locked)) == ([], [])


def test_a_second_run_the_same_day_records_and_sends_nothing(
    visit, investigator, capture, mailoutbox
):
    first = run_and_deliver(capture, TARGET - DAY, hour=6)
    again = run_and_deliver(capture, TARGET - DAY, hour=18)
    assert (first.reminders, again.reminders) == (2, 0)
    assert len(mailoutbox) == 2


def test_daily_runs_remind_each_kind_once_and_stop_when_the_visit_is_done(
    visit, investigator, capture, mailoutbox
):
    for n in range(-3, 3):  # 06-07 .. 06-12, past the window
        run_and_deliver(capture, TARGET + n * DAY)
    assert _kinds(investigator) == ["due_tomorrow", "overdue", "window_opens"]
    assert len(mailoutbox) == 3
    visit_mark_done(visit, done_on=TARGET + 2 * DAY, actor=investigator, expected_version=None)
    run_and_deliver(capture, TARGET + 5 * DAY)
    assert len(mailoutbox) == 3


def test_the_management_command_runs_the_same_reminders(visit, investigator, time_machine):
    time_machine.move_to(at_site(TARGET), tick=False)
    call_command("send_visit_reminders", stdout=io.StringIO())
    assert _kinds(investigator) == ["window_opens"]


def test_a_visit_is_judged_by_its_own_sites_calendar(
    visit, investigator, member, site_b, stratum, capture
):
    site = site_b.site
    site.timezone, site._change_reason = "UTC", "test set-up"
    site.save()
    VisitInstanceFactory(
        subject=SubjectFactory(study_site=site_b, stratum=stratum), target_date=TARGET
    )
    london = member(Role.INVESTIGATOR, study_site=site_b)
    both = ["due_tomorrow", "window_opens"]
    # 01:00 on 06-09 in Shanghai is 17:00 on 06-08 in UTC: the window opens in Shanghai only.
    run_and_deliver(capture, TARGET - DAY, hour=1)
    assert (_kinds(investigator), _kinds(london)) == (both, [])
    # 09:00 in Shanghai is 01:00 in UTC: now 06-09 at the UTC site too.
    run_and_deliver(capture, TARGET - DAY, hour=9)
    assert (_kinds(investigator), _kinds(london)) == (both, both)


def test_the_run_answers_in_the_same_number_of_queries_for_three_times_the_visits(
    study, site_a, stratum, member
):
    for role in (Role.INVESTIGATOR, Role.COORDINATOR):
        member(role, study_site=site_a, email=f"{role}@site-a.cn")
    counts, recorded = [], []
    for size, target in ((4, TARGET), (12, TARGET + 10 * DAY)):
        for _ in range(size):
            VisitInstanceFactory(
                subject=SubjectFactory(study_site=site_a, stratum=stratum), target_date=target
            )
        with CaptureQueriesContext(connection) as queries:
            recorded.append(visit_reminders_send(now=at_site(target - DAY)).reminders)
        counts.append(len(queries))
    # Second run: the first 4 visits are overdue (one reminder each per person), the 12 new
    # ones open their window and are due tomorrow (two each per person).
    assert recorded == [4 * 2 * 2, 4 * 2 + 12 * 2 * 2]
    assert counts[0] == counts[1]


def test_a_person_with_e_mail_off_is_reminded_in_the_task_list_only(
    visit, investigator, capture, mailoutbox
):
    UserPreference.objects.create(user=investigator, email_reminders=False)
    result = run_and_deliver(capture, TARGET)
    assert (result.reminders, result.emails) == (1, 0)
    assert (OutboxMessage.objects.count(), len(mailoutbox)) == (0, 0)


def test_turning_e_mail_off_after_a_reminder_was_queued_stops_its_e_mail(
    visit, investigator, capture, mailoutbox
):
    visit_reminders_send(now=at_site(TARGET))  # queued; not yet delivered (no commit here)
    UserPreference.objects.create(user=investigator, email_reminders=False)
    outbox_deliver_due(now=at_site(TARGET, hour=10))
    assert len(mailoutbox) == 0
    assert _kinds(investigator) == ["window_opens"]


def test_a_visit_recorded_before_its_e_mail_went_out_is_not_e_mailed(
    visit, investigator, mailoutbox
):
    visit_reminders_send(now=at_site(TARGET))
    visit_mark_done(visit, done_on=TARGET, actor=investigator, expected_version=None)
    outbox_deliver_due(now=at_site(TARGET, hour=10))
    assert len(mailoutbox) == 0


def test_the_e_mail_names_subject_visit_dates_and_link(visit, investigator, capture, mailoutbox):
    run_and_deliver(capture, TARGET - DAY)
    mail = next(m for m in mailoutbox if "due tomorrow" in m.subject)
    assert mail.to == [investigator.email]
    assert str(visit.subject) in mail.subject
    assert "Day 7" in mail.subject
    for text in (
        "2026-06-10",
        "2026-06-09 to 2026-06-11",
        f"/subjects/{visit.subject.pk}/schedule/",
    ):
        assert text in mail.body


def test_the_e_mail_is_in_the_recipients_language(visit, investigator, capture, mailoutbox):
    UserPreference.objects.create(user=investigator, language="zh-hans")
    run_and_deliver(capture, TARGET + 2 * DAY)
    (mail,) = mailoutbox
    assert "逾期" in mail.subject
    assert "目标日期：2026-06-10" in mail.body


def test_a_mail_server_failure_is_retried_and_the_reminder_sent_once(
    visit, investigator, capture, settings, tmp_path, monkeypatch, time_machine
):
    time_machine.move_to(at_site(TARGET), tick=False)
    down = tmp_path / "mail-down"
    down.write_text("")
    monkeypatch.setenv("EDC_TEST_MAIL_DOWN", str(down))
    settings.EMAIL_BACKEND = "tests.mail_backends.FlakyFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    run_and_deliver(capture, TARGET)
    message = OutboxMessage.objects.get()
    assert (message.state, message.attempts) == ("pending", 1)
    assert "SMTPServerDisconnected" in message.last_error
    down.unlink()
    later = at_site(TARGET, hour=12)
    assert outbox_deliver_due(now=later) == 1
    assert outbox_deliver_due(now=later + dt.timedelta(hours=2)) == 0
    assert sum(f.read_text().count("Message-ID: ") for f in (tmp_path / "mail").iterdir()) == 1


def test_a_reminder_exists_once_per_visit_kind_and_recipient_by_constraint(visit, investigator):
    row = {"visit": visit, "kind": "overdue", "recipient": investigator, "site_date": TARGET}
    VisitReminder.objects.create(**row)
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitReminder.objects.create(**row)


def test_the_beat_runs_the_reminder_task_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["visit-reminders"]
    assert entry["task"] in app.tasks
    assert isinstance(entry["schedule"], crontab)
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({22}, {0})


def test_the_task_runs_the_same_reminders_as_the_command(visit, investigator, time_machine):
    time_machine.move_to(at_site(TARGET - DAY), tick=False)
    assert send_visit_reminders_task.apply().get() == 2
    assert _kinds(investigator) == ["due_tomorrow", "window_opens"]
