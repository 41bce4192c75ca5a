"""Data locks: the data manager freezes a form, a visit, a subject's casebook or a whole site.

A `DataLock` row is the lock; unlocking stamps the same row (who, when, why), so the history of
a lock is its row's history, on the subject's audit trail (it has a `subject`). Which records a
lock covers is the rule of edc/domain/locks.py.

The refusal lives in one place, `refuse_locked_write`, a write guard of edc/audit.py: every
save of a subject-owned audited row (through a service, the admin, a task or a listener) and
every `audited_delete` passes it before anything is written, and it raises `DataLocked`, a
ValidationError that pages show on the form; the transaction around the write rolls back.

A race between a lock and a save is closed with PostgreSQL row locks: the lock service takes
FOR UPDATE on the subject rows it covers (all subjects of a site for a site lock, and the study
site row against new subjects); the guard takes FOR KEY SHARE on the record's subject (on the
study site for a new subject) before reading the locks. Either the lock waits for the save's
commit, or the save waits for the lock and then sees it. Saves do not block one another.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from edc.audit import AuditedModel
from edc.domain.locks import LockScope, LockTarget, RecordPlace, covers
from edc.time_display import zoned_text

LOCK_SCOPE_LABELS = {
    LockScope.FORM: gettext_lazy("Form"),
    LockScope.VISIT: gettext_lazy("Visit"),
    LockScope.SUBJECT: gettext_lazy("Subject's casebook"),
    LockScope.SITE: gettext_lazy("Whole site"),
}


class DataLockQuerySet(models.QuerySet):
    def active(self) -> DataLockQuerySet:
        return self.filter(unlocked_at__isnull=True)

    def covering(self, place: RecordPlace) -> DataLockQuerySet:
        """The active locks that could cover a record at `place` (one indexed query)."""
        below_site = Q(scope=LockScope.SUBJECT) | Q(
            scope=LockScope.VISIT, visit_code=place.visit_code
        )
        if place.crf_code:
            below_site |= Q(
                scope=LockScope.FORM, visit_code=place.visit_code, crf_code=place.crf_code
            )
        wanted = Q(scope=LockScope.SITE)
        if place.subject_id is not None:
            wanted |= Q(subject_id=place.subject_id) & below_site
        return self.active().filter(wanted, study_site_id=place.study_site_id)


class DataLock(AuditedModel):
    """One lock by the data manager, open until unlocked (with a reason)."""

    study = models.ForeignKey(
        "edc.Study",
        on_delete=models.PROTECT,
        related_name="data_locks",
        verbose_name=gettext_lazy("study"),
    )
    scope = models.CharField(
        gettext_lazy("scope"), max_length=10, choices=list(LOCK_SCOPE_LABELS.items())
    )
    study_site = models.ForeignKey(
        "edc.StudySite",
        on_delete=models.PROTECT,
        related_name="data_locks",
        verbose_name=gettext_lazy("study site"),
    )
    subject = models.ForeignKey(
        "edc.Subject",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="data_locks",
        verbose_name=gettext_lazy("subject"),
    )
    visit_code = models.CharField(gettext_lazy("visit"), max_length=20, blank=True)
    crf_code = models.CharField(gettext_lazy("form"), max_length=40, blank=True)
    reason = models.TextField(gettext_lazy("reason for locking"))
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("locked by"),
    )
    locked_at = models.DateTimeField(gettext_lazy("locked at"))
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("unlocked by"),
    )
    unlocked_at = models.DateTimeField(gettext_lazy("unlocked at"), null=True, blank=True)
    unlock_reason = models.TextField(gettext_lazy("reason for unlocking"), blank=True)

    objects = models.Manager.from_queryset(DataLockQuerySet)()

    class Meta:
        verbose_name = gettext_lazy("data lock")
        verbose_name_plural = gettext_lazy("data locks")
        ordering = ["-locked_at"]
        indexes = [
            # The guard's query on every save: the active locks of one site (and subject).
            models.Index(
                fields=["study_site", "subject"],
                condition=Q(unlocked_at__isnull=True),
                name="datalock_active_site_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.target_text()}"

    @property
    def target(self) -> LockTarget:
        return LockTarget(
            scope=LockScope(self.scope),
            study_site_id=self.study_site_id,
            subject_id=self.subject_id,
            visit_code=self.visit_code,
            crf_code=self.crf_code,
        )

    def target_text(self) -> str:
        """What is locked, in the reader's language ("visit D28 of 01-003")."""
        scope = LockScope(self.scope)
        if scope is LockScope.SITE:
            return _("site %(site)s") % {"site": self.study_site.site_number}
        params = {"subject": self.subject, "visit": self.visit_code, "crf": self.crf_code}
        if scope is LockScope.SUBJECT:
            return _("casebook of %(subject)s") % params
        if scope is LockScope.VISIT:
            return _("visit %(visit)s of %(subject)s") % params
        return _("form %(crf)s at visit %(visit)s of %(subject)s") % params


