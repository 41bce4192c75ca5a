"""The plausible range of a clinical date, at each of its boundaries."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from edc.domain.clinical_dates import (
    EARLIEST_BIRTH,
    DateContext,
    DateRule,
    check_clinical_date,
    check_clinical_datetime,
    earliest_day0_offset,
)

BORN = dt.date(1990, 3, 1)
CONSENT = dt.date(2026, 4, 20)
DAY0 = dt.date(2026, 5, 6)
TODAY = dt.date(2026, 6, 1)
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# 10:00 at the site on TODAY.
NOW = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)

CONTEXT = DateContext(
    today=TODAY, date_of_birth=BORN, consent_date=CONSENT, day0=DAY0, earliest_day0_offset=-7
)


def _code(value: dt.date, rule: DateRule, context: DateContext = CONTEXT) -> str | None:
    refusal = check_clinical_date(value, rule=rule, context=context)
    return refusal.code if refusal else None


def _dt_code(value: dt.datetime, rule: DateRule = DateRule.SINCE_CONSENT) -> str | None:
    refusal = check_clinical_datetime(value, rule=rule, context=CONTEXT, now=NOW, tz=SHANGHAI)
    return refusal.code if refusal else None


def _local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.mark.parametrize("rule", [r for r in DateRule if r is not DateRule.BIRTH])
def test_today_is_plausible_and_tomorrow_is_not(rule):
    assert _code(TODAY, rule) is None
    assert _code(TODAY + dt.timedelta(days=1), rule) == "after_today"


def test_a_date_of_birth_must_be_before_today():
    assert _code(TODAY - dt.timedelta(days=1), DateRule.BIRTH) is None
    assert _code(TODAY, DateRule.BIRTH) == "birth_not_past"


def test_a_date_of_birth_starts_at_1900():
    assert _code(EARLIEST_BIRTH, DateRule.BIRTH) is None
    assert _code(EARLIEST_BIRTH - dt.timedelta(days=1), DateRule.BIRTH) == "before_1900"


def test_history_may_precede_consent_but_not_birth():
    assert _code(BORN, DateRule.SINCE_BIRTH) is None
    assert _code(BORN - dt.timedelta(days=1), DateRule.SINCE_BIRTH) == "before_birth"


def test_screening_data_starts_at_consent():
    assert _code(CONSENT, DateRule.SINCE_CONSENT) is None
    assert _code(CONSENT - dt.timedelta(days=1), DateRule.SINCE_CONSENT) == "before_consent"


def test_a_date_before_birth_is_refused_as_before_birth_whatever_the_rule():
    assert _code(BORN - dt.timedelta(days=1), DateRule.SINCE_DAY0) == "before_birth"


def test_the_year_1_is_refused_by_every_rule():
    assert {_code(dt.date(1, 1, 1), rule) for rule in DateRule} <= {"before_1900", "before_birth"}


def test_the_year_9999_is_refused_by_every_rule():
    codes = {_code(dt.date(9999, 12, 31), rule) for rule in DateRule}
    assert codes <= {"after_today", "birth_not_past"}


def test_day0_relative_events_start_at_the_earliest_visit_around_day0():
    earliest = DAY0 - dt.timedelta(days=7)
    assert _code(earliest, DateRule.SINCE_DAY0) is None
    refusal = check_clinical_date(
        earliest - dt.timedelta(days=1), rule=DateRule.SINCE_DAY0, context=CONTEXT
    )
    assert refusal is not None
    assert refusal.code == "before_day0_window"
    assert refusal.params == {"earliest": "2026-04-29", "day": "-7"}


def test_without_day0_day0_relative_events_start_at_consent():
    no_day0 = DateContext(today=TODAY, date_of_birth=BORN, consent_date=CONSENT)
    assert _code(CONSENT, DateRule.SINCE_DAY0, no_day0) is None
    assert _code(CONSENT - dt.timedelta(days=1), DateRule.SINCE_DAY0, no_day0) == "before_consent"


def test_the_message_of_a_date_before_birth_does_not_repeat_the_date_of_birth():
    refusal = check_clinical_date(
        BORN - dt.timedelta(days=1), rule=DateRule.SINCE_BIRTH, context=CONTEXT
    )
    assert refusal is not None
    assert refusal.params == {}


def test_earliest_day0_offset_is_the_earliest_window_start():
    assert earliest_day0_offset([(-5, 2), (0, 0), (7, 1)]) == -7


def test_earliest_day0_offset_without_day0_visits_is_day0():
    assert earliest_day0_offset([]) == 0


def test_a_datetime_up_to_now_at_the_site_is_plausible():
    assert _dt_code(_local(2026, 6, 1, 10, 0)) is None
    assert _dt_code(_local(2026, 6, 1, 10, 1)) == "after_now"


def test_a_datetime_is_judged_on_its_date_at_the_site():
    # 16:30 UTC on the day before consent is 00:30 on the consent date in Shanghai.
    assert _dt_code(dt.datetime(2026, 4, 19, 16, 30, tzinfo=dt.UTC)) is None
    assert _dt_code(dt.datetime(2026, 4, 19, 15, 30, tzinfo=dt.UTC)) == "before_consent"


def test_a_naive_datetime_is_a_time_at_the_site():
    assert _dt_code(dt.datetime(2026, 4, 20, 0, 0)) is None
    assert _dt_code(dt.datetime(2026, 4, 19, 23, 59)) == "before_consent"


def test_the_first_instant_at_a_site_east_of_greenwich_is_out_of_range():
    # Year 1 at UTC+8 is year 0 in UTC: PostgreSQL would store it as 1 BC.
    assert _dt_code(_local(1, 1, 1, 0, 0)) == "out_of_range"


def test_the_last_instant_west_of_greenwich_is_out_of_range():
    new_york = dt.datetime(9999, 12, 31, 23, 59, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    assert _dt_code(new_york) == "out_of_range"


def test_the_year_9999_at_the_site_is_in_the_future():
    assert _dt_code(_local(9999, 12, 31, 23, 59)) == "after_now"
