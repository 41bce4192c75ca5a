"""SAE notifications through real Celery workers and Redis, with the faults of a bad day:
a rerun task, a mail server down, Redis stopped, a worker killed mid-task, two workers at once.
Each time the event is saved once and its notification sent once."""

import os
import signal
import time

import pytest
from django.urls import reverse

from adverse_events.models import AdverseEvent, SaeNotification, SafetyContact
from adverse_events.sae import sae_notification_key
from adverse_events.safety_contacts import safety_contact_add
from edc.outbox import OutboxMessage
from edc.tasks import outbox_deliver_task, outbox_sweep_task
from tests.adverse_events.journeys import infused_subject
from tests.adverse_events.sae_entry import investigator_client, post_sae
from tests.conftest import use_broker
from tests.edc.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def _wait_for(condition, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the worker")
        time.sleep(0.2)


def _sent(ae) -> bool:
    return SaeNotification.objects.filter(adverse_event=ae).exists()


def _mails(start) -> int:
    return len(list(start.mail_dir.iterdir()))


@pytest.fixture
def subject(celery_workers):
    subject = infused_subject(UserFactory())
    return subject


def _contact(subject):
    SafetyContact.objects.create(study=subject.study, name="Safety desk", email="safety@sp.cn")


def test_sae_is_notified_once_even_when_the_task_runs_again(celery_workers, subject, client):
    celery_workers()
    _contact(subject)
    post_sae(investigator_client(client, subject), subject)
    ae = AdverseEvent.objects.get()
    _wait_for(lambda: _sent(ae))
    key = sae_notification_key(ae.pk)
    for _ in range(2):
        outbox_deliver_task.delay(str(OutboxMessage.objects.get(key=key).pk))
    outbox_sweep_task.delay()
    time.sleep(2)
    assert (SaeNotification.objects.count(), _mails(celery_workers)) == (1, 1)


def test_sae_saved_without_a_contact_is_sent_once_a_contact_is_added(
    celery_workers, subject, client
):
    celery_workers()
    post_sae(investigator_client(client, subject), subject)
    ae = AdverseEvent.objects.get()
    _wait_for(lambda: OutboxMessage.objects.get().attempts == 1)
    assert not _sent(ae)
    safety_contact_add(study=subject.study, name="Desk", email="desk@sp.cn", actor=UserFactory())
    _wait_for(lambda: _sent(ae))
    assert _mails(celery_workers) == 1


def test_sae_saved_while_the_mail_server_is_down_is_sent_once_it_is_back(
    celery_workers, subject, client, tmp_path
):
    down = tmp_path / "mail-down"
    down.write_text("")
    celery_workers(
        env={
            "DJANGO_EMAIL_BACKEND": "tests.mail_backends.FlakyFileBackend",
            "EDC_TEST_MAIL_DOWN": str(down),
        }
    )
    _contact(subject)
    post_sae(investigator_client(client, subject), subject)
    ae = AdverseEvent.objects.get()
    _wait_for(lambda: OutboxMessage.objects.get().attempts >= 1)
    assert "SMTPServerDisconnected" in OutboxMessage.objects.get().last_error
    down.unlink()
    OutboxMessage.objects.update(next_attempt_at=OutboxMessage.objects.get().created_at)
    outbox_sweep_task.delay()
    _wait_for(lambda: _sent(ae))
    outbox_sweep_task.delay()
    time.sleep(2)
    assert _mails(celery_workers) == 1


def test_sae_saved_while_redis_is_down_is_saved_and_sent_once_redis_is_back(
    celery_workers, private_redis, subject, client
):
    url, stop_redis, start_redis = private_redis
    use_broker(url)
    celery_workers(broker_url=url)
    _contact(subject)
    stop_redis()
    response = post_sae(investigator_client(client, subject), subject)
    assert response.status_code == 200
    ae = AdverseEvent.objects.get()
    assert OutboxMessage.objects.get().state == "pending"
    # Data entry goes on while the broker is down.
    assert client.get(reverse("edc:subject-detail", args=[subject.study.registry_id, subject.pk]))
    start_redis()
    _wait_for(lambda: _deliver_via_sweep(ae), seconds=60)
    outbox_sweep_task.delay()
    time.sleep(2)
    assert (SaeNotification.objects.count(), _mails(celery_workers)) == (1, 1)


def _deliver_via_sweep(ae) -> bool:
    """Ask the (reconnecting) worker to sweep; True once the notification went out."""
    try:
        outbox_sweep_task.delay()
    except Exception:  # the worker's broker may still be coming back
        return False
    time.sleep(1)
    return _sent(ae)


def test_worker_killed_mid_delivery_sends_once_after_restart(
    celery_workers, subject, client, tmp_path
):
    signals = tmp_path / "signals"
    signals.mkdir()
    celery_workers(
        pool="prefork",
        env={
            "DJANGO_EMAIL_BACKEND": "tests.mail_backends.SlowFileBackend",
            "EDC_TEST_MAIL_SIGNALS": str(signals),
            "EDC_TEST_MAIL_DELAY": "4",
        },
    )
    _contact(subject)
    post_sae(investigator_client(client, subject), subject)
    ae = AdverseEvent.objects.get()
    _wait_for(lambda: any(signals.iterdir()))
    child = int(next(signals.iterdir()).name.split(".")[0])
    os.kill(child, signal.SIGKILL)  # the pool process dies in the middle of sending
    _wait_for(lambda: _sent(ae), seconds=60)
    assert (len(list(signals.iterdir())), _mails(celery_workers)) == (2, 1)
    assert OutboxMessage.objects.get().attempts == 1  # the killed attempt was rolled back


def test_two_workers_delivering_one_notification_send_one_message(
    celery_workers, subject, client, tmp_path
):
    signals = tmp_path / "signals"
    signals.mkdir()
    slow = {
        "DJANGO_EMAIL_BACKEND": "tests.mail_backends.SlowFileBackend",
        "EDC_TEST_MAIL_SIGNALS": str(signals),
        "EDC_TEST_MAIL_DELAY": "2",
    }
    celery_workers(env=slow)
    celery_workers(env=slow)
    _contact(subject)
    post_sae(investigator_client(client, subject), subject)
    message_id = str(OutboxMessage.objects.get().pk)
    for _ in range(3):
        outbox_deliver_task.delay(message_id)
    ae = AdverseEvent.objects.get()
    _wait_for(lambda: _sent(ae))
    time.sleep(4)  # let the other worker finish its attempt
    assert (_mails(celery_workers), len(list(signals.iterdir()))) == (1, 1)
