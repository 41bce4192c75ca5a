"""Saving case report forms: the one write path for every registered CRF."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from edc.audit import INITIAL_ENTRY, StaleEdit, audited_create, audited_update
from edc.crfs import CrfSpec, crf_listeners, extra_visits
from edc.domain.crf_status import CrfStatus
from edc.domain.protocol import ProtocolDefinition
from edc.edit_checks import run_edit_checks
from edc.form_review import form_parts_changed
from edc.models import CrfModel, Subject
from edc.selectors import protocol_definition
from edc.subject_conditions import conditions_met
from edc.submissions import claim_submission


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
    """Correct a saved form: reason and the version the user saw are required. A change undoes
    verification and signature and a locked form cannot change (CrfModel.save, on every path);
    a change to the form's child rows alone undoes them here (edc/form_review.py)."""

    def prepare(current: CrfModel) -> None:
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
        if spec.save_children is not None and spec.save_children(
            instance, children or {}, actor=actor, reason=reason
        ):
            instance = form_parts_changed(instance, actor=actor, reason=reason)
        _after_save(spec, instance, actor)
    return instance
