"""The dashboard's visit-compliance panel counts each scheduled visit once, judged on the
site's today (followup/dashboards.py)."""

import datetime as dt

import pytest
import time_machine

from edc.roles import Role
from followup.models import VisitInstance
from tests.dashboard_panels import panel, rows
from tests.followup.factories import DAY0, DeviatingVisitFactory, VisitInstanceFactory

pytestmark = pytest.mark.django_db

DONE = VisitInstance.State.DONE


@pytest.fixture
def visits(site_a):
    """Day 7 (window 7-9 April): one done in window, one late, one missed, one open."""
    on = {"subject__study_site": site_a}
    VisitInstanceFactory(**on, state=DONE, done_on=DAY0 + dt.timedelta(days=7), deviation_days=0)
    DeviatingVisitFactory(**on)
    VisitInstanceFactory(**on, state=VisitInstance.State.MISSED, missed_reason="ill")
    VisitInstanceFactory(**on)


def _counts(client, member, study):
    client.force_login(member(Role.DATA_MANAGER))
    return rows(panel(client, study, "visit_compliance").tables[0])


@time_machine.travel(dt.datetime(2026, 4, 20, 4, tzinfo=dt.UTC))
def test_each_visit_counts_under_its_outcome(client, member, study, visits):
    # In window, out of window, missed, overdue
    assert _counts(client, member, study) == {"Day 7": (1, 1, 1, 1)}


@time_machine.travel(dt.datetime(2026, 4, 8, 4, tzinfo=dt.UTC))
def test_an_open_visit_inside_its_window_is_not_yet_overdue(client, member, study, visits):
    assert _counts(client, member, study) == {"Day 7": (1, 1, 1, 0)}


@time_machine.travel(dt.datetime(2026, 4, 9, 17, tzinfo=dt.UTC))
def test_overdue_follows_the_sites_today(client, member, study, visits):
    # 17:00 UTC on 9 April is 01:00 on 10 April in Shanghai: the window closed yesterday there.
    assert _counts(client, member, study)["Day 7"][3] == 1
