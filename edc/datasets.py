"""Dataset exports: the record of each export (who, when, what, as of when, rows and SHA-256 of
every file) and the services that request and run one.

An export is an audited row, so the audit trail holds who asked for which data cut and what it
contained; the file is kept in the default storage (MEDIA_ROOT) and downloaded again byte for
byte. The work runs in a Celery task after the request's commit (eagerly without Redis); the row
is the durable record of it, and a failure is written on the row, never shown as a 500.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import tempfile
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from edc import dataset_formats as formats
from edc.audit import AuditedModel, audited_create, audited_update, system_user
from edc.deidentify import export_privacy
from edc.models import Study

logger = logging.getLogger(__name__)
# The reasons the export services write, in the reader's language on the audit trail.
REASONS = [
    ("Export started", _("Export started")),
    ("Export progress", _("Export progress")),
    ("Export finished", _("Export finished")),
    ("Export failed", _("Export failed")),
    ("Export not queued", _("Export not queued")),
    ("Dataset downloaded", _("Dataset downloaded")),
]
# Enough for a traceback's last line and its message; the full traceback goes to the log.
ERROR_LIMIT = 2000


class DatasetExport(AuditedModel):
    class Kind(models.TextChoices):
        ANALYSIS_CSV = formats.CSV, _("Analysis CSV with data dictionary")
        SDTM = formats.SDTM, _("SDTM: XPORT, Dataset-JSON and define.xml")
        XPT = formats.XPT, _("SDTM as SAS XPORT v5")
        DATASET_JSON = formats.DATASET_JSON, _("SDTM as Dataset-JSON v1.1")
        DEFINE = formats.DEFINE, _("Define-XML 2.1 of the SDTM datasets")
        ODM = formats.ODM, _("CDISC ODM 1.3.2 (metadata and clinical data)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="dataset_exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dataset_exports"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    as_of = models.DateTimeField(_("data as of"))
    # ODM only: each form row's and repeating row's AuditRecord, and signed forms' Signature.
    audit_records = models.BooleanField(_("with audit records"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    files_done = models.PositiveSmallIntegerField(default=0)
    files_total = models.PositiveSmallIntegerField(default=0)
    # [{"name": ..., "rows": ..., "sha256": ...}] of every file in the zip.
    files = models.JSONField(default=list, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    file = models.FileField(upload_to="dataset-exports/", max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Each download is a change of this count by the user who downloaded, so the audit trail
    # holds who took which data cut away and when.
    download_count = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        verbose_name = _("dataset export")
        verbose_name_plural = _("dataset exports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["study", "-created_at"], name="dataset_export_study")]

    def __str__(self) -> str:
        return f"{self.study.registry_id} {self.kind} as of {self.as_of:%Y-%m-%d %H:%M}"

    @property
    def progress_pct(self) -> int:
        return round(100 * self.files_done / self.files_total) if self.files_total else 0

    @property
    def download_name(self) -> str:
        extension = formats.export_file(self.kind).extension
        moment = self.as_of.astimezone(dt.UTC)
        return f"{self.study.study_code}-{self.kind}-{moment:%Y%m%dT%H%M%SZ}.{extension}"

    @property
    def content_type(self) -> str:
        return formats.export_file(self.kind).content_type


def dataset_export_request(
    *,
    study: Study,
    actor: AbstractBaseUser,
    as_of: dt.datetime | None = None,
    kind: str = DatasetExport.Kind.ANALYSIS_CSV,
    audit_records: bool = False,
    enqueue: bool = True,
) -> DatasetExport:
    """Record an export of the study's data in format `kind` as of `as_of` (default: now) and
    queue it once the record is committed (`enqueue=False`: the caller runs it, as the command
    line does). A moment in the future has no data yet and is refused; audit records are an
    option of ODM only."""
    now = timezone.now()
    if as_of is not None and as_of > now:
        raise ValidationError({"as_of": _("Choose a moment in the past: the future has no data.")})
    if kind not in DatasetExport.Kind.values:
        raise ValidationError({"kind": _("Choose one of the formats offered.")})
    if audit_records and kind != DatasetExport.Kind.ODM:
        raise ValidationError(
            {"audit_records": _("Audit records are part of the ODM format only.")}
        )
    with transaction.atomic():
        export = audited_create(
            DatasetExport(
                study=study,
                requested_by=actor,
                kind=kind,
                as_of=as_of or now,
                audit_records=audit_records,
                files_total=formats.file_count(kind),
            ),
            actor=actor,
        )
        if enqueue:
            transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def dataset_export_downloaded(export: DatasetExport, *, actor: AbstractBaseUser) -> DatasetExport:
    """Record that `actor` downloads the export's file (one history row per download)."""
    with transaction.atomic():
        current = DatasetExport.objects.select_for_update().get(pk=export.pk)
        return audited_update(
            current,
            actor=actor,
            reason="Dataset downloaded",
            changes={"download_count": current.download_count + 1},
            expected_version=None,
        )


def _enqueue(export_id: uuid.UUID) -> None:
    """Hand the export to a worker; a broker that is down fails the export with that reason on
    its row (the user starts it again), never the request that asked for it."""
    from edc.tasks import dataset_export_task  # the task module imports this one

    try:
        dataset_export_task.apply_async((str(export_id),), retry=False)
    except Exception as exc:  # the broker's client raises many types; all mean "not queued"
        logger.warning("dataset export %s not queued", export_id, exc_info=True)
        _set(
            DatasetExport.objects.get(pk=export_id),
            "Export not queued",
            status=DatasetExport.Status.FAILED,
            error=f"Not queued (task broker unavailable): {type(exc).__name__}: {exc}"[
                :ERROR_LIMIT
            ],
            finished_at=timezone.now(),
        )


def _set(export: DatasetExport, reason: str, **changes: object) -> DatasetExport:
    return audited_update(
        export, actor=system_user(), reason=reason, changes=changes, expected_version=None
    )


def dataset_export_run(export_id: str) -> DatasetExport:
    """Write the export's file, store it and record each file's rows and SHA-256. A finished
    export is left as it is (a redelivered task writes nothing twice); a failure is recorded
    with its error."""
    export = DatasetExport.objects.select_related("study").get(pk=export_id)
    if export.status in (DatasetExport.Status.DONE, DatasetExport.Status.FAILED):
        return export
    export = _set(export, "Export started", status=DatasetExport.Status.RUNNING, files_done=0)
    try:
        privacy = export_privacy(export.study)
        with tempfile.TemporaryFile() as target:

            def progress(done: int) -> None:
                nonlocal export
                export = _set(export, "Export progress", files_done=done)

            written = formats.write_export(
                target,
                kind=export.kind,
                study=export.study,
                as_of=export.as_of,
                privacy=privacy,
                audit_records=export.audit_records,
                progress=progress,
            )
            target.seek(0)
            digest = hashlib.file_digest(target, "sha256").hexdigest()
            target.seek(0)
            name = default_storage.save(
                f"dataset-exports/{export.pk}/{export.download_name}", File(target)
            )
    except Exception as exc:  # any failure is the export's result, shown on its row
        logger.exception("dataset export %s failed", export.pk)
        return _set(
            export,
            "Export failed",
            status=DatasetExport.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:ERROR_LIMIT],
            finished_at=timezone.now(),
        )
    return _set(
        export,
        "Export finished",
        status=DatasetExport.Status.DONE,
        files=[{"name": f.name, "rows": f.rows, "sha256": f.sha256} for f in written],
        sha256=digest,
        file=name,
        finished_at=timezone.now(),
    )
