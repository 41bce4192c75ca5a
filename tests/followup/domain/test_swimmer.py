"""A swimmer-plot lane: Day 0 to the end of study, or to today with an arrow."""

import datetime as dt

from followup.domain.swimmer import Lane, swimmer_lane

DAY0 = dt.date(2026, 1, 10)


def test_a_subject_on_study_runs_to_today_with_an_arrow():
    assert swimmer_lane(day0=DAY0, today=dt.date(2026, 2, 9), end_date=None) == Lane(30, True)


def test_a_subject_who_ended_runs_to_the_end_date_without_an_arrow():
    lane = swimmer_lane(day0=DAY0, today=dt.date(2026, 6, 1), end_date=dt.date(2026, 4, 10))
    assert lane == Lane(90, False)


def test_a_death_before_the_recorded_end_date_ends_the_lane():
    lane = swimmer_lane(
        day0=DAY0,
        today=dt.date(2026, 6, 1),
        end_date=dt.date(2026, 3, 1),
        death_date=dt.date(2026, 2, 19),
    )
    assert lane.end_day == 40


def test_a_lane_never_runs_before_day_0():
    lane = swimmer_lane(day0=DAY0, today=dt.date(2026, 1, 1), end_date=None)
    assert lane.end_day == 0
