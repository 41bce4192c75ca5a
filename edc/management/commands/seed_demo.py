"""`manage.py seed_demo [--password P]`: demo studies, users and subjects (idempotent)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from edc.demo import seed_demo

DEFAULT_PASSWORD = "demo-Password-2026"


class Command(BaseCommand):
    help = "Load both protocols and demo data with one user per role; prints the users."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD)

    def handle(self, *args, password, **options):
        users = seed_demo(password=password, today=timezone.localdate())
        self.stdout.write(self.style.SUCCESS(f"Demo users (password: {password}):"))
        self.stdout.write(f"  {'user':<15} {'role':<24} language of its pages")
        for username, role, language in users:
            self.stdout.write(f"  {username:<15} {role:<24} {language}")
