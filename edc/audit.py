"""The audit trail base: every clinical row is history-tracked and every change carries a reason.

Who, when, the full row and why are written by django-simple-history on each save. Three rules
make that a trail a regulator can rely on (21 CFR 11.10(e), ICH E6(R3) 4.2.2):
- a change after first entry needs a reason: `AuditedModel.save` refuses one without, so no code
  path (service, admin, shell) can skip it;
- a save based on a stale version is refused (optimistic locking), so nobody silently overwrites
  a colleague's entry;
- no write skips history: the default manager refuses `update()`, `bulk_update()`,
  `bulk_create()` and `delete()` (they send no signal, so simple-history would write nothing or a
  row without user and reason), and `instance.delete()` refuses too;
- on PostgreSQL the history tables are append-only (edc/audit_sql.py);
- every save and `audited_delete` first asks the registered write guards (`register_write_guard`),
  so a rule that freezes data (a data lock, edc/locking.py) holds on every path at once.
Writes go through `audited_create` / `audited_update` / `audited_delete`, which set the actor and
the reason. Django's own machinery (saves, cascades, refresh) uses the plain base manager and is
unaffected; so are the historical models, which have simple-history's manager.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from edc import input_rules

INITIAL_ENTRY = "Initial entry"

M = TypeVar("M", bound="AuditedModel")

# Checks run before any write of an audited row; one raises to refuse it (a ValidationError the
# page shows). The core registers them in EdcConfig.ready(); none is a clinical app's.
_write_guards: list[Callable[[AuditedModel], None]] = []


def register_write_guard(guard: Callable[[AuditedModel], None]) -> None:
    if guard not in _write_guards:
        _write_guards.append(guard)


def _guard_write(instance: AuditedModel) -> None:
    for guard in _write_guards:
        guard(instance)


class ReasonRequired(ValidationError):
    """A change to saved data without a reason for change."""

    def __init__(self) -> None:
        super().__init__(
            {"reason": _("A reason for change is required to change saved data.")},
            code="reason_required",
        )


class StaleEdit(ValidationError):
    """A save based on a version of the row that someone else has changed since."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this record after you opened it. Nothing was saved: "
                "reload the page to see their change, then enter yours again."
            ),
            code="stale_edit",
        )


class DeletionRefused(ValidationError):
    """A deletion of a row whose model keeps every row (correct it or mark it instead)."""

    def __init__(self) -> None:
        super().__init__(
            _("Saved data of this kind cannot be deleted: correct it with a reason instead."),
            code="deletion_refused",
        )


class AuditBypass(Exception):
    """A write on an audited model that would leave no history row with user and reason.

    A programming error, never a user's: the message names the audited path to call instead.
    """

    def __init__(self, operation: str, audited_path: str) -> None:
        super().__init__(
            f"{operation} on an audited model skips the audit trail (no history row with user "
            f"and reason): use edc.audit.{audited_path} instead."
        )


class AuditedQuerySet(models.QuerySet):
    """A queryset whose bulk writes refuse: they bypass the signals that write history."""

    def update(self, **kwargs: Any) -> int:
        raise AuditBypass("QuerySet.update()", "audited_update()")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AuditBypass("QuerySet.bulk_update()", "audited_update() for each row")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        raise AuditBypass("QuerySet.bulk_create()", "audited_create() for each row")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditBypass("QuerySet.delete()", "audited_delete() for each row")

    update.alters_data = True  # type: ignore[attr-defined]
    bulk_update.alters_data = True  # type: ignore[attr-defined]
    bulk_create.alters_data = True  # type: ignore[attr-defined]
    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]  # as Django's: no Manager.delete()


AuditedManager = models.Manager.from_queryset(AuditedQuerySet)


