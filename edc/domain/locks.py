"""What a data lock covers: a form of a visit, a visit, a subject's casebook or a whole site.

A lock is the data manager's act that freezes data (ICH E6(R3) 4.2.2: data must not change after
review without trace). Its scope decides which records it covers; the record side is what every
write knows about itself (its site, subject, visit and form). Plain Python so the rule is read
and tested on its own; edc/locking.py applies it on every write and in the casebook.

The lock and the form status: a lock does not rewrite the form's stored status (draft, complete,
verified, signed stay as the workflow left them); a covered form *shows* `locked`
(`effective_status`). Unlocking therefore restores exactly the status the form had, a form
entered later at a locked visit is covered too, and locking a whole site writes one row instead
of a history row on every form.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from edc.domain.crf_status import CrfStatus


class LockScope(StrEnum):
    FORM = "form"
    VISIT = "visit"
    SUBJECT = "subject"
    SITE = "site"


@dataclass(frozen=True)
class LockTarget:
    """What a lock names: always the site; the subject below site scope; the visit for form and
    visit scopes; the form code for form scope."""

    scope: LockScope
    study_site_id: object
    subject_id: object | None = None
    visit_code: str = ""
    crf_code: str = ""


@dataclass(frozen=True)
class RecordPlace:
    """Where a record sits: a subject's row has no visit, a form child takes its form's."""

    study_site_id: object
    subject_id: object | None
    visit_code: str = ""
    crf_code: str = ""


class IncompleteLockTarget(ValueError):
    """A lock without the parts its scope needs (a visit lock without a visit)."""


def check_target(target: LockTarget) -> LockTarget:
    """Refuse a target missing what its scope names, or naming more than it (a site lock with a
    subject would read as a subject lock)."""
    needs_subject = target.scope is not LockScope.SITE
    needs_visit = target.scope in (LockScope.FORM, LockScope.VISIT)
    needs_form = target.scope is LockScope.FORM
    if (target.subject_id is not None) != needs_subject:
        raise IncompleteLockTarget("subject")
    if bool(target.visit_code) != needs_visit:
        raise IncompleteLockTarget("visit_code")
    if bool(target.crf_code) != needs_form:
        raise IncompleteLockTarget("crf_code")
    return target


def covers(target: LockTarget, place: RecordPlace) -> bool:
    """Whether a lock freezes a record at `place`."""
    if target.study_site_id != place.study_site_id:
        return False
    if target.scope is LockScope.SITE:
        return True
    if target.subject_id != place.subject_id:
        return False
    if target.scope is LockScope.SUBJECT:
        return True
    if target.visit_code != place.visit_code:
        return False
    return target.scope is LockScope.VISIT or target.crf_code == place.crf_code


def effective_status(stored: str, *, locked: bool) -> CrfStatus:
    """The status a form shows: `locked` while a lock covers it, else its stored status."""
    return CrfStatus.LOCKED if locked else CrfStatus(stored)
