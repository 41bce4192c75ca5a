"""Time to CRS onset and CRS duration: study days from Day 0, durations in days with hours as
fractions, ongoing episodes left out of the durations (adverse_events/domain/episode_timing.py)."""

import datetime as dt

import pytest

from adverse_events.domain.episode_timing import (
    Episode,
    duration_days,
    episode_timing,
    onset_day,
)
from edc.domain.validation import ArgumentError

DAY0 = dt.date(2026, 4, 1)


def _at(day: int, hour: int = 0) -> dt.datetime:
    return dt.datetime(2026, 4, 1, hour, tzinfo=dt.UTC) + dt.timedelta(days=day)


def _episode(subject, day, hours=None):
    onset = _at(day, 8)
    resolved = None if hours is None else onset + dt.timedelta(hours=hours)
    return Episode(subject, DAY0, onset.date(), onset, resolved)


def test_onset_on_the_infusion_day_is_day_0():
    assert onset_day(day0=DAY0, onset_on=DAY0) == 0


def test_onset_two_days_after_the_infusion_is_day_2():
    assert onset_day(day0=DAY0, onset_on=dt.date(2026, 4, 3)) == 2


def test_duration_counts_hours_as_fractions_of_a_day():
    assert duration_days(onset_at=_at(1), resolved_at=_at(2, 12)) == 1.5


def test_an_ongoing_episode_has_no_duration():
    assert duration_days(onset_at=_at(1), resolved_at=None) is None


def test_a_resolution_before_the_onset_is_refused():
    with pytest.raises(ArgumentError, match="resolved_at"):
        duration_days(onset_at=_at(2), resolved_at=_at(1))


def test_onset_counts_each_subjects_first_episode_only():
    timing = episode_timing([_episode("s1", 5, 24), _episode("s1", 1, 48), _episode("s2", 3)])
    assert sorted(timing.onset_days) == [1, 3]


def test_durations_count_every_resolved_episode_and_ongoing_ones_apart():
    timing = episode_timing([_episode("s1", 1, 48), _episode("s1", 5, 24), _episode("s2", 3)])
    assert sorted(timing.durations) == [1.0, 2.0]
    assert timing.ongoing == 1


def test_the_summary_is_that_of_the_onset_days():
    timing = episode_timing([_episode("s1", 1), _episode("s2", 2), _episode("s3", 6)])
    assert (timing.onset.n, timing.onset.median, timing.onset.maximum) == (3, 2, 6)
