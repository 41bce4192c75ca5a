"""`manage.py load_protocol FILE [FILE ...]`: load protocol definition files (idempotent)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from edc.audit import system_user
from edc.domain.protocol import ProtocolFileError
from edc.services.protocols import protocol_load


class Command(BaseCommand):
    help = "Load protocol definition files; a new version of a loaded protocol is an amendment."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, files, **options):
        actor = system_user()
        for path in files:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            try:
                result = protocol_load(path=path, actor=actor)
            except ProtocolFileError as exc:
                raise CommandError(str(exc)) from exc
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            version = result.protocol_version
            self.stdout.write(
                f"{path}: {version.study.registry_id} v{version.version} {result.outcome}"
            )
