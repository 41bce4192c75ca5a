"""The data queries in the API: the query pages' scope, each with its thread, filtered as the
query list is."""

import pytest

from edc.domain.query_workflow import QueryAction
from edc.roles import Role
from edc.services.data_queries import query_step
from tests.api.test_api_content import _list

pytestmark = pytest.mark.django_db


def test_investigator_reads_only_their_sites_queries(as_role, study, subjects):
    rows = _list(as_role("investigator@A"), study, "queries/")
    assert [row["subject"] for row in rows] == [str(subjects["A"].pk)]


def test_a_query_carries_its_thread_of_messages(as_role, study, subjects):
    (row,) = _list(as_role("investigator@A"), study, "queries/")
    assert [m["text"] for m in row["messages"]] == ["Please confirm the dose."]
    assert (row["crf_code"], row["field_name"], row["status"]) == ("prior_therapy", "dose", "open")


def test_the_status_filter_keeps_queries_of_that_status(as_role, study, subjects, member, site_b):
    query = subjects["B"].queries.get()
    investigator = member(Role.INVESTIGATOR, study_site=site_b)
    query_step(query, action=QueryAction.ANSWER, text="Confirmed.", actor=investigator)
    rows = _list(as_role("data_manager"), study, "queries/", status="answered")
    assert [row["id"] for row in rows] == [str(query.pk)]


def test_the_site_filter_keeps_that_sites_queries(as_role, study, subjects):
    site_b = subjects["B"].study_site_id
    rows = _list(as_role("data_manager"), study, "queries/", site=site_b)
    assert [row["subject"] for row in rows] == [str(subjects["B"].pk)]


def test_the_subject_filter_matches_part_of_the_screening_number(as_role, study, subjects):
    rows = _list(as_role("data_manager"), study, "queries/", subject="S02")
    assert [row["subject"] for row in rows] == [str(subjects["B"].pk)]


def test_the_origin_filter_keeps_manual_or_edit_check_queries(as_role, study, subjects):
    assert _list(as_role("data_manager"), study, "queries/", origin="system") == []


def test_an_unknown_status_is_a_bad_request(as_role, study, subjects):
    response = as_role("data_manager").get(
        f"/api/v1/studies/{study.registry_id}/queries/", {"status": "lost"}
    )
    assert response.status_code == 400


def test_the_audit_trail_of_a_subject_number_with_no_subject_is_empty(as_role, study, subjects):
    # Query messages reach their subject through the query: a nested lookup over no subject.
    assert _list(as_role("data_manager"), study, "audit-trail/", subject="S09-999") == []
