"""What the eligibility engine is given of saved CRFs: clinical dates are the site's dates."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from edc.crfs import crf_spec
from edc.services.crfs import crf_create
from screening.snapshot import screening_snapshot
from tests.edc.factories import UserFactory
from tests.screening.journeys import CONSENT, NOW, TODAY, ct1192_subject

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _hcg(subject, tested_at: dt.datetime):
    crf_create(
        spec=crf_spec("pregnancy_test"),
        subject=subject,
        visit_code="SCR",
        data={
            "childbearing_potential": True,
            "tested_at": tested_at,
            "result": "negative",
            "lactating": False,
        },
        actor=UserFactory(),
    )
    snapshot = screening_snapshot(subject, today=TODAY, now=NOW)
    return next(r for r in snapshot.results if r.test == "pregnancy_serum_hcg")


def test_hcg_at_seven_in_the_morning_at_utc_plus_8_is_dated_that_day_at_the_site():
    """Issue 9 correction 3: a 07:00 test at Wuhan (23:00 UTC the day before) is on the site's
    calendar day, the day the protocol's 48-hour window is counted in."""
    tested_at = dt.datetime.combine(CONSENT + dt.timedelta(days=1), dt.time(7, 0), SHANGHAI)

    hcg = _hcg(ct1192_subject(), tested_at)

    assert hcg.tested_on == CONSENT + dt.timedelta(days=1)
    assert hcg.tested_at.utcoffset() == dt.timedelta(hours=8)


def test_snapshot_now_is_the_site_clock_so_the_engine_counts_site_days():
    snapshot = screening_snapshot(ct1192_subject(), today=TODAY, now=NOW)

    assert snapshot.now == NOW
    assert snapshot.now.utcoffset() == dt.timedelta(hours=8)
