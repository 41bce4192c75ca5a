"""The outbox: duties to tell someone, written with the record that causes them, delivered after.

A save and its consequences are one transaction. What must happen outside the database (an SAE
e-mail, a visit reminder) cannot be part of it, so the save writes a durable `OutboxMessage` row
instead, in the same transaction, keyed by the duty it stands for ("sae:<id>"): the unique key
makes the duty exist once however often the form is saved. After commit a Celery task delivers it;
a beat task sweeps up whatever a dead broker, a failing mail server or a missing configuration
left pending. Delivery locks the row, so two workers, a retry or a redelivered message send once.

A broker or mail outage therefore never turns a saved record into an error page or a duplicate:
the record is committed, the message waits, and the pages say so.

Each app registers a handler per message kind (`register_outbox_handler`); the core knows no
clinical app. A handler sends, and raises `NotDeliverable` when only a person can fix what stops
it (no recipients configured), or any other exception for a failure worth retrying.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# Retries wait 1, 2, 4 ... minutes, at most an hour: a mail server back after an outage is used
# within the hour, and a broken one is not hammered.
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_RETRY = dt.timedelta(hours=1)
SWEEP_BATCH = 500


class OutboxMessage(models.Model):
    """One duty to deliver a message, and how its delivery went."""

    class State(models.TextChoices):
        PENDING = "pending", _("Queued")
        SENT = "sent", _("Sent")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("key"), max_length=200, unique=True)
    payload = models.JSONField(_("payload"), default=dict)
    study = models.ForeignKey(
        "edc.Study", null=True, on_delete=models.PROTECT, related_name="outbox_messages"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Set when the last attempt failed for want of configuration that only a person can fix.
    waiting_for_configuration = models.BooleanField(default=False)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "edc"
        ordering = ["created_at"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.key} ({self.state})"


class NotDeliverable(Exception):
    """Delivery cannot succeed until someone changes the configuration (no recipients)."""


Handler = Callable[[OutboxMessage], None]
_HANDLERS: dict[str, Handler] = {}


def register_outbox_handler(kind: str, handler: Handler) -> None:
    existing = _HANDLERS.get(kind)
    if existing is not None and existing is not handler:
        raise ValueError(f"outbox kind {kind!r} already has a handler")
    _HANDLERS[kind] = handler


def outbox_put(*, kind: str, key: str, payload: dict[str, Any], study: Any = None) -> OutboxMessage:
    """Record the duty in the caller's transaction (once per key) and deliver it after commit."""
    if kind not in _HANDLERS:
        raise ValueError(f"no outbox handler for {kind!r}")
    message, created = OutboxMessage.objects.get_or_create(
        key=key, defaults={"kind": kind, "payload": payload, "study": study}
    )
    if created:
        transaction.on_commit(lambda: outbox_dispatch(message.pk))
    return message


@dataclass(frozen=True)
class Duty:
    """One message for `outbox_put_many`: the key that makes it once, and what the handler reads."""

    key: str
    payload: dict[str, Any]
    study: Any = None


def outbox_put_many(*, kind: str, duties: Iterable[Duty]) -> int:
    """`outbox_put` for many duties in a constant number of queries (a daily run that queues any
    number of reminders); returns how many were new.

    INSERT ... ON CONFLICT DO NOTHING on the unique key, then one read of which of the ids made up
    here were inserted: a duty another transaction already holds (a second worker) is left alone,
    and only the new ones are dispatched after commit.
    """
    if kind not in _HANDLERS:
        raise ValueError(f"no outbox handler for {kind!r}")
    rows = [OutboxMessage(kind=kind, key=d.key, payload=d.payload, study=d.study) for d in duties]
    if not rows:
        return 0
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    created = list(
        OutboxMessage.objects.filter(pk__in=[r.pk for r in rows]).values_list("pk", flat=True)
    )
    for pk in created:
        transaction.on_commit(lambda pk=pk: outbox_dispatch(pk))
    return len(created)


def outbox_dispatch(message_id: uuid.UUID | str) -> None:
    """Hand one message to a worker; a broker that does not answer leaves it to the sweep.

    Called after commit, so whatever happens here the record stays saved and the request answers.
    """
    from edc.tasks import outbox_deliver_task

    try:
        outbox_deliver_task.apply_async((str(message_id),), retry=False)
    except Exception:  # the broker's client raises many types; all mean "not queued now"
        logger.warning(
            "outbox message %s not queued (broker unavailable); the sweep will deliver it",
            message_id,
            exc_info=True,
        )


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the n-th failed attempt (exponential, capped)."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


@dataclass(frozen=True)
class Delivery:
    sent: bool
    retry_in: dt.timedelta | None = None  # set when a worker should try again after a failure


def outbox_deliver(message_id: uuid.UUID | str, *, now: dt.datetime) -> Delivery:
    """Deliver one message unless it is already sent; record a failure for a later attempt.

    The row is locked for the attempt: a second worker waits, then finds it sent.
    """
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.state == OutboxMessage.State.SENT:
            return Delivery(sent=False)
        message.attempts += 1
        try:
            with transaction.atomic():  # a failed handler leaves none of its writes behind
                _HANDLERS[message.kind](message)
        except NotDeliverable as exc:
            return _failed(message, exc, now=now, configuration=True)
        except Exception as exc:  # mail server, network: worth another attempt
            logger.warning("outbox message %s failed: %s", message.key, exc, exc_info=True)
            return _failed(message, exc, now=now, configuration=False)
        message.state = OutboxMessage.State.SENT
        message.sent_at = now
        message.last_error = ""
        message.waiting_for_configuration = False
        message.save()
    return Delivery(sent=True)


def _failed(
    message: OutboxMessage, exc: Exception, *, now: dt.datetime, configuration: bool
) -> Delivery:
    delay = retry_delay(message.attempts)
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    message.waiting_for_configuration = configuration
    message.next_attempt_at = now + delay
    message.save()
    # A configuration problem waits for the person who fixes it (outbox_release) or the sweep.
    return Delivery(sent=False, retry_in=None if configuration else delay)


def outbox_deliver_due(*, now: dt.datetime) -> int:
    """The sweep: deliver every pending message whose next attempt is due. Returns how many sent."""
    due = OutboxMessage.objects.filter(
        state=OutboxMessage.State.PENDING, next_attempt_at__lte=now
    ).order_by("next_attempt_at")
    ids = list(due.values_list("pk", flat=True)[:SWEEP_BATCH])
    return sum(outbox_deliver(pk, now=now).sent for pk in ids)


def outbox_release(*, kind: str, study: Any) -> int:
    """Someone fixed the configuration (a safety contact added): try the waiting messages now."""
    waiting = list(
        OutboxMessage.objects.filter(
            kind=kind, study=study, state=OutboxMessage.State.PENDING
        ).values_list("pk", flat=True)
    )
    OutboxMessage.objects.filter(pk__in=waiting).update(next_attempt_at=timezone.now())
    for pk in waiting:
        transaction.on_commit(lambda pk=pk: outbox_dispatch(pk))
    return len(waiting)


def outbox_messages_by_key(keys: Iterable[str]) -> dict[str, OutboxMessage]:
    """The messages of these duties, for pages that show delivery state (one query)."""
    return {m.key: m for m in OutboxMessage.objects.filter(key__in=list(keys))}
