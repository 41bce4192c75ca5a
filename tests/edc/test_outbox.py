"""The outbox: a duty written with its record, delivered once after commit, whatever fails."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from edc import outbox
from edc.outbox import (
    NotDeliverable,
    OutboxMessage,
    outbox_deliver,
    outbox_deliver_due,
    outbox_put,
    retry_delay,
)

pytestmark = pytest.mark.django_db

sent: list[str] = []
behaviour = {"fail": None}


def _handler(message):
    if behaviour["fail"] is not None:
        raise behaviour["fail"]
    sent.append(message.key)


@pytest.fixture(autouse=True)
def test_kind():
    outbox.register_outbox_handler("test", _handler)
    sent.clear()
    behaviour["fail"] = None
    yield
    outbox._HANDLERS.pop("test")


def _put(key="k1"):
    return outbox_put(kind="test", key=key, payload={})


def test_a_duty_is_recorded_once_per_key():
    first, again = _put(), _put()
    assert (first.pk, OutboxMessage.objects.count()) == (again.pk, 1)


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="no outbox handler"):
        outbox_put(kind="nobody", key="x", payload={})


def test_delivered_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _put()
        assert sent == []
    message.refresh_from_db()
    assert (sent, message.state, message.attempts) == (["k1"], "sent", 1)


def _put_then_fail():
    with transaction.atomic():
        _put()
        raise RuntimeError


def test_rolled_back_record_leaves_no_duty(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        _put_then_fail()
    assert (OutboxMessage.objects.count(), sent) == (0, [])


def test_delivering_again_sends_nothing():
    message = _put()
    now = timezone.now()
    results = [outbox_deliver(message.pk, now=now).sent for _ in range(3)]
    assert (results, sent) == ([True, False, False], ["k1"])


def test_a_failure_is_kept_pending_with_a_backoff():
    message = _put()
    behaviour["fail"] = OSError("mail server down")
    now = timezone.now()
    delivery = outbox_deliver(message.pk, now=now)
    message.refresh_from_db()
    assert (delivery.sent, delivery.retry_in) == (False, dt.timedelta(minutes=1))
    assert (message.state, message.attempts, message.next_attempt_at) == (
        "pending",
        1,
        now + dt.timedelta(minutes=1),
    )
    assert "mail server down" in message.last_error


def test_a_configuration_problem_waits_without_a_worker_retry():
    message = _put()
    behaviour["fail"] = NotDeliverable("no recipients")
    delivery = outbox_deliver(message.pk, now=timezone.now())
    message.refresh_from_db()
    assert (delivery.retry_in, message.waiting_for_configuration) == (None, True)


def test_backoff_doubles_and_stops_at_an_hour():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 8)] == [60, 120, 240, 3600]


def test_the_sweep_delivers_what_is_due_and_not_what_waits():
    due, later = _put("due"), _put("later")
    now = timezone.now()
    OutboxMessage.objects.filter(pk=later.pk).update(next_attempt_at=now + dt.timedelta(hours=1))
    assert outbox_deliver_due(now=now) == 1
    assert sent == ["due"]
    due.refresh_from_db()
    assert due.state == "sent"


def test_the_sweep_retries_a_failed_message_once_its_time_comes():
    message = _put()
    behaviour["fail"] = OSError("down")
    now = timezone.now()
    outbox_deliver(message.pk, now=now)
    behaviour["fail"] = None
    assert outbox_deliver_due(now=now) == 0
    assert outbox_deliver_due(now=now + dt.timedelta(minutes=1)) == 1


def test_a_dead_broker_leaves_the_message_for_the_sweep(monkeypatch):
    from edc.tasks import outbox_deliver_task

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(outbox_deliver_task, "apply_async", refuse)
    message = _put()
    outbox.outbox_dispatch(message.pk)  # what on_commit runs: must not raise
    message.refresh_from_db()
    assert message.state == "pending"
