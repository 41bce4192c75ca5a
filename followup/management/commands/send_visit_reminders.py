"""Record today's visit reminders and queue their e-mail: the beat task's run, for set-ups
without a worker (the embedded default delivers the e-mail in-process, eagerly)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from followup.reminders import visit_reminders_send


class Command(BaseCommand):
    help = "Record the visit reminders due today at each site and queue their e-mail."

    def handle(self, *args, **options) -> None:
        result = visit_reminders_send(now=timezone.now())
        self.stdout.write(
            f"{result.reminders} reminder(s) recorded, {result.emails} e-mail(s) queued"
        )