class DataLocked(ValidationError):
    """A write to data a lock covers: nothing is written, the message says who to ask."""

    def __init__(self, lock: DataLock) -> None:
        super().__init__(
            _(
                "This form is locked (%(what)s locked by %(user)s on %(when)s): ask the data "
                "manager to unlock it."
            )
            % {
                "what": lock.target_text(),
                "user": lock.locked_by.get_full_name() or lock.locked_by.get_username(),
                "when": zoned_text(lock.locked_at),
            },
            code="data_locked",
        )


def _place(instance: AuditedModel) -> tuple[RecordPlace, Any] | None:
    """Where a subject-owned row sits, and the row to hold against a lock (its subject; the
    study site for a new subject); None for a row of no subject or not attached yet."""
    from edc.audit_trail import subject_owned_models
    from edc.crfs import crf_code_for_model
    from edc.models import Subject

    owned = subject_owned_models().get(instance._meta.label_lower)
    if owned is None or isinstance(instance, DataLock):
        return None
    if isinstance(instance, Subject) and instance._state.adding:
        if instance.study_site_id is None:
            return None
        return RecordPlace(instance.study_site_id, None), instance.study_site
    chain: list[Any] = [instance]
    for name in filter(None, owned.path.split(".")):
        try:
            chain.append(getattr(chain[-1], name))
        except models.ObjectDoesNotExist:
            return None
        if chain[-1] is None:
            return None  # not attached to its subject yet (a form's blank instance)
    subject = chain[-1]
    holder = next((row for row in chain if hasattr(row, "visit_code")), subject)
    visit_code = getattr(holder, "visit_code", "")
    crf_code = crf_code_for_model(type(holder)) if visit_code else ""
    return RecordPlace(subject.study_site_id, subject.pk, visit_code, crf_code), subject


def _hold(row: models.Model) -> None:
    """FOR KEY SHARE on the row a lock service takes FOR UPDATE (see the module docstring)."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {row._meta.db_table} WHERE id = %s FOR KEY SHARE",
            [row.pk],
        )


def refuse_locked_write(instance: AuditedModel) -> None:
    """The write guard: refuse any write of a row that an active lock covers."""
    found = _place(instance)
    if found is None:
        return
    place, holder = found
    _hold(holder)
    lock = (
        DataLock.objects.covering(place).select_related("locked_by", "subject", "study_site")
    ).first()
    if lock is not None and covers(lock.target, place):
        raise DataLocked(lock)


def subject_locks(subject: Any) -> list[DataLock]:
    """The active locks that touch a subject's casebook (its own and its site's), one query."""
    return list(
        DataLock.objects.active()
        .filter(Q(subject=subject) | Q(scope=LockScope.SITE), study_site_id=subject.study_site_id)
        .select_related("locked_by", "subject", "study_site")
    )


def covering_lock(locks: Sequence[DataLock], place: RecordPlace) -> DataLock | None:
    """The first of `locks` that covers a record at `place` (no query)."""
    return next((lock for lock in locks if covers(lock.target, place)), None)
