"""The reminder task on real Celery workers and Redis: two workers running it at the same moment
record each reminder once and send one e-mail each; a mail server that is down delays the e-mail,
which is sent once when it is back."""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo

import pytest
from django.utils import timezone

from edc.outbox import OutboxMessage
from edc.roles import Role
from edc.tasks import outbox_sweep_task
from followup.models import VisitReminder
from followup.tasks import send_visit_reminders_task
from tests.edc.factories import SubjectFactory
from tests.followup.factories import DAY, VisitInstanceFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

VISITS, STAFF = 5, 2
EXPECTED = VISITS * STAFF * 2  # window opens today and the target is tomorrow


def _wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the workers")
        time.sleep(0.2)


def _mails(start) -> int:
    """E-mails written by the workers (the file backend may put several in one file)."""
    return sum(f.read_text().count("Message-ID: ") for f in start.mail_dir.iterdir())


def _all_sent() -> bool:
    return OutboxMessage.objects.filter(state="sent").count() == EXPECTED


@pytest.fixture
def due_tomorrow(celery_workers, study, site_a, stratum, member):
    """Visits whose window opens today at the site (Asia/Shanghai), target tomorrow."""
    today = timezone.now().astimezone(zoneinfo.ZoneInfo("Asia/Shanghai")).date()
    for n in range(STAFF):
        member(Role.INVESTIGATOR, study_site=site_a, email=f"inv{n}@site-a.cn")
    for _ in range(VISITS):
        VisitInstanceFactory(
            subject=SubjectFactory(study_site=site_a, stratum=stratum), target_date=today + DAY
        )


def test_two_workers_running_the_task_at_once_remind_and_e_mail_each_once(
    celery_workers, due_tomorrow
):
    celery_workers()
    celery_workers()
    for _ in range(4):  # two each, as a double beat and a retried task would
        send_visit_reminders_task.delay()
    _wait_for(_all_sent)
    outbox_sweep_task.delay()
    time.sleep(3)
    assert VisitReminder.objects.count() == EXPECTED
    assert OutboxMessage.objects.count() == EXPECTED
    assert _mails(celery_workers) == EXPECTED


def test_reminders_queued_while_the_mail_server_is_down_are_sent_once_it_is_back(
    celery_workers, due_tomorrow, tmp_path
):
    down = tmp_path / "mail-down"
    down.write_text("")
    celery_workers(
        env={
            "DJANGO_EMAIL_BACKEND": "tests.mail_backends.FlakyFileBackend",
            "EDC_TEST_MAIL_DOWN": str(down),
        }
    )
    send_visit_reminders_task.delay()
    _wait_for(lambda: OutboxMessage.objects.filter(attempts__gte=1).count() == EXPECTED)
    assert _mails(celery_workers) == 0
    assert {m.last_error.split(":")[0] for m in OutboxMessage.objects.all()} == {
        "SMTPServerDisconnected"
    }
    down.unlink()
    OutboxMessage.objects.update(next_attempt_at=timezone.now() - dt.timedelta(minutes=1))
    outbox_sweep_task.delay()
    _wait_for(_all_sent)
    outbox_sweep_task.delay()
    send_visit_reminders_task.delay()
    time.sleep(3)
    assert _mails(celery_workers) == EXPECTED
