"""Who may do what to a data query, and the status each step leaves it in.

A query is raised on one field (by an edit check, or by a monitor or data manager), answered by
the site team, and closed or reopened only by the role that raised it: the monitor's query is the
monitor's to close, never the investigator's. A query an edit check opened is closed by the
check itself when a later save passes it, or by a data manager. Roles are the role codes of
edc/roles.py, passed in as plain strings.
"""

from __future__ import annotations

from enum import StrEnum

SYSTEM_CLOSER_ROLE = "data_manager"


class QueryStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


class QueryOrigin(StrEnum):
    SYSTEM = "system"
    MANUAL = "manual"


class QueryAction(StrEnum):
    ANSWER = "answer"
    CLOSE = "close"
    REOPEN = "reopen"
    MESSAGE = "message"


class QueryActionRefused(Exception):
    """A step the actor's roles or the query's status do not allow."""


def owner_role(origin: QueryOrigin, raised_role: str) -> str:
    """The role that closes and reopens a query."""
    return SYSTEM_CLOSER_ROLE if origin == QueryOrigin.SYSTEM else raised_role


def next_status(
    action: QueryAction,
    *,
    status: QueryStatus,
    origin: QueryOrigin,
    raised_role: str,
    actor_roles: frozenset[str],
    actor_answers: bool,
) -> QueryStatus:
    """The status after `action`, or QueryActionRefused.

    `actor_roles` are the actor's roles at the subject's site; `actor_answers` whether one of
    them is the site team's (may enter data).
    """
    owns = owner_role(origin, raised_role) in actor_roles
    if action == QueryAction.ANSWER:
        if not actor_answers:
            raise QueryActionRefused("only the site team answers a query")
        if status != QueryStatus.OPEN:
            raise QueryActionRefused("only an open query can be answered")
        return QueryStatus.ANSWERED
    if action == QueryAction.CLOSE:
        if not owns:
            raise QueryActionRefused("only the raising role closes a query")
        if status == QueryStatus.CLOSED:
            raise QueryActionRefused("the query is already closed")
        return QueryStatus.CLOSED
    if action == QueryAction.REOPEN:
        if not owns:
            raise QueryActionRefused("only the raising role reopens a query")
        if status == QueryStatus.OPEN:
            raise QueryActionRefused("the query is already open")
        return QueryStatus.OPEN
    if status == QueryStatus.CLOSED:
        raise QueryActionRefused("a closed query takes no messages; reopen it first")
    if not (owns or actor_answers):
        raise QueryActionRefused("only the site team and the raising role write in a query")
    return status


def allowed_actions(
    *,
    status: QueryStatus,
    origin: QueryOrigin,
    raised_role: str,
    actor_roles: frozenset[str],
    actor_answers: bool,
) -> list[QueryAction]:
    """The steps the page offers this actor."""
    allowed = []
    for action in QueryAction:
        try:
            next_status(
                action,
                status=status,
                origin=origin,
                raised_role=raised_role,
                actor_roles=actor_roles,
                actor_answers=actor_answers,
            )
        except QueryActionRefused:
            continue
        allowed.append(action)
    return allowed