class AuditedModel(models.Model):
    """Base for every clinical and reference row: UUID key, row version, full history."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    row_version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(inherit=True)
    objects = AuditedManager()

    # Whether `audited_delete` may remove a row of this model. Clinical data is kept and
    # corrected, so only a model whose service removes rows as part of a correction says True.
    deletable_with_reason: ClassVar[bool] = False

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        _guard_write(self)
        if not self._state.adding and not (getattr(self, "_change_reason", "") or "").strip():
            raise ReasonRequired()
        if getattr(self, "_change_reason", None):
            self._change_reason = input_rules.clean_reason(self._change_reason)
        super().save(*args, **kwargs)
        # A reason belongs to one save; never let it leak into the next one.
        self._change_reason = None
        self._stored_values = self._current_values()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditBypass("Model.delete()", "audited_delete()")

    delete.alters_data = True  # type: ignore[attr-defined]

    def clean_fields(self, exclude: Any = None) -> None:
        """Django's field checks plus the text rules (edc/input_rules.py), on every write path."""
        input_rules.clean_fields(self, exclude, super().clean_fields)

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> Any:
        row = super().from_db(db, field_names, values)
        row._stored_values = row._current_values()
        return row

    def _current_values(self) -> dict[str, Any]:
        # Deferred fields are not in __dict__: what was not loaded cannot be compared.
        return {
            f.attname: self.__dict__[f.attname]
            for f in self._meta.concrete_fields
            if f.attname in self.__dict__
        }

    def changed_fields(self) -> set[str]:
        """The fields whose value the next save changes against the stored row (their names,
        not attnames); every field when the row was not loaded from the database. Rules that
        must follow any change (a reviewed form's review undone) judge by it on every path."""
        stored = getattr(self, "_stored_values", None)
        fields = self._meta.concrete_fields
        if stored is None:
            return {f.name for f in fields}
        return {
            f.name
            for f in fields
            if f.attname in self.__dict__
            and (f.attname not in stored or stored[f.attname] != self.__dict__[f.attname])
        }


def system_user() -> AbstractBaseUser:
    """The account that Celery tasks and management commands act as in the audit trail."""
    user, _created = get_user_model().objects.get_or_create(
        username=settings.EDC_SYSTEM_USERNAME,
        defaults={"is_active": False, "first_name": "EDC", "last_name": "system"},
    )
    return user


def _stamp(instance: AuditedModel, *, actor: AbstractBaseUser, reason: str) -> None:
    instance._history_user = actor  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]


def audited_create(instance: M, *, actor: AbstractBaseUser, reason: str = INITIAL_ENTRY) -> M:
    """Validate and insert a new row, recording who entered it.

    Validation reads committed rows only: two users entering the same one-per-visit form at the
    same moment both pass it, and the unique constraint stops the second insert. That row is then
    validated again against the one that won, so its user gets the same clear ValidationError as
    for a later duplicate, never a 500.
    """
    instance.full_clean()
    _stamp(instance, actor=actor, reason=reason)
    try:
        with transaction.atomic():
            instance.save(force_insert=True)
    except IntegrityError:
        instance.validate_unique()
        instance.validate_constraints()
        raise
    return instance


@transaction.atomic
def audited_update(
    instance: M,
    *,
    actor: AbstractBaseUser,
    reason: str,
    changes: Mapping[str, Any],
    expected_version: int | None,
    before_save: Callable[[M], None] | None = None,
) -> M:
    """Change saved data: lock the row, refuse stale or reasonless edits, record the reason.

    `expected_version` is the version the user saw; None is for system transitions that hold the
    row lock and do not come from a form. `before_save` recomputes derived fields from the changed
    row, so a derived value can never disagree with what it is derived from.
    """
    if not (reason or "").strip():
        raise ReasonRequired()
    current = type(instance).objects.select_for_update().get(pk=instance.pk)
    if expected_version is not None and current.row_version != expected_version:
        raise StaleEdit()
    for field, value in changes.items():
        setattr(current, field, value)
    if before_save is not None:
        before_save(current)
    current.full_clean()
    current.row_version += 1
    _stamp(current, actor=actor, reason=reason.strip())
    current.save()
    return current


@transaction.atomic
def audited_delete(instance: AuditedModel, *, actor: AbstractBaseUser, reason: str) -> None:
    """Delete a row (and what cascades from it), each with a '-' history row naming who and why.

    Refused for a model that keeps its rows (`deletable_with_reason`), whether the row is deleted
    itself or by a cascade. This is Model.delete() with every collected row stamped first.
    """
    if not (reason or "").strip():
        raise ReasonRequired()
    collector = Collector(
        using=router.db_for_write(type(instance), instance=instance), origin=instance
    )
    collector.collect([instance])
    for model, rows in collector.data.items():
        if issubclass(model, AuditedModel) and not model.deletable_with_reason:
            raise DeletionRefused()
        for row in rows:
            if isinstance(row, AuditedModel):
                _guard_write(row)
            _stamp(row, actor=actor, reason=reason.strip())
    collector.delete()
