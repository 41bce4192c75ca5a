"""The dashboard's query-ageing panel: each site's open and answered queries by age band, with
the median age, against queries raised on hand-picked days."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from edc.domain.query_workflow import QueryAction, QueryStatus
from edc.roles import Role
from edc.services.data_queries import query_step
from tests.dashboard_panels import panel, rows
from tests.edc.factories import MembershipFactory, SubjectFactory, UserFactory
from tests.edc.query_helpers import raise_query

pytestmark = pytest.mark.django_db


def _raised_days_ago(subject, days, status=QueryStatus.OPEN):
    with time_machine.travel(timezone.now() - dt.timedelta(days=days)):
        query = raise_query(subject)
    if status == QueryStatus.OPEN:
        return
    site_user = UserFactory()
    MembershipFactory(
        user=site_user, study=subject.study, study_site=subject.study_site, role=Role.INVESTIGATOR
    )
    query_step(query, action=QueryAction.ANSWER, text="Checked.", actor=site_user)
    if status == QueryStatus.CLOSED:
        query_step(query, action=QueryAction.CLOSE, text="Thanks.", actor=query.raised_by)


@pytest.fixture
def aged(study, site_a, site_b, stratum):
    a = SubjectFactory(study_site=site_a, stratum=stratum)
    b = SubjectFactory(study_site=site_b, stratum=stratum)
    for days in (1, 7, 8, 40):
        _raised_days_ago(a, days)
    _raised_days_ago(a, 20, QueryStatus.ANSWERED)
    _raised_days_ago(a, 3, QueryStatus.CLOSED)
    _raised_days_ago(b, 31)


def test_each_sites_unresolved_queries_are_counted_by_age_band(client, member, study, aged):
    client.force_login(member(Role.DATA_MANAGER))
    table = rows(panel(client, study, "query_ageing").tables[0])
    site_a, site_b, everyone = table.values()
    assert site_a == (2, 1, 1, 1, 5, 8)
    assert site_b == (0, 0, 0, 1, 1, 31)
    assert everyone == (2, 1, 1, 2, 6, 14)


def test_the_chart_stacks_the_bands_per_site(client, member, study, aged):
    client.force_login(member(Role.DATA_MANAGER))
    config = panel(client, study, "query_ageing").charts[0].config
    assert config["options"]["scales"]["y"]["stacked"] is True
    assert [d["data"] for d in config["data"]["datasets"]] == [[2, 0], [1, 0], [1, 0], [1, 1]]


def test_an_investigator_sees_only_their_sites_queries(client, member, study, site_a, aged):
    client.force_login(member(Role.INVESTIGATOR, study_site=site_a))
    table = panel(client, study, "query_ageing").tables[0]
    assert [row[5] for row in table.rows] == [5, 5]


def test_a_site_without_unresolved_queries_has_no_median(client, member, study, site_a):
    client.force_login(member(Role.DATA_MANAGER))
    table = rows(panel(client, study, "query_ageing").tables[0])
    assert all(row[-1] is None for row in table.values())  # shown as a dash
