"""Locking and unlocking data: the data manager's audited acts, each with a reason.

The locked rows are held FOR UPDATE while the lock is written, so a save running at that moment
either commits before the lock or waits and is refused (edc/locking.py).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from edc.audit import audited_create, audited_update
from edc.crfs import extra_visits
from edc.domain.locks import IncompleteLockTarget, LockScope, LockTarget, check_target
from edc.input_rules import clean_reason
from edc.locking import DataLock
from edc.models import Study, StudySite, Subject
from edc.selectors import protocol_definition
from edc.services.crfs import check_crf_at_visit

_MISSING = {
    "subject": gettext_lazy("Choose the subject."),
    "visit_code": gettext_lazy("Choose the visit."),
    "crf_code": gettext_lazy("Choose the form."),
}


def _check_visit(subject: Subject, visit_code: str) -> None:
    definition = protocol_definition(subject.study)
    known = {v.code for v in definition.visits} | {v.code for v in extra_visits(subject)}
    if visit_code not in known:
        raise ValidationError(
            {"visit_code": _("The protocol has no visit %(visit)s.") % {"visit": visit_code}}
        )


def _hold_covered_rows(study_site: StudySite, subject: Subject | None) -> None:
    StudySite.objects.select_for_update().get(pk=study_site.pk)
    rows = Subject.objects.filter(study_site=study_site)
    if subject is not None:
        rows = rows.filter(pk=subject.pk)
    list(rows.select_for_update().order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def data_lock(
    *,
    study: Study,
    scope: str,
    study_site: StudySite,
    actor: AbstractBaseUser,
    reason: str,
    subject: Subject | None = None,
    visit_code: str = "",
    crf_code: str = "",
) -> DataLock:
    """Lock a form, a visit, a subject's casebook or a whole site; a lock already in force on
    the same target is refused (unlock first)."""
    reason = clean_reason(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("A reason for locking is required.")})
    if study_site.study_id != study.pk or (
        subject is not None and subject.study_site != study_site
    ):
        raise ValidationError(_("The subject is not at this site of the study."))
    try:
        target = check_target(
            LockTarget(
                LockScope(scope), study_site.pk, getattr(subject, "pk", None), visit_code, crf_code
            )
        )
    except IncompleteLockTarget as exc:
        field = str(exc)
        raise ValidationError({field: _MISSING.get(field, _("Not part of this lock."))}) from exc
    if target.scope is LockScope.FORM:
        definition = protocol_definition(study)
        check_crf_at_visit(definition, visit_code=visit_code, crf_code=crf_code, subject=subject)
    elif target.scope is LockScope.VISIT:
        _check_visit(subject, visit_code)
    _hold_covered_rows(study_site, subject)
    same = DataLock.objects.active().filter(
        scope=target.scope,
        study_site=study_site,
        subject=subject,
        visit_code=visit_code,
        crf_code=crf_code,
    )
    if same.exists():
        raise ValidationError(_("This is locked already."))
    lock = DataLock(
        study=study,
        scope=target.scope,
        study_site=study_site,
        subject=subject,
        visit_code=visit_code,
        crf_code=crf_code,
        reason=reason,
        locked_by=actor,
        locked_at=timezone.now(),
    )
    return audited_create(lock, actor=actor, reason=reason)


@transaction.atomic
def data_unlock(lock: DataLock, *, actor: AbstractBaseUser, reason: str) -> DataLock:
    """End a lock; the reason is kept on the lock and in its history."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("A reason for unlocking is required.")})
    current = DataLock.objects.select_for_update().get(pk=lock.pk)
    if current.unlocked_at is not None:
        raise ValidationError(_("This lock has been lifted already."))
    return audited_update(
        current,
        actor=actor,
        reason=reason,
        changes={
            "unlocked_by": actor,
            "unlocked_at": timezone.now(),
            "unlock_reason": clean_reason(reason).strip(),
        },
        expected_version=None,
    )
