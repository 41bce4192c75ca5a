"""Saving case report forms: the one write path for every registered CRF."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edc.audit import INITIAL_ENTRY, StaleEdit, audited_create, audited_update
from edc.crfs import CrfSpec, crf_listeners, extra_visits
from edc.domain.crf_status import CrfLocked, CrfStatus, status_after_edit
from edc.domain.protocol import ProtocolDefinition
from edc.edit_checks import run_edit_checks
from edc.models import CrfModel, Subject
from edc.sdv import drop_after_change
from edc.selectors import protocol_definition
from edc.signatures import invalidate_after_change
from edc.subject_conditions import conditions_met
from edc.submissions import claim_submission


def _undo_review(spec: CrfSpec, instance: CrfModel, *, actor, reason: str) -> None:
    """A correction undoes the monitor's marks on what it changed and every signature of the
    form (edc/sdv.py, edc/signatures.py), in the correction's transaction."""
    new, old = instance.history.order_by("-history_id")[:2]
    changed = new.diff_against(old).changed_fields
    now = timezone.now()
    drop_after_change(instance, changed_fields=changed, actor=actor, reason=reason, now=now)
    invalidate_after_change(instance, crf_code=spec.code, actor=actor, reason=reason, now=now)


def _after_save(spec: CrfSpec, instance: CrfModel, actor: AbstractBaseUser) -> None:
    if spec.on_save is not None:
        spec.on_save(instance, actor=actor)
    for listener in crf_listeners(spec.code):
        listener(instance, actor=actor)
    # Last, on the row as the listeners left it (derived doses, dates).
    run_edit_checks(spec.code, instance, protocol_definition(instance.subject.study))


def check_crf_at_visit(
    definition: ProtocolDefinition, *, visit_code: str, crf_code: str, subject: Subject
) -> None:
    """Refuse a form the protocol does not schedule at that visit for the subject's stratum (a
    lupus subject has no skin score), nor an unscheduled visit of the subject chose."""
    visit = next((v for v in definition.visits if v.code == visit_code), None)
    if visit is not None:
        allowed = definition.visit_crfs(visit, subject.stratum.code, conditions_met(subject))
    else:
        extra = next((v for v in extra_visits(subject) if v.code == visit_code), None)
        allowed = extra.crfs if extra is not None else ()
    if crf_code not in allowed:
        raise ValidationError(
            _("The protocol has no form %(crf)s at visit %(visit)s.")
            % {"crf": crf_code, "visit": visit_code}
        )


@transaction.atomic
def crf_create(
    *,
    spec: CrfSpec,
    subject: Subject,
    visit_code: str,
    data: dict[str, Any],
    actor: AbstractBaseUser,
    children: dict[str, Any] | None = None,
    submission_token: uuid.UUID | None = None,
) -> CrfModel:
    """Enter a new form; derived fields are computed here, never typed.

    `submission_token` is the page's once-only token: a second submission of the same page
    raises DuplicateSubmission and enters nothing. A one-per-visit form that someone else
    entered meanwhile (after this user opened the empty page, or at the same moment) is refused
    as a stale edit: this user never saw that entry.
    """
    claim_submission(submission_token, actor=actor)
    instance = spec.model(subject=subject, visit_code=visit_code, **data)
    if spec.derive is not None:
        spec.derive(instance)
    instance.status = CrfStatus.COMPLETE
    try:
        instance = audited_create(instance, actor=actor)
    except ValidationError as exc:
        rows = spec.model.objects.filter(subject=subject, visit_code=visit_code)
        if not spec.repeating and rows.exists():
            raise StaleEdit() from exc
        raise
    if spec.save_children is not None:
        spec.save_children(instance, children or {}, actor=actor, reason=INITIAL_ENTRY)
    if spec.on_create is not None:
        spec.on_create(instance, actor=actor)
    _after_save(spec, instance, actor)
    return instance


def crf_update(
    instance: CrfModel,
    *,
    spec: CrfSpec,
    data: dict[str, Any],
    reason: str,
    expected_version: int,
    actor: AbstractBaseUser,
    children: dict[str, Any] | None = None,
) -> CrfModel:
    """Correct a saved form: reason and the version the user saw are required; an edit undoes
    verification and signature (and says so on the form), and a locked form cannot change."""

    def prepare(current: CrfModel) -> None:
        # Judged on the row as locked in this transaction, not on the caller's copy.
        try:
            current.status = status_after_edit(current.status).value
        except CrfLocked as exc:
            raise ValidationError(
                _("This form is locked; ask the data manager to unlock it.")
            ) from exc
        if spec.derive is not None:
            spec.derive(current)

    with transaction.atomic():
        instance = audited_update(
            instance,
            actor=actor,
            reason=reason,
            changes=data,
            expected_version=expected_version,
            before_save=prepare,
        )
        if spec.save_children is not None:
            spec.save_children(instance, children or {}, actor=actor, reason=reason)
        _undo_review(spec, instance, actor=actor, reason=reason)
        _after_save(spec, instance, actor)
    return instance
