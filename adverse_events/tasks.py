"""Celery entry points of the safety app: thin, idempotent, arguments are ids."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from adverse_events.sae import sae_list_unnotified, sae_notify


@shared_task(
    autoretry_for=(SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=8,
)
def sae_notify_task(ae_id: str) -> dict[str, object]:
    """Notify the safety contacts of one SAE; running it again sends nothing more."""
    return {"adverse_event": ae_id, "sent": sae_notify(ae_id, now=timezone.now())}


@shared_task
def sae_notify_pending_task() -> dict[str, object]:
    """Safety net on the beat: notify any SAE whose notification did not go out (a broker that
    was down when the event was saved, say)."""
    ids = [str(pk) for pk in sae_list_unnotified().values_list("pk", flat=True)]
    for ae_id in ids:
        sae_notify_task.delay(ae_id)
    return {"queued": len(ids)}
