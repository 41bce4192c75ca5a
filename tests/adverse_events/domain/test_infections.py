"""Infections are early from Day 0 to Day 28 after the infusion, late after; a grade 3-5 or
serious infection is an adverse event."""

import datetime as dt

import pytest

from adverse_events.domain.infections import (
    InfectionTiming,
    classify_infection_onset,
    infection_is_adverse_event,
)

DAY0 = dt.date(2026, 5, 6)


@pytest.mark.parametrize(
    ("day", "timing"),
    [
        (-3, InfectionTiming.BEFORE_INFUSION),
        (-1, InfectionTiming.BEFORE_INFUSION),
        (0, InfectionTiming.EARLY),
        (27, InfectionTiming.EARLY),
        (28, InfectionTiming.EARLY),
        (29, InfectionTiming.LATE),
        (365, InfectionTiming.LATE),
    ],
)
def test_onset_is_early_up_to_day_28_and_late_from_day_29(day, timing):
    onset = classify_infection_onset(onset_date=DAY0 + dt.timedelta(days=day), day0=DAY0)
    assert (onset.study_day, onset.timing) == (day, timing)


@pytest.mark.parametrize(
    ("grade", "serious", "expected"),
    [(1, False, False), (2, False, False), (2, True, True), (3, False, True), (5, True, True)],
)
def test_an_infection_is_an_adverse_event_from_grade_3_or_when_serious(grade, serious, expected):
    assert infection_is_adverse_event(grade=grade, serious=serious) is expected


@pytest.mark.parametrize("grade", [0, 6])
def test_a_grade_outside_1_to_5_is_refused(grade):
    with pytest.raises(ValueError, match="grade"):
        infection_is_adverse_event(grade=grade, serious=False)
