"""CAR-T cellular kinetics and the B-cell course (followup.domain.kinetics), by hand.

Every expected area is worked by hand from clinical-rules.md §13.7 (linear-up/log-down: a rising
or level segment (C1+C2)/2·Δt, a falling one (C1−C2)·Δt/ln(C1/C2)); the arithmetic is in each
docstring. The shared vectors are in test_vectors.py.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.domain.kinetics import Point, b_cell_course, nca

LN2 = math.log(2)


def test_rising_and_level_segments_are_linear() -> None:
    """0-7: (0+100)/2·7 = 350; 7-14 level: 100·7 = 700; 14-28: (100+200)/2·14 = 2100."""
    result = nca(samples=[(0, 0), (7, 100), (14, 100), (28, 200)], lloq=1)
    assert result.auc == pytest.approx(3150)
    assert result.auc_truncated is False


def test_falling_segment_is_logarithmic() -> None:
    """0-4: 400; 4-28: (200−50)·24/ln 4 = 2596.85 (a linear trapezoid would give 3000)."""
    result = nca(samples=[(0, 0), (4, 200), (28, 50)], lloq=1)
    assert result.auc == pytest.approx(400 + 150 * 24 / math.log(4))


def test_day_28_between_rising_points_is_interpolated_linearly() -> None:
    """C(28) = 100 + 80·8/16 = 140; 0-20: 1000; 20-28: (100+140)/2·8 = 960."""
    result = nca(samples=[(0, 0), (20, 100), (36, 180)], lloq=1)
    assert result.auc == pytest.approx(1960)
    assert "auc_interpolated" in result.flags
    assert (result.tlast, result.auc_truncated) == (36, False)


def test_day_28_between_falling_points_is_interpolated_log_linearly() -> None:
    """C(28) = 800·(50/800)^(21/28) = 100; 0-7: 2800; 7-28: (800−100)·21/ln 8 = 7069.28."""
    result = nca(samples=[(0, 0), (7, 800), (35, 50)], lloq=1)
    assert result.auc == pytest.approx(2800 + 700 * 21 / math.log(8))


def test_blq_before_first_quantifiable_is_0_and_after_it_left_out() -> None:
    """Points (0,0) (3,0) (7,100) (21,50) (28,25); the day-14 BLQ is left out.
    0-3: 0; 3-7: 200; 7-21: 50·14/ln 2; 21-28: 25·7/ln 2."""
    samples = [(0, None), (3, 4), (7, 100), (14, None), (21, 50), (28, 25)]
    result = nca(samples=samples, lloq=10)
    assert result.points == (Point(0, 0), Point(3, 0), Point(7, 100), Point(21, 50), Point(28, 25))
    assert result.auc == pytest.approx(200 + 50 * 14 / LN2 + 25 * 7 / LN2)
    assert "blq_after_first_quantifiable_left_out" in result.flags


def test_truncated_profile_is_flagged_and_stops_at_the_last_point() -> None:
    """Last point day 14: 0-7: 350; 7-14: 50·7/ln 2 = 504.95; truncated."""
    result = nca(samples=[(0, 0), (7, 100), (14, 50)], lloq=1)
    assert result.auc == pytest.approx(350 + 50 * 7 / LN2)
    assert (result.auc_truncated, result.auc_last_day) == (True, 14)
    assert "auc_truncated" in result.flags


def test_missing_day_0_is_assumed_0_and_said() -> None:
    """No day-0 sample: (0, 0) is assumed; 0-7: (0+70)/2·7 = 245."""
    result = nca(samples=[(7, 70), (28, 70)], lloq=1)
    assert result.points[0] == Point(0, 0)
    assert result.auc == pytest.approx(245 + 70 * 21)
    assert "day0_assumed" in result.flags


def test_a_value_just_below_lloq_is_blq() -> None:
    """§13.7: below the LLOQ is BLQ; with nothing quantifiable every parameter is None."""
    result = nca(samples=[(0, None), (7, 9.99)], lloq=10)
    assert (result.cmax, result.tmax, result.tlast, result.auc) == (None, None, None, None)
    assert result.flags == ("no_quantifiable_value",)


def test_tmax_is_the_first_day_of_the_highest_value() -> None:
    result = nca(samples=[(0, 0), (7, 100), (14, 100), (21, 50)], lloq=1)
    assert (result.cmax, result.tmax, result.tlast, result.clast) == (100, 7, 21, 50)


def test_persistence_is_the_last_quantifiable_day() -> None:
    result = nca(samples=[(0, 0), (7, 900), (90, 15), (180, None)], lloq=10)
    assert result.persistence_day == 90


def test_auc_end_day_can_be_another_day() -> None:
    """AUC0-7 of (0,0) (7,100) (14,50): 350, not truncated."""
    result = nca(samples=[(0, 0), (7, 100), (14, 50)], lloq=1, auc_end_day=7)
    assert (result.auc, result.auc_truncated) == (pytest.approx(350), False)


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"samples": [(0, 0), (7, 100)], "lloq": 0}, "lloq"),
        ({"samples": [(0, 0), (7, -1)], "lloq": 1}, "samples"),
        ({"samples": [(-1, 0), (7, 10)], "lloq": 1}, "samples"),
        ({"samples": [(7,)], "lloq": 1}, "samples"),
        ({"samples": [(0, 0)], "lloq": 1, "auc_end_day": 0}, "auc_end_day"),
    ],
)
def test_bad_input_raises_naming_the_argument(kwargs: dict, argument: str) -> None:
    with pytest.raises(ValueError, match=f"^{argument}: "):
        nca(**kwargs)


# --- properties -------------------------------------------------------------------------------

DAYS = st.lists(st.integers(min_value=0, max_value=120), min_size=1, max_size=12, unique=True)
LLOQ = 10.0


@st.composite
def profiles(draw: st.DrawFn) -> tuple[list[tuple[int, float | None]], list[float]]:
    """A profile of quantifiable values, and non-negative increments to add to each."""
    days = draw(DAYS)
    values = draw(st.lists(st.floats(LLOQ, 1e6), min_size=len(days), max_size=len(days)))
    raises = draw(st.lists(st.floats(0, 1e5), min_size=len(days), max_size=len(days)))
    return list(zip(days, values, strict=True)), raises


@given(
    st.lists(
        st.tuples(st.integers(0, 120), st.one_of(st.none(), st.floats(0, 1e6))),
        max_size=12,
        unique_by=lambda sample: sample[0],
    )
)
def test_auc_is_never_negative_and_cmax_is_a_sample_value(
    samples: list[tuple[int, float | None]],
) -> None:
    result = nca(samples=samples, lloq=LLOQ)
    if result.cmax is None:
        return
    assert result.auc is not None
    assert result.auc >= 0
    assert (result.tmax, result.cmax) in samples
    assert result.tlast is not None
    assert result.tmax is not None
    assert result.tlast >= result.tmax


@given(profiles())
def test_auc_does_not_fall_when_every_concentration_rises(
    profile: tuple[list[tuple[int, float]], list[float]],
) -> None:
    samples, raises = profile
    higher = [(day, value + extra) for (day, value), extra in zip(samples, raises, strict=True)]
    before, after = nca(samples=samples, lloq=LLOQ).auc, nca(samples=higher, lloq=LLOQ).auc
    assert before is not None
    assert after is not None
    assert after >= before * (1 - 1e-9)


# --- B-cell course ----------------------------------------------------------------------------


def test_reconstitution_needs_two_consecutive_values() -> None:
    """§13.7: a lone value >= 1 (day 90) between low ones is not reconstitution; 150 and 180 are."""
    samples = [(7, 0.2), (28, 0), (90, 2), (120, 0.5), (150, 3), (180, 4)]
    course = b_cell_course(samples=samples)
    assert (course.aplasia_day, course.reconstitution_day) == (7, 150)


def test_the_threshold_itself_is_not_aplasia_and_counts_towards_reconstitution() -> None:
    """Aplasia is < threshold; reconstitution is >= threshold."""
    course = b_cell_course(samples=[(4, 1.0), (7, 0.99), (90, 1.0), (120, 1.0)])
    assert (course.aplasia_day, course.reconstitution_day) == (7, 90)


def test_a_pre_infusion_depletion_is_not_aplasia_day() -> None:
    """Choice stated in b_cell_course: day 0 and before are baseline (e.g. after rituximab)."""
    course = b_cell_course(samples=[(-5, 0.3), (0, 0.2), (7, 0.1)])
    assert course.aplasia_day == 7


def test_a_count_below_lloq_is_below_the_threshold() -> None:
    course = b_cell_course(samples=[(1, 40), (7, None), (90, 5), (120, 8)])
    assert (course.aplasia_day, course.reconstitution_day) == (7, 90)


def test_a_last_single_value_at_threshold_awaits_confirmation() -> None:
    course = b_cell_course(samples=[(7, 0), (90, 0.4), (180, 3)])
    assert (course.reconstitution_day, course.reconstitution_unconfirmed_day) == (None, 180)


def test_no_aplasia_means_no_reconstitution() -> None:
    course = b_cell_course(samples=[(7, 12), (28, 30)])
    assert (course.aplasia_day, course.reconstitution_day) == (None, None)


def test_b_cell_course_refuses_a_zero_threshold() -> None:
    with pytest.raises(ValueError, match=r"^threshold: "):
        b_cell_course(samples=[(7, 0)], threshold=0)
