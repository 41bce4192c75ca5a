"""The access log page and its CSV, for data managers and administrators."""

import csv
import io

import pytest
from django.urls import reverse

from edc.access_log import AccessLog
from edc.roles import Role

pytestmark = pytest.mark.django_db


def _entries(n, **fields):
    AccessLog.objects.bulk_create(
        AccessLog(kind=fields.get("kind", "login_failed"), username=fields.get("username", f"u{i}"))
        for i in range(n)
    )


@pytest.fixture
def data_manager(client, member):
    user = member(Role.DATA_MANAGER)
    client.force_login(user)
    return user


def test_the_page_lists_failed_log_ins_with_the_user_name_tried(client, data_manager):
    _entries(1, username="mallory")
    page = client.get(reverse("edc:access-log")).content.decode()
    assert "mallory" in page
    assert "Failed log-in" in page


def test_the_page_filters_by_kind_and_user_name(client, data_manager):
    _entries(1, username="mallory")
    _entries(1, username="eve", kind="logout")
    response = client.get(reverse("edc:access-log"), {"kind": "logout", "username": "ev"})
    assert [e.username for e in response.context["page"]] == ["eve"]


def test_an_impossible_date_filter_is_an_error_on_its_field(client, data_manager):
    response = client.get(reverse("edc:access-log"), {"date_from": "2026-02-30"})
    assert response.status_code == 200
    assert response.context["form"].errors["date_from"]


def test_the_page_runs_the_same_few_queries_for_few_and_many_entries(
    client, data_manager, django_assert_max_num_queries
):
    counts = []
    for rows in (60, 600):
        _entries(rows)
        with django_assert_max_num_queries(15) as queries:
            client.get(reverse("edc:access-log"), {"page": 2})
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_csv_neutralises_spreadsheet_formulas(client, data_manager):
    _entries(1, username='=HYPERLINK("http://x")')
    _entries(1, username="@SUM(A1)")
    response = client.get(reverse("edc:access-log-csv"), {"kind": "login_failed"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["username"] for r in rows} == {'\'=HYPERLINK("http://x")', "'@SUM(A1)"}


def test_the_csv_follows_the_filter(client, data_manager):
    _entries(3, kind="login")
    _entries(2, kind="logout")
    response = client.get(reverse("edc:access-log-csv"), {"kind": "logout"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(text)))) == 2
