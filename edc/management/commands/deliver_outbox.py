"""Deliver the pending outbox messages now: the beat's sweep, for set-ups without a worker."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from edc.outbox import outbox_deliver_due


class Command(BaseCommand):
    help = "Deliver every pending outbox message that is due (what the beat task does)."

    def handle(self, *args, **options) -> None:
        sent = outbox_deliver_due(now=timezone.now())
        self.stdout.write(f"{sent} message(s) sent")
