"""Write a study's datasets to a directory in any format the Datasets page offers: the same
file, recorded the same way (who, when, rows and SHA-256 in the audit trail), so data managers
can script their data cuts and get the page's download byte for byte."""

import datetime as dt
import shutil
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from edc.audit import system_user
from edc.dataset_formats import COMMAND_FORMATS, ODM
from edc.datasets import DatasetExport, dataset_export_request, dataset_export_run
from edc.models import Study


def _moment(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class Command(BaseCommand):
    help = (
        "Export a study's de-identified datasets (csv, sdtm, xpt, json, define or odm), "
        "optionally as of a past moment."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--study", required=True, help="registry id, e.g. NCT07246096")
        parser.add_argument("--format", default="csv", choices=list(COMMAND_FORMATS))
        parser.add_argument("--out", required=True, type=Path, help="directory to write to")
        parser.add_argument(
            "--as-of", type=_moment, default=None, help="ISO date-time; UTC unless it says"
        )
        parser.add_argument(
            "--audit-records",
            action="store_true",
            help="odm only: each row's audit record and the forms' signatures",
        )

    def handle(self, *args, **options) -> None:
        try:
            study = Study.objects.get(registry_id=options["study"])
        except Study.DoesNotExist as exc:
            raise CommandError(f"no study {options['study']!r}") from exc
        kind = COMMAND_FORMATS[options["format"]]
        if options["audit_records"] and kind != ODM:
            raise CommandError("--audit-records is an option of --format odm only")
        try:
            export = dataset_export_request(
                study=study,
                actor=system_user(),
                as_of=options["as_of"],
                kind=kind,
                audit_records=options["audit_records"],
                enqueue=False,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        export = dataset_export_run(str(export.pk))
        if export.status != DatasetExport.Status.DONE:
            raise CommandError(f"export failed: {export.error}")
        options["out"].mkdir(parents=True, exist_ok=True)
        target = options["out"] / export.download_name
        with export.file.open("rb") as stored, target.open("wb") as out:
            shutil.copyfileobj(stored, out)
        self.stdout.write(f"{target} sha256={export.sha256}")
