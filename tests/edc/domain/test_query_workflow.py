"""Who answers, closes and reopens a query (edc/domain/query_workflow.py)."""

import pytest

from edc.domain.query_workflow import (
    QueryAction,
    QueryActionRefused,
    QueryOrigin,
    QueryStatus,
    next_status,
)


def _step(action, status, actor_roles, *, origin=QueryOrigin.MANUAL, answers=False):
    return next_status(
        action,
        status=status,
        origin=origin,
        raised_role="monitor",
        actor_roles=frozenset(actor_roles),
        actor_answers=answers,
    )


def test_the_site_team_answers_an_open_query():
    assert _step(QueryAction.ANSWER, QueryStatus.OPEN, {"investigator"}, answers=True) == "answered"


def test_a_monitor_does_not_answer_a_query():
    with pytest.raises(QueryActionRefused):
        _step(QueryAction.ANSWER, QueryStatus.OPEN, {"monitor"})


def test_an_investigator_cannot_close_a_monitors_query():
    with pytest.raises(QueryActionRefused):
        _step(QueryAction.CLOSE, QueryStatus.ANSWERED, {"investigator"}, answers=True)


def test_a_data_manager_cannot_close_a_monitors_query():
    with pytest.raises(QueryActionRefused):
        _step(QueryAction.CLOSE, QueryStatus.ANSWERED, {"data_manager"})


def test_the_monitor_closes_their_answered_query():
    assert _step(QueryAction.CLOSE, QueryStatus.ANSWERED, {"monitor"}) == "closed"


def test_the_monitor_reopens_a_closed_query():
    assert _step(QueryAction.REOPEN, QueryStatus.CLOSED, {"monitor"}) == "open"


def test_a_data_manager_closes_an_edit_checks_query():
    status = _step(QueryAction.CLOSE, QueryStatus.OPEN, {"data_manager"}, origin="system")
    assert status == "closed"


def test_a_closed_query_takes_no_message():
    with pytest.raises(QueryActionRefused):
        _step(QueryAction.MESSAGE, QueryStatus.CLOSED, {"monitor"})
