"""The dashboard's counting and statistics, checked against figures computed by hand (and, for
quartiles, against R's default quantile type 7 / Excel QUARTILE.INC)."""

import datetime as dt

import pytest

from edc.domain.statistics import Summary, count_by, cumulative_series, histogram, summarise


def test_an_empty_sample_has_no_summary():
    assert summarise([]) == Summary(n=0)


def test_one_value_is_its_own_minimum_quartiles_median_and_maximum():
    assert summarise([4]) == Summary(n=1, minimum=4, q1=4, median=4, q3=4, maximum=4)


def test_quartiles_interpolate_between_order_statistics():
    # R: quantile(c(1, 2, 3, 4), type = 7) -> 1, 1.75, 2.5, 3.25, 4
    assert summarise([4, 1, 3, 2]) == Summary(
        n=4, minimum=1, q1=1.75, median=2.5, q3=3.25, maximum=4
    )


def test_odd_sample_has_its_middle_value_as_median():
    # R: quantile(c(1, 2, 5, 7, 9), type = 7) -> 1, 2, 5, 7, 9
    assert summarise([9, 1, 7, 2, 5]) == Summary(n=5, minimum=1, q1=2, median=5, q3=7, maximum=9)


def test_count_by_keeps_the_order_and_counts_zero_for_absent_keys():
    assert count_by(["b", "a", "b", "x"], ["a", "b", "c"]) == [1, 2, 0]


def test_histogram_keeps_empty_bins_between_values():
    assert histogram([1, 1.5, 4], width=1) == [(1, 2, 2), (2, 3, 0), (3, 4, 0), (4, 5, 1)]


def test_histogram_bins_hold_their_lower_bound_not_their_upper():
    assert histogram([0, 2, 3.9], width=2) == [(0, 2, 1), (2, 4, 2)]


def test_histogram_of_nothing_is_empty():
    assert histogram([], width=1) == []


def test_histogram_refuses_a_bin_narrower_than_one():
    with pytest.raises(ValueError, match="at least 1"):
        histogram([1], width=0)


def test_cumulative_series_share_one_date_axis():
    d1, d2, d3 = dt.date(2026, 3, 1), dt.date(2026, 3, 5), dt.date(2026, 3, 9)
    axis, series = cumulative_series({"A": [d2, d1, d2], "B": [d3], "C": []})
    assert axis == [d1, d2, d3]
    assert series == {"A": [1, 3, 3], "B": [0, 0, 1], "C": [0, 0, 0]}
