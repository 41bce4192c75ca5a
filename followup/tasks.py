"""Celery entry points of the follow-up: the daily visit reminders. Thin and idempotent."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from followup.reminders import visit_reminders_send


@shared_task(
    acks_late=True,
    ignore_result=True,
    # A database that failed mid-run (a deadlock, a failover) rolled the whole run back; the rerun
    # records what was due, and the unique reminders make a rerun after success send nothing.
    autoretry_for=(DatabaseError,),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_visit_reminders_task() -> int:
    """Record today's visit reminders at every site and queue their e-mail; returns how many."""
    return visit_reminders_send(now=timezone.now()).reminders
