"""The rules of the immune-reconstitution forms, without a database."""

from decimal import Decimal

import pytest

from followup.domain.immunology import (
    LloqProblem,
    hypogammaglobulinaemia,
    igg_course,
    lloq_problem,
)


@pytest.mark.parametrize(
    ("igg", "low"), [("3.99", True), ("4", False), ("4.01", False), ("0", True), ("12.5", False)]
)
def test_hypogammaglobulinaemia_is_igg_below_4_g_per_l(igg, low):
    assert hypogammaglobulinaemia(Decimal(igg)) is low


def test_a_result_below_lloq_is_kept_as_such_without_a_number():
    assert lloq_problem(None, below_lloq=True) is None


def test_a_measured_result_needs_no_flag():
    assert lloq_problem(Decimal("0"), below_lloq=False) is None


def test_a_result_needs_a_number_or_the_below_lloq_flag():
    assert lloq_problem(None, below_lloq=False) is LloqProblem.MISSING


def test_a_number_and_the_below_lloq_flag_contradict_each_other():
    assert lloq_problem(Decimal("5"), below_lloq=True) is LloqProblem.BOTH


def test_igg_course_gives_the_first_day_below_4_g_per_l():
    """clinical-rules.md §13.7: hypogammaglobulinaemia is IgG < 4 g/L; 4.0 is not."""
    course = igg_course(samples=[(90, Decimal("3.2")), (0, Decimal("8.1")), (28, Decimal("4.0"))])
    assert (course.first_low_day, course.low_days, course.latest_low) == (90, (90,), True)


def test_igg_course_recovered_when_the_latest_result_is_normal():
    course = igg_course(samples=[(28, Decimal("3.9")), (180, Decimal("5.5"))])
    assert (course.first_low_day, course.latest_low) == (28, False)


def test_igg_course_refuses_two_results_on_one_day():
    with pytest.raises(ValueError, match=r"^samples: "):
        igg_course(samples=[(28, Decimal("3.9")), (28, Decimal("5.5"))])
