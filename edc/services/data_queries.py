"""Raising, answering, closing and reopening data queries; each step one transaction.

Who may take a step is decided by edc/domain/query_workflow.py from the actor's roles at the
subject's site; a refused step raises ValidationError and changes nothing. Every step appends a
message to the thread and, when the status changes, saves the query with the step as reason.
"""

from __future__ import annotations

import re
import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from edc.audit import audited_create, audited_update, system_user
from edc.data_queries import Query, QueryMessage
from edc.domain.query_workflow import (
    QueryAction,
    QueryActionRefused,
    QueryOrigin,
    QueryStatus,
    next_status,
)
from edc.models import Membership, Subject
from edc.roles import Perm, permissions_for

# The reasons the query's own history rows carry (the thread holds the words).
STEP_REASONS = {
    QueryAction.ANSWER: "Query answered",
    QueryAction.CLOSE: "Query closed",
    QueryAction.REOPEN: "Query reopened",
}
SYSTEM_CLOSE_REASON = "Query closed by its edit check"
# The step reasons in the reader's language on the audit trail (edc/audit_reasons.py).
REASONS = [
    (re.escape(STEP_REASONS[QueryAction.ANSWER]), gettext_lazy("Query answered")),
    (re.escape(STEP_REASONS[QueryAction.CLOSE]), gettext_lazy("Query closed")),
    (re.escape(STEP_REASONS[QueryAction.REOPEN]), gettext_lazy("Query reopened")),
    (re.escape(SYSTEM_CLOSE_REASON), gettext_lazy("Query closed by its edit check")),
]
CHECK_PASSES = gettext_noop("The edit check passes with the corrected data.")


def _in_chinese(text: str) -> str:
    """A system message's Chinese text, kept beside the English one in the thread."""
    with translation.override("zh-hans"):
        return _(text)


def site_roles(actor: AbstractBaseUser, subject: Subject) -> frozenset[str]:
    """The actor's active roles at the subject's site (or at every site of its study)."""
    return frozenset(
        Membership.objects.filter(user=actor, study_id=subject.study_id, is_active=True)
        .filter(Q(study_site__isnull=True) | Q(study_site_id=subject.study_site_id))
        .values_list("role", flat=True)
    )


def _answers(roles: frozenset[str]) -> bool:
    return any(Perm.ENTER_DATA in permissions_for(role) for role in roles)


def _message(query: Query, *, actor, role: str, action: str, text: str, text_zh: str = ""):
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a message.")})
    return audited_create(
        QueryMessage(
            query=query, author=actor, role=role, action=action, text=text, text_zh=text_zh
        ),
        actor=actor,
    )


@transaction.atomic
def query_raise(
    *,
    subject: Subject,
    visit_code: str,
    crf_code: str,
    field_name: str,
    text: str,
    actor: AbstractBaseUser,
    row_id: uuid.UUID | None = None,
) -> Query:
    """A monitor's or data manager's question on one field of a form."""
    roles = sorted(r for r in site_roles(actor, subject) if Perm.RAISE_QUERY in permissions_for(r))
    if not roles:
        raise ValidationError(_("Only monitors and data managers raise queries."))
    query = audited_create(
        Query(
            subject=subject,
            visit_code=visit_code,
            crf_code=crf_code,
            row_id=row_id,
            field_name=field_name,
            origin=QueryOrigin.MANUAL,
            raised_by=actor,
            raised_role=roles[0],
        ),
        actor=actor,
    )
    _message(query, actor=actor, role=roles[0], action="raise", text=text)
    return query


@transaction.atomic
def query_step(query: Query, *, action: QueryAction, text: str, actor: AbstractBaseUser) -> Query:
    """Answer, close, reopen or write in a query, as the actor's roles allow."""
    query = Query.objects.select_for_update().select_related("subject").get(pk=query.pk)
    roles = site_roles(actor, query.subject)
    try:
        status = next_status(
            action,
            status=QueryStatus(query.status),
            origin=QueryOrigin(query.origin),
            raised_role=query.raised_role,
            actor_roles=roles,
            actor_answers=_answers(roles),
        )
    except QueryActionRefused as exc:
        raise ValidationError(_("You cannot take this step on this query.")) from exc
    role = _acting_role(query, roles)
    _message(query, actor=actor, role=role, action=action, text=text)
    if status != query.status:
        query = audited_update(
            query,
            actor=actor,
            reason=STEP_REASONS[action],
            changes={"status": status},
            expected_version=None,
        )
    return query


def _acting_role(query: Query, roles: frozenset[str]) -> str:
    """The role a message is written in: the raising role if the actor holds it, else the site
    team's."""
    if query.raised_role in roles:
        return query.raised_role
    return sorted(roles)[0] if roles else ""


def system_query_open(
    *,
    subject: Subject,
    visit_code: str,
    crf_code: str,
    row_id: uuid.UUID,
    field_name: str,
    check_id: str,
    text: str,
    text_zh: str,
) -> Query:
    """An edit check's query on the field (the caller holds the form's transaction)."""
    actor = system_user()
    query = audited_create(
        Query(
            subject=subject,
            visit_code=visit_code,
            crf_code=crf_code,
            row_id=row_id,
            field_name=field_name,
            origin=QueryOrigin.SYSTEM,
            check_id=check_id,
            raised_by=actor,
        ),
        actor=actor,
    )
    _message(query, actor=actor, role="", action="raise", text=text, text_zh=text_zh)
    return query


def system_query_close(query: Query) -> Query:
    """The edit check passes now: its query closes with a message saying so."""
    actor = system_user()
    _message(
        query,
        actor=actor,
        role="",
        action=QueryAction.CLOSE,
        text=CHECK_PASSES,
        text_zh=_in_chinese(CHECK_PASSES),
    )
    return audited_update(
        query,
        actor=actor,
        reason=SYSTEM_CLOSE_REASON,
        changes={"status": QueryStatus.CLOSED},
        expected_version=None,
    )
