"""Age bands of unresolved queries: whole days since raised, inclusive band edges, the median."""

import datetime as dt

from edc.domain.query_ageing import age_days, ages_by_group, band_counts, median_age

TODAY = dt.date(2026, 5, 31)


def test_a_query_raised_today_is_zero_days_old():
    assert age_days(TODAY, TODAY) == 0


def test_the_band_edges_are_inclusive():
    assert band_counts([0, 7, 8, 14, 15, 30, 31]) == [2, 2, 2, 1]


def test_a_very_old_query_falls_in_the_open_ended_band():
    assert band_counts([400]) == [0, 0, 0, 1]


def test_no_queries_count_zero_in_every_band():
    assert band_counts([]) == [0, 0, 0, 0]


def test_the_median_of_an_even_number_of_ages_is_the_mean_of_the_middle_two():
    assert median_age([3, 10, 20, 40]) == 15


def test_there_is_no_median_without_queries():
    assert median_age([]) is None


def test_ages_are_grouped_with_every_group_present():
    rows = [("A", dt.date(2026, 5, 1)), ("A", dt.date(2026, 5, 30))]
    assert ages_by_group(rows, TODAY, ["A", "B"]) == {"A": [30, 1], "B": []}
