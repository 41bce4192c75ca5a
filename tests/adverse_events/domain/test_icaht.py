"""ICAHT and T-ICAHT grading (clinical-rules.md §3): vectors, every boundary, the merge cases,
the gap policy and bad input."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest

from adverse_events.domain.icaht import (
    SCALE,
    T_SCALE,
    grade_icaht_early,
    grade_icaht_late,
    grade_t_icaht_early,
    grade_t_icaht_late,
    validate_duration_bands,
    validate_nadir_bands,
)
from adverse_events.domain.types import RuleTableError
from tests.vectors import resolve, vector_params

NORMAL_ANC = 2000
NORMAL_PLT = 200

Segment = tuple[int, int, float]


def _by_day(
    segments: tuple[Segment, ...], *, normal: float, first_day: int, last_day: int
) -> dict[int, float]:
    days: dict[int, float] = dict.fromkeys(range(first_day, last_day + 1), normal)
    for start, end, value in segments:
        for day in range(start, end + 1):
            days[day] = value
    return days


def anc(*segments: Segment, last_day: int = 30) -> dict[int, float]:
    """Daily ANC for days 0-`last_day`: normal except (first day, last day, value) segments."""
    return _by_day(segments, normal=NORMAL_ANC, first_day=0, last_day=last_day)


def plt(*segments: Segment, first_day: int = 0, last_day: int = 30) -> dict[int, float]:
    """Daily platelets (x10^9/L) for days `first_day`-`last_day`, normal except segments."""
    return _by_day(segments, normal=NORMAL_PLT, first_day=first_day, last_day=last_day)


def episode(start: int, length: int, value: float) -> tuple[Segment, ...]:
    return () if length == 0 else ((start, start + length - 1, value),)


@pytest.mark.parametrize("vector", vector_params("icaht_grade"))
def test_grade_matches_published_value_when_shared_vector(vector: dict[str, Any]) -> None:
    kwargs = dict(vector["kwargs"])
    if "anc_by_day" in kwargs:
        kwargs["anc_by_day"] = {int(day): value for day, value in kwargs["anc_by_day"].items()}
    result = resolve(vector["function"])(**kwargs)
    assert result.grade == vector["expected"]["grade"]


# --- early ICAHT: ANC <=500 duration ----------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "grade"), [(0, 0), (1, 1), (6, 1), (7, 2), (13, 2), (14, 3), (20, 3)]
)
def test_anc_le_500_duration_sets_grade_when_on_band_edge(days: int, grade: int) -> None:
    result = grade_icaht_early(anc_by_day=anc(*episode(5, days, 300)))
    assert (result.grade, result.longest_anc_le_500_days) == (grade, days)


def test_anc_exactly_500_counts_when_seven_days() -> None:
    assert grade_icaht_early(anc_by_day=anc((4, 10, 500))).grade == 2


def test_anc_501_does_not_count_when_seven_days() -> None:
    result = grade_icaht_early(anc_by_day=anc((4, 10, 501)))
    assert (result.grade, result.longest_anc_le_500_days) == (0, 0)


# --- early ICAHT: ANC <=100 duration ----------------------------------------------------------


@pytest.mark.parametrize(
    ("segments", "grade", "days_100"),
    [
        pytest.param(((5, 14, 300), (6, 11, 50)), 2, 6, id="6d-le100-in-10d-le500"),
        pytest.param(((5, 14, 300), (6, 12, 50)), 3, 7, id="7d-le100-in-10d-le500"),
        pytest.param(((5, 17, 50),), 3, 13, id="13d-le100"),
        pytest.param(((5, 18, 50),), 4, 14, id="14d-le100"),
    ],
)
def test_anc_le_100_duration_sets_grade_when_on_band_edge(
    segments: tuple[Segment, ...], grade: int, days_100: int
) -> None:
    result = grade_icaht_early(anc_by_day=anc(*segments))
    assert (result.grade, result.longest_anc_le_100_days) == (grade, days_100)


def test_anc_exactly_100_counts_when_fourteen_days() -> None:
    assert grade_icaht_early(anc_by_day=anc((5, 18, 100))).grade == 4


def test_anc_101_counts_only_for_500_when_fourteen_days() -> None:
    result = grade_icaht_early(anc_by_day=anc((5, 18, 101)))
    assert (result.grade, result.longest_anc_le_100_days) == (3, 0)


def test_driver_names_profound_row_when_le_100_sets_grade() -> None:
    result = grade_icaht_early(anc_by_day=anc((5, 14, 300), (6, 12, 50)))
    assert result.driver == "anc_le_100_days"


# --- early ICAHT: merging episodes -------------------------------------------------------------


def test_episodes_merge_when_separated_by_two_day_non_stable_recovery() -> None:
    result = grade_icaht_early(anc_by_day=anc((3, 7, 300), (10, 14, 300)))
    assert (result.grade, result.longest_anc_le_500_days) == (2, 12)


def test_episodes_stay_apart_when_separated_by_three_day_stable_recovery() -> None:
    result = grade_icaht_early(anc_by_day=anc((3, 7, 300), (11, 15, 300)))
    assert (result.grade, result.longest_anc_le_500_days) == (1, 5)


def test_episodes_merge_when_separated_by_one_day() -> None:
    result = grade_icaht_early(anc_by_day=anc((4, 8, 300), (10, 14, 300)))
    assert (result.grade, result.longest_anc_le_500_days) == (2, 11)


def test_profound_episodes_merge_when_gap_is_above_100_for_two_days() -> None:
    result = grade_icaht_early(anc_by_day=anc((5, 8, 50), (9, 10, 300), (11, 14, 50)))
    assert (result.grade, result.longest_anc_le_100_days) == (3, 10)


def test_profound_episodes_stay_apart_when_gap_is_above_100_for_three_days() -> None:
    result = grade_icaht_early(anc_by_day=anc((5, 8, 50), (9, 11, 300), (12, 15, 50)))
    assert (result.grade, result.longest_anc_le_100_days) == (2, 4)


def test_longest_episode_counts_when_several_stable_episodes() -> None:
    result = grade_icaht_early(anc_by_day=anc((4, 6, 300), (12, 19, 300), (25, 27, 300)))
    assert (result.grade, result.longest_anc_le_500_days) == (2, 8)


# --- early ICAHT: never recovered ------------------------------------------------------------


def test_grade_4_when_neutropenia_from_day_3_never_recovers() -> None:
    result = grade_icaht_early(anc_by_day=anc((3, 30, 300)))
    assert (result.grade, result.never_recovered, result.driver) == (4, True, "never_recovered")


def test_no_never_recovered_grade_when_onset_on_day_4() -> None:
    result = grade_icaht_early(anc_by_day=anc((4, 30, 300)))
    assert (result.grade, result.never_recovered) == (3, False)


def test_grade_4_when_patient_dies_on_day_12_without_recovery() -> None:
    result = grade_icaht_early(anc_by_day=anc((3, 12, 200), last_day=12))
    assert (result.grade, result.longest_anc_le_500_days) == (4, 10)


def test_duration_grade_when_death_on_day_12_after_onset_on_day_4() -> None:
    result = grade_icaht_early(anc_by_day=anc((4, 12, 200), last_day=12))
    assert (result.grade, result.never_recovered) == (2, False)


def test_grade_4_when_never_above_500_in_whole_window() -> None:
    result = grade_icaht_early(anc_by_day=anc((0, 30, 450)))
    assert (result.grade, result.longest_anc_le_500_days) == (4, 31)


def test_grade_4_when_only_non_stable_recovery_before_last_assessment() -> None:
    result = grade_icaht_early(anc_by_day=anc((2, 30, 300), (15, 16, 900)))
    assert (result.grade, result.never_recovered) == (4, True)


def test_no_never_recovered_grade_when_counts_recover_on_last_two_days() -> None:
    result = grade_icaht_early(anc_by_day=anc((2, 28, 300)))
    assert (result.grade, result.never_recovered) == (3, False)


def test_no_never_recovered_grade_when_late_relapse_follows_stable_recovery() -> None:
    result = grade_icaht_early(anc_by_day=anc((2, 8, 300), (12, 30, 300)))
    assert (result.grade, result.never_recovered, result.longest_anc_le_500_days) == (3, False, 19)


# --- early ICAHT: gap policy -------------------------------------------------------------------


def test_interpolated_day_counts_when_it_lands_on_500() -> None:
    days = anc()
    days.update({5: 600, 7: 400})
    del days[6]  # interpolated: 500
    result = grade_icaht_early(anc_by_day=days)
    assert (result.grade, result.longest_anc_le_500_days) == (1, 2)


def test_interpolated_day_does_not_count_when_it_lands_above_500() -> None:
    days = anc()
    days.update({5: 602, 7: 400})
    del days[6]  # interpolated: 501
    assert grade_icaht_early(anc_by_day=days).longest_anc_le_500_days == 1


def test_weekly_counts_are_interpolated_when_gaps_are_six_days() -> None:
    days = {0: 2000, 7: 300, 14: 300, 21: 2000, 28: 2000, 30: 2000}
    result = grade_icaht_early(anc_by_day=days)
    # 2000 -> 300 over days 0-7 first reaches <=500 on day 7; 300 -> 2000 leaves it after day 14.
    assert (result.grade, result.longest_anc_le_500_days) == (2, 8)
    assert any("interpolated" in reason for reason in result.reasons)


def test_gap_of_seven_days_is_interpolated_when_between_assessments() -> None:
    days = {day: value for day, value in anc().items() if not 1 <= day <= 7}
    assert grade_icaht_early(anc_by_day=days).grade == 0


def test_rejects_series_when_gap_is_eight_days() -> None:
    days = {day: value for day, value in anc().items() if not 1 <= day <= 8}
    with pytest.raises(ValueError, match=r"^anc_by_day.*8 consecutive days"):
        grade_icaht_early(anc_by_day=days)


def test_accepts_series_when_first_assessment_on_day_7() -> None:
    days = {day: value for day, value in anc((7, 12, 300)).items() if day >= 7}
    result = grade_icaht_early(anc_by_day=days)
    assert (result.grade, result.never_recovered) == (1, False)


def test_rejects_series_when_first_assessment_after_day_7() -> None:
    days = {day: value for day, value in anc().items() if day >= 8}
    with pytest.raises(ValueError, match=r"^anc_by_day.*first assessment is on day 8"):
        grade_icaht_early(anc_by_day=days)


def test_nothing_is_extrapolated_when_last_assessment_before_day_30() -> None:
    result = grade_icaht_early(anc_by_day=anc((5, 9, 300), last_day=9))
    assert (result.grade, result.longest_anc_le_500_days) == (1, 5)


# --- early ICAHT: bad input --------------------------------------------------------------------


@pytest.mark.parametrize(
    "anc_by_day",
    [
        pytest.param({}, id="empty"),
        pytest.param(None, id="none"),
        pytest.param([2000, 300], id="list"),
        pytest.param({"0": 2000}, id="json-string-key"),
        pytest.param({0.0: 2000}, id="float-key"),
        pytest.param({True: 2000}, id="bool-key"),
        pytest.param({-1: 2000, 0: 2000}, id="day-before-infusion"),
        pytest.param({0: 2000, 31: 2000}, id="day-after-window"),
    ],
)
def test_rejects_anc_by_day_when_malformed(anc_by_day: Any) -> None:
    with pytest.raises(ValueError, match=r"^anc_by_day"):
        grade_icaht_early(anc_by_day=anc_by_day)


@pytest.mark.parametrize("value", [-1, math.nan, math.inf, "300", None, True])
def test_rejects_anc_value_when_not_a_non_negative_number(value: Any) -> None:
    with pytest.raises(ValueError, match=r"^anc_by_day\[5\]"):
        grade_icaht_early(anc_by_day={**anc(), 5: value})


def test_result_reports_durations_and_scale_when_graded() -> None:
    result = grade_icaht_early(anc_by_day=anc((5, 14, 300), (6, 12, 50)))
    assert result.scale == SCALE == "EHA/EBMT 2023"
    assert (result.phase, result.nadir_anc_per_ul) == ("early", Decimal(50))
    assert (result.longest_anc_le_500_days, result.longest_anc_le_100_days) == (10, 7)


# --- late ICAHT --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("anc_values", "grade"),
    [
        pytest.param([1500, 1500], 1, id="1500"),
        pytest.param([1501, 1501], 0, id="1501"),
        pytest.param([1000, 1000], 2, id="1000"),
        pytest.param([1001, 1001], 1, id="1001"),
        pytest.param([500, 500], 3, id="500"),
        pytest.param([501, 501], 2, id="501"),
        pytest.param([100, 100], 4, id="100"),
        pytest.param([101, 101], 3, id="101"),
        pytest.param([0, 0], 4, id="0"),
    ],
)
def test_late_nadir_sets_grade_when_on_threshold_edge(anc_values: list[int], grade: int) -> None:
    assert grade_icaht_late(anc_values=anc_values).grade == grade


def test_late_grade_is_zero_when_single_transient_dip() -> None:
    result = grade_icaht_late(anc_values=[400, 1600, 2000])
    assert (result.grade, result.driver) == (0, "none")


def test_late_grade_counts_when_second_lowest_is_exactly_1500() -> None:
    assert grade_icaht_late(anc_values=[400, 1500, 2000]).grade == 3


def test_late_grade_is_zero_when_second_lowest_is_1501() -> None:
    assert grade_icaht_late(anc_values=[400, 1501]).grade == 0


def test_late_grade_uses_nadir_when_second_lowest_is_milder() -> None:
    result = grade_icaht_late(anc_values=[50, 1400])
    assert (result.grade, result.second_lowest_anc_per_ul) == (4, Decimal(1400))


@pytest.mark.parametrize(("value", "grade"), [(400, 3), (1500, 1), (1600, 0)])
def test_late_single_value_is_graded_when_only_one_value(value: int, grade: int) -> None:
    result = grade_icaht_late(anc_values=[value])
    assert (result.grade, result.second_lowest_anc_per_ul) == (grade, None)


def test_late_grade_ignores_order_when_values_unsorted() -> None:
    assert grade_icaht_late(anc_values=[1300, 400, 900]).grade == 3


def test_late_grade_accepts_iterables_when_generator() -> None:
    assert grade_icaht_late(anc_values=(v for v in (400, 900))).grade == 3


@pytest.mark.parametrize("anc_values", [[], "1500", {31: 1500}, None, 1500])
def test_rejects_late_values_when_not_a_non_empty_sequence(anc_values: Any) -> None:
    with pytest.raises(ValueError, match=r"^anc_values"):
        grade_icaht_late(anc_values=anc_values)


@pytest.mark.parametrize("value", [-1, math.nan, True, "900", None])
def test_rejects_late_value_when_not_a_non_negative_number(value: Any) -> None:
    with pytest.raises(ValueError, match=r"^anc_values\[1\]"):
        grade_icaht_late(anc_values=[1000, value])


def test_late_result_states_phase_and_scale_when_graded() -> None:
    result = grade_icaht_late(anc_values=[900, 1200])
    assert (result.phase, result.scale, result.driver) == ("late", SCALE, "anc_nadir")
    assert result.nadir_anc_per_ul == Decimal(900)


# --- early T-ICAHT -------------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "grade"), [(0, 0), (1, 1), (6, 1), (7, 2), (20, 2)])
def test_plt_lt_50_duration_sets_grade_when_on_band_edge(days: int, grade: int) -> None:
    result = grade_t_icaht_early(platelets_by_day=plt(*episode(5, days, 40)))
    assert (result.grade, result.longest_plt_lt_50_days) == (grade, days)


def test_plt_exactly_50_does_not_count_when_ten_days() -> None:
    assert grade_t_icaht_early(platelets_by_day=plt((5, 14, 50))).grade == 0


def test_plt_just_below_50_counts_when_ten_days() -> None:
    assert grade_t_icaht_early(platelets_by_day=plt((5, 14, 49.99))).grade == 2


@pytest.mark.parametrize(("days", "grade"), [(1, 3), (13, 3), (14, 4)])
def test_plt_lt_20_duration_sets_grade_when_on_band_edge(days: int, grade: int) -> None:
    result = grade_t_icaht_early(platelets_by_day=plt(*episode(5, days, 10)))
    assert (result.grade, result.longest_plt_lt_20_days, result.driver) == (
        grade,
        days,
        "plt_lt_20_days",
    )


def test_plt_exactly_20_counts_only_below_50_when_fourteen_days() -> None:
    result = grade_t_icaht_early(platelets_by_day=plt((5, 18, 20)))
    assert (result.grade, result.longest_plt_lt_20_days) == (2, 0)


def test_plt_episodes_merge_when_separated_by_two_days() -> None:
    result = grade_t_icaht_early(platelets_by_day=plt((5, 10, 10), (11, 12, 30), (13, 18, 10)))
    assert (result.grade, result.longest_plt_lt_20_days) == (4, 14)


def test_plt_episodes_stay_apart_when_separated_by_three_days() -> None:
    result = grade_t_icaht_early(platelets_by_day=plt((5, 10, 10), (11, 13, 30), (14, 19, 10)))
    assert (result.grade, result.longest_plt_lt_20_days) == (3, 6)


def test_plt_grade_is_2_when_below_50_all_window_but_never_below_20() -> None:
    assert grade_t_icaht_early(platelets_by_day=plt((0, 30, 40))).grade == 2


def test_rejects_platelets_when_gap_is_eight_days() -> None:
    days = {day: value for day, value in plt().items() if not 10 <= day <= 17}
    with pytest.raises(ValueError, match=r"^platelets_by_day"):
        grade_t_icaht_early(platelets_by_day=days)


def test_rejects_platelets_when_first_assessment_after_day_7() -> None:
    with pytest.raises(ValueError, match=r"^platelets_by_day"):
        grade_t_icaht_early(platelets_by_day=plt(first_day=8))


@pytest.mark.parametrize(
    "platelets_by_day", [{}, {31: 100}, {"1": 100}, {0: -1}, {0: math.nan}, None]
)
def test_rejects_early_platelets_when_malformed(platelets_by_day: Any) -> None:
    with pytest.raises(ValueError, match=r"^platelets_by_day"):
        grade_t_icaht_early(platelets_by_day=platelets_by_day)


def test_t_icaht_result_states_scale_when_graded() -> None:
    result = grade_t_icaht_early(platelets_by_day=plt((5, 8, 30)))
    assert (result.scale, result.phase, result.grade) == (T_SCALE, "early", 1)
    assert result.nadir_platelets_10e9_per_l == Decimal(30)


# --- late T-ICAHT --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nadir", "grade"),
    [(100, 0), (99.9, 1), (50, 1), (49.9, 2), (20, 2), (19.9, 3)],
)
def test_late_plt_nadir_sets_grade_when_on_threshold_edge(nadir: float, grade: int) -> None:
    result = grade_t_icaht_late(platelets_by_day={31: 150, 38: nadir, 45: 150})
    assert result.grade == grade


@pytest.mark.parametrize(("days", "grade"), [(1, 3), (13, 3), (14, 4)])
def test_late_plt_lt_20_duration_sets_grade_when_on_band_edge(days: int, grade: int) -> None:
    series = plt(*episode(40, days, 10), first_day=31, last_day=70)
    result = grade_t_icaht_late(platelets_by_day=series)
    assert (result.grade, result.longest_plt_lt_20_days) == (grade, days)


def test_late_plt_episodes_merge_when_separated_by_two_days() -> None:
    series = plt((40, 45, 10), (46, 47, 30), (48, 53, 10), first_day=31, last_day=70)
    assert grade_t_icaht_late(platelets_by_day=series).grade == 4


def test_late_sparse_counts_are_accepted_when_gaps_bounded_by_values_of_20_or_more() -> None:
    result = grade_t_icaht_late(platelets_by_day={31: 150, 60: 20, 100: 150})
    assert (result.grade, result.driver) == (2, "plt_nadir")


def test_rejects_late_platelets_when_long_gap_touches_value_below_20() -> None:
    with pytest.raises(ValueError, match=r"^platelets_by_day.*days 46-59"):
        grade_t_icaht_late(platelets_by_day={31: 150, 38: 150, 45: 10, 60: 150})


def test_late_gap_of_seven_days_is_interpolated_when_next_to_value_below_20() -> None:
    result = grade_t_icaht_late(platelets_by_day={31: 150, 39: 10, 47: 150})
    assert (result.grade, result.longest_plt_lt_20_days) == (3, 1)


@pytest.mark.parametrize("day", [30, 101])
def test_rejects_late_platelets_when_day_outside_default_window(day: int) -> None:
    with pytest.raises(ValueError, match=r"^platelets_by_day"):
        grade_t_icaht_late(platelets_by_day={day: 150, 60: 150})


def test_late_window_extends_when_study_sets_window_last_day() -> None:
    result = grade_t_icaht_late(platelets_by_day={31: 150, 150: 80}, window_last_day=180)
    assert result.grade == 1


@pytest.mark.parametrize("window_last_day", [30, 0, True, 100.0, None])
def test_rejects_window_last_day_when_not_an_int_from_31(window_last_day: Any) -> None:
    with pytest.raises(ValueError, match=r"^window_last_day"):
        grade_t_icaht_late(platelets_by_day={31: 150}, window_last_day=window_last_day)


# --- rule tables -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bands",
    [
        pytest.param((), id="empty"),
        pytest.param(((1, 6, 1), (8, None, 2)), id="gap"),
        pytest.param(((1, 7, 1), (7, None, 2)), id="overlap"),
        pytest.param(((1, 6, 1), (7, 13, 2)), id="closed-top"),
        pytest.param(((1, 6, 2), (7, None, 1)), id="falling-grades"),
        pytest.param(((0, 6, 1), (7, None, 2)), id="zero-days"),
        pytest.param(((1, None, 1), (7, None, 2)), id="row-after-open-row"),
    ],
)
def test_duration_table_check_fails_when_table_is_broken(bands: Any) -> None:
    with pytest.raises(RuleTableError):
        validate_duration_bands("broken", bands)


def test_nadir_table_check_fails_when_thresholds_out_of_order() -> None:
    with pytest.raises(RuleTableError):
        validate_nadir_bands("broken", ((Decimal(500), 3), (Decimal(100), 4)))
