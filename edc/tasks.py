"""Celery entry points of the core: outbox delivery, dataset exports. Thin, idempotent,
arguments are ids."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from edc.datasets import dataset_export_run
from edc.outbox import outbox_deliver, outbox_deliver_due


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,  # a worker killed mid-delivery: the message goes to another
    ignore_result=True,  # nobody waits on it, and a dead result store must not block a request
    max_retries=None,  # the message stays pending until sent; the row, not Celery, keeps count
)
def outbox_deliver_task(self, message_id: str) -> None:
    """Deliver one outbox message; a failure is retried with backoff, a rerun sends nothing."""
    delivery = outbox_deliver(message_id, now=timezone.now())
    if delivery.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=delivery.retry_in.total_seconds())


@shared_task(acks_late=True, ignore_result=True)
def outbox_sweep_task() -> int:
    """The beat's safety net: deliver whatever is pending and due (a broker that was down when
    the record was saved, a mail server that failed, a contact added since)."""
    return outbox_deliver_due(now=timezone.now())


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def dataset_export_task(export_id: str) -> None:
    """Write one dataset export; its row holds the status, the result or the error."""
    dataset_export_run(export_id)
