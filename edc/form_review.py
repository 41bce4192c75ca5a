"""What a change to a reviewed form undoes: the monitor's marks and the signatures covering it.

`CrfModel.save` calls `undo_review` whenever a save changes a form's data, so every write path
(the CRF service, a service re-deriving a date, the admin, a task, the shell) undoes a review in
the change's own transaction. A form's child rows (a lab panel's results, the doses of a
lymphodepletion course) are the form's data too: `form_parts_changed` sends the form back after
they change, since the form row itself may not.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from edc.audit import audited_update
from edc.crfs import crf_code_for_model
from edc.domain.crf_status import CrfStatus, status_after_edit
from edc.models import CrfModel
from edc.sdv import drop_after_change
from edc.signatures import invalidate_after_change

REVIEWED = frozenset({CrfStatus.VERIFIED, CrfStatus.SIGNED})


def undo_review(
    form: CrfModel, *, changed_fields: Iterable[str], actor: AbstractBaseUser, reason: str
) -> None:
    """Drop the whole-form mark and the marks of the changed fields, and invalidate every valid
    signature covering the form (edc/sdv.py, edc/signatures.py)."""
    now = timezone.now()
    drop_after_change(form, changed_fields=changed_fields, actor=actor, reason=reason, now=now)
    invalidate_after_change(
        form, crf_code=crf_code_for_model(type(form)), actor=actor, reason=reason, now=now
    )


def form_parts_changed(form: CrfModel, *, actor: AbstractBaseUser, reason: str) -> CrfModel:
    """The form's child rows changed: a reviewed form goes back to complete and its whole-form
    mark and signatures are undone (the field marks stand: no field of the form row changed)."""
    if CrfStatus(form.status) in REVIEWED:
        form = audited_update(
            form,
            actor=actor,
            reason=reason,
            changes={"status": status_after_edit(form.status).value},
            expected_version=None,
        )
    undo_review(form, changed_fields=(), actor=actor, reason=reason)
    return form
