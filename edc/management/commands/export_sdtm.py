"""`manage.py export_sdtm REGISTRY_ID OUTDIR [--format xpt|json|both]`: write each SDTM domain
and the define.xml (Define-XML 2.1) that describes them.

A domain that breaks the XPORT v5 limits (a label over 40 characters, a value over 200, text
that is not ASCII) stops the export with every problem named by dataset, variable and row.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from edc.domain.sdtm import SdtmError
from edc.models import Study
from edc.sdtm import FORMATS, export_sdtm

CHOICES = {"xpt": ("xpt",), "json": ("json",), "both": FORMATS}


class Command(BaseCommand):
    help = "Write the study's SDTM domains (XPORT v5 and/or Dataset-JSON v1.1) and define.xml."

    def add_arguments(self, parser):
        parser.add_argument("registry_id")
        parser.add_argument("outdir", type=Path)
        parser.add_argument("--format", choices=sorted(CHOICES), default="both")

    def handle(self, *args, registry_id, outdir, format, **options):
        study = Study.objects.filter(registry_id=registry_id).first()
        if study is None:
            raise CommandError(f"no study with registry id {registry_id!r}")
        try:
            written = export_sdtm(study, outdir, CHOICES[format])
        except SdtmError as exc:
            raise CommandError(f"SDTM export refused: {exc}") from exc
        for path in written:
            self.stdout.write(str(path))
