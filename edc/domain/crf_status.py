"""The status of a case report form and who may move it, in one place.

Data entry produces drafts and completes them; monitoring verifies against source, the principal
investigator signs and the data manager locks. A locked form cannot change; any correction to a
verified or signed form reopens it to `complete` (the edit invalidates the verification/signature).

A data lock (edc/domain/locks.py) is not stored here: the form keeps its workflow status and
*shows* `locked` while a lock covers it (`effective_status`), so unlocking gives back exactly the
status it had; the refusal of edits under a lock is the write guard of edc/locking.py.
"""

from __future__ import annotations

from enum import StrEnum


class CrfStatus(StrEnum):
    DRAFT = "draft"
    COMPLETE = "complete"
    VERIFIED = "verified"
    SIGNED = "signed"
    LOCKED = "locked"


CRF_TRANSITIONS: dict[CrfStatus, frozenset[CrfStatus]] = {
    CrfStatus.DRAFT: frozenset({CrfStatus.DRAFT, CrfStatus.COMPLETE}),
    CrfStatus.COMPLETE: frozenset({CrfStatus.COMPLETE, CrfStatus.VERIFIED, CrfStatus.SIGNED}),
    CrfStatus.VERIFIED: frozenset({CrfStatus.COMPLETE, CrfStatus.SIGNED}),
    # Back to verified when a signature covering the form is invalidated by a change elsewhere.
    CrfStatus.SIGNED: frozenset({CrfStatus.COMPLETE, CrfStatus.VERIFIED, CrfStatus.LOCKED}),
    CrfStatus.LOCKED: frozenset({CrfStatus.SIGNED}),  # unlock is a data manager's audited act
}


class CrfLocked(ValueError):
    """An edit to a locked form."""


class IllegalCrfTransition(ValueError):
    """A form status change the workflow does not allow."""


def status_after_edit(current: str) -> CrfStatus:
    """The status a form takes when its data are changed: edits undo verification and signature."""
    status = CrfStatus(current)
    if status is CrfStatus.LOCKED:
        raise CrfLocked("status: this form is locked; ask the data manager to unlock it")
    return CrfStatus.DRAFT if status is CrfStatus.DRAFT else CrfStatus.COMPLETE


def status_after_unsigning(*, source_verified: bool) -> CrfStatus:
    """The status of an unchanged form whose signature a change to another covered form undid:
    the verification still holds, the approval does not."""
    return CrfStatus.VERIFIED if source_verified else CrfStatus.COMPLETE


def check_crf_transition(current: str, target: str) -> CrfStatus:
    source, goal = CrfStatus(current), CrfStatus(target)
    if goal not in CRF_TRANSITIONS[source]:
        raise IllegalCrfTransition(f"status: a {source.value} form cannot become {goal.value}")
    return goal
