"""`manage.py seed_demo [--password P]`: demo studies, users and subjects (idempotent)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from edc.demo import seed_demo

DEFAULT_PASSWORD = "demo-Password-2026"


class Command(BaseCommand):
    help = "Load both protocols and demo data with one user per role; prints the users."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD)

    def handle(self, *args, password, **options):
        try:
            users = seed_demo(password=password, today=timezone.localdate())
        except ValidationError as exc:
            if "different content" not in str(exc):
                raise
            # A demo database made from an earlier revision of the protocol files: the demo
            # cannot amend a protocol whose version number stayed the same.
            raise CommandError(
                f"{' '.join(exc.messages)}\nThis demo database was seeded from an earlier "
                "revision of the protocol files. Start the demo afresh: delete db.sqlite3 (or "
                "drop the PostgreSQL database) and run `make run` again."
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"Demo users (password: {password}):"))
        self.stdout.write(f"  {'user':<15} {'role':<24} language of its pages")
        for username, role, language in users:
            self.stdout.write(f"  {username:<15} {role:<24} {language}")
