"""The rules of the immune-reconstitution forms, without a database."""

from decimal import Decimal

import pytest

from followup.domain.immunology import LloqProblem, hypogammaglobulinaemia, lloq_problem


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
