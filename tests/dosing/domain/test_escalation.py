"""Dose-escalation rules (clinical-rules.md §6): shared vectors, published tables, edge cases.

Pure domain tests: no database, no Django.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pytest

from dosing.domain.escalation import (
    SOURCES,
    BoinDecision,
    EscalationInputError,
    ThreePlusThreeDecision,
    ThreePlusThreeMtdStatus,
    UnknownDoseLevel,
    boin_boundaries,
    boin_decide,
    boin_decision_table,
    boin_posterior_tail,
    boin_select_mtd,
    isotonic_regression,
    three_plus_three_decide,
    three_plus_three_mtd,
    three_plus_three_mtd_assessment,
)
from tests.vectors import resolve, vector_params

# --------------------------------------------------------------------------- shared vectors


def _assert_matches_vector(vector: dict[str, Any]) -> None:
    result = resolve(vector["function"])(**vector["kwargs"])
    expected = vector["expected"]
    tolerance = vector.get("tolerance", expected.get("tolerance", 0.01))
    for key, want in expected.items():
        if key == "tolerance":
            continue
        if key == "table":
            got_rows = [{name: getattr(row, name) for name in want[0]} for row in result]
            assert got_rows == want
        elif key == "mtd_dose_level":
            assert result == want
        elif isinstance(want, float):
            assert getattr(result, key) == pytest.approx(want, abs=tolerance)
        else:
            assert getattr(result, key) == want


@pytest.mark.parametrize("vector", vector_params("boin_boundaries"))
def test_boundaries_match_vector_when_published_case(vector: dict[str, Any]) -> None:
    _assert_matches_vector(vector)


@pytest.mark.parametrize("vector", vector_params("boin_decision"))
def test_boin_matches_vector_when_published_case(vector: dict[str, Any]) -> None:
    _assert_matches_vector(vector)


@pytest.mark.parametrize("vector", vector_params("three_plus_three"))
def test_three_plus_three_matches_vector_when_published_case(vector: dict[str, Any]) -> None:
    _assert_matches_vector(vector)


# --------------------------------------------------------------------------- BOIN boundaries

LAMBDAS_7DP = [
    # target, lambda_e, lambda_d (clinical-rules.md §6.2 "Computed boundaries")
    (0.20, 0.1572423, 0.2384624),
    (0.25, 0.1968009, 0.2983922),
    (0.30, 0.2364907, 0.3585195),
]


@pytest.mark.parametrize(("target", "lambda_e", "lambda_d"), LAMBDAS_7DP)
def test_lambda_e_matches_reference_to_7dp_when_default_phi(
    target: float, lambda_e: float, lambda_d: float
) -> None:
    assert round(boin_boundaries(target=target).lambda_e, 7) == lambda_e


@pytest.mark.parametrize(("target", "lambda_e", "lambda_d"), LAMBDAS_7DP)
def test_lambda_d_matches_reference_to_7dp_when_default_phi(
    target: float, lambda_e: float, lambda_d: float
) -> None:
    assert round(boin_boundaries(target=target).lambda_d, 7) == lambda_d


def test_lambda_d_rounds_to_0_359_when_target_is_0_30() -> None:
    # Papers that print 0.358 truncate; the formula gives 0.358519...
    assert round(boin_boundaries(target=0.3).lambda_d, 3) == 0.359


def test_boundaries_default_phi1_and_phi2_when_not_given() -> None:
    bounds = boin_boundaries(target=0.3)
    assert (bounds.target, bounds.phi1, bounds.phi2) == pytest.approx((0.3, 0.18, 0.42))


def test_boundaries_equal_defaults_when_phi1_and_phi2_given_explicitly() -> None:
    explicit = boin_boundaries(target=0.3, phi1=0.18, phi2=0.42)
    default = boin_boundaries(target=0.3)
    assert (explicit.lambda_e, explicit.lambda_d) == pytest.approx(
        (default.lambda_e, default.lambda_d), abs=1e-12
    )


def test_boundaries_widen_when_phi1_and_phi2_move_away_from_target() -> None:
    narrow = boin_boundaries(target=0.3)
    wide = boin_boundaries(target=0.3, phi1=0.1, phi2=0.5)
    assert wide.lambda_e < narrow.lambda_e
    assert wide.lambda_d > narrow.lambda_d


def test_boundaries_are_frozen_when_created() -> None:
    bounds = boin_boundaries(target=0.3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        bounds.lambda_e = 0.5  # type: ignore[misc]


# --------------------------------------------------------------------------- BOIN tables

NA = None
# clinical-rules.md §6.2, n = 1..12: (escalate if DLT <=, de-escalate if DLT >=, eliminate if >=)
PUBLISHED_TABLES: dict[float, tuple[tuple[int, ...], tuple[int, ...], tuple[int | None, ...]]] = {
    0.30: (
        (0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2),
        (1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5),
        (NA, NA, 3, 3, 4, 4, 5, 5, 5, 6, 6, 7),
    ),
    0.25: (
        (0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2),
        (1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4),
        (NA, NA, 3, 3, 3, 4, 4, 4, 5, 5, 6, 6),
    ),
    0.20: (
        (0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1),
        (1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3),
        (NA, NA, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5),
    ),
}


def _published_cells() -> list[Any]:
    return [
        pytest.param(target, n, esc[n - 1], deesc[n - 1], elim[n - 1], id=f"phi{target}-n{n}")
        for target, (esc, deesc, elim) in PUBLISHED_TABLES.items()
        for n in range(1, 13)
    ]


def _table_row(target: float, n: int) -> Any:
    return boin_decision_table(target=target, n_max=12)[n - 1]


@pytest.mark.parametrize(("target", "n", "escalate", "deescalate", "eliminate"), _published_cells())
def test_escalation_boundary_matches_published_table_when_n_1_to_12(
    target: float, n: int, escalate: int, deescalate: int, eliminate: int | None
) -> None:
    row = _table_row(target, n)
    assert (row.n, row.escalate_if_dlt_le) == (n, escalate)


@pytest.mark.parametrize(("target", "n", "escalate", "deescalate", "eliminate"), _published_cells())
def test_deescalation_boundary_matches_published_table_when_n_1_to_12(
    target: float, n: int, escalate: int, deescalate: int, eliminate: int | None
) -> None:
    assert _table_row(target, n).deescalate_if_dlt_ge == deescalate


@pytest.mark.parametrize(("target", "n", "escalate", "deescalate", "eliminate"), _published_cells())
def test_elimination_boundary_matches_published_table_when_n_1_to_12(
    target: float, n: int, escalate: int, deescalate: int, eliminate: int | None
) -> None:
    assert _table_row(target, n).eliminate_if_dlt_ge == eliminate


def test_table_has_one_row_per_patient_count_when_n_max_given() -> None:
    assert [row.n for row in boin_decision_table(target=0.3, n_max=30)] == list(range(1, 31))


def test_table_has_single_row_when_n_max_is_1() -> None:
    (row,) = boin_decision_table(target=0.3, n_max=1)
    assert (row.n, row.eliminate_if_dlt_ge) == (1, None)


def test_cohort_of_3_view_matches_boundary_tab_when_target_is_0_30() -> None:
    rows = {row.n: row for row in boin_decision_table(target=0.3, n_max=12)}
    view = [
        (rows[n].escalate_if_dlt_le, rows[n].deescalate_if_dlt_ge, rows[n].eliminate_if_dlt_ge)
        for n in (3, 6, 9, 12)
    ]
    assert view == [(0, 2, 3), (1, 3, 4), (2, 4, 5), (2, 5, 7)]


def test_deescalation_lowered_to_elimination_when_elimination_is_lower() -> None:
    # cutoff 0.5 at n=3: elimination at 1 DLT, below ceil(3 * 0.3585) = 2 (b.d = min(b.d, elim))
    row = boin_decision_table(target=0.3, n_max=3, elimination_cutoff=0.5)[2]
    assert (row.deescalate_if_dlt_ge, row.eliminate_if_dlt_ge) == (1, 1)


def test_deescalation_lowered_to_elimination_when_n_is_large_with_default_cutoff() -> None:
    bounds = boin_boundaries(target=0.3)
    row = boin_decision_table(target=0.3, n_max=173)[-1]
    assert math.ceil(173 * bounds.lambda_d) == 63
    assert row.deescalate_if_dlt_ge == row.eliminate_if_dlt_ge == 62


def test_no_elimination_at_3_of_3_when_cutoff_above_its_posterior_tail() -> None:
    # 3/3 gives Pr(p > 0.30) = 0.9919, which does not exceed a 0.995 cutoff.
    row = boin_decision_table(target=0.3, n_max=3, elimination_cutoff=0.995)[2]
    assert row.eliminate_if_dlt_ge is None


def test_elimination_is_strictly_greater_than_cutoff_when_tail_equals_it() -> None:
    # Pr(p > 0.5 | 1 DLT in 3) = P(Binomial(4, 0.5) <= 1) = 5/16 exactly: "> cutoff" means
    # 1 DLT is not enough at a cutoff of 5/16, so elimination starts at 2.
    row = boin_decision_table(target=0.5, n_max=3, elimination_cutoff=0.3125)[2]
    assert row.eliminate_if_dlt_ge == 2


def test_table_rows_are_frozen_when_created() -> None:
    row = boin_decision_table(target=0.3, n_max=1)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.n = 2  # type: ignore[misc]


# --------------------------------------------------------------------------- posterior tails

POSTERIOR_TAILS_030 = [
    # (n_dlt, n_treated, Pr(p > 0.30 | data), eliminated at cutoff 0.95) from §6.2
    (2, 3, 0.9163, False),
    (3, 3, 0.9919, True),
    (3, 4, 0.9692, True),
    (4, 6, 0.9712, True),
    (4, 7, 0.9420, False),
    (5, 7, 0.9887, True),
    (5, 9, 0.9527, True),
    (5, 10, 0.9218, False),
    (6, 10, 0.9784, True),
    (6, 12, 0.9376, False),
    (7, 12, 0.9818, True),
]


@pytest.mark.parametrize(("n_dlt", "n_treated", "tail", "eliminated"), POSTERIOR_TAILS_030)
def test_posterior_tail_matches_reference_when_at_elimination_edge(
    n_dlt: int, n_treated: int, tail: float, eliminated: bool
) -> None:
    got = boin_posterior_tail(target=0.3, n_treated=n_treated, n_dlt=n_dlt)
    assert got == pytest.approx(tail, abs=5e-5)


@pytest.mark.parametrize(("n_dlt", "n_treated", "tail", "eliminated"), POSTERIOR_TAILS_030)
def test_elimination_follows_posterior_tail_when_at_elimination_edge(
    n_dlt: int, n_treated: int, tail: float, eliminated: bool
) -> None:
    result = boin_decide(target=0.3, n_treated=n_treated, n_dlt=n_dlt)
    assert (result.decision is BoinDecision.DEESCALATE_AND_ELIMINATE) is eliminated


def test_posterior_tail_is_half_when_beta_is_symmetric_about_target() -> None:
    # Beta(2, 2) after 1 DLT in 2 patients is symmetric about 0.5.
    assert boin_posterior_tail(target=0.5, n_treated=2, n_dlt=1) == pytest.approx(0.5)


def test_posterior_tail_is_one_minus_target_when_no_patients() -> None:
    # Beta(1, 1) prior: Pr(p > phi) = 1 - phi.
    assert boin_posterior_tail(target=0.3, n_treated=0, n_dlt=0) == pytest.approx(0.7)


def test_posterior_tail_is_finite_when_n_is_beyond_float_range_of_comb() -> None:
    tail = boin_posterior_tail(target=0.3, n_treated=2000, n_dlt=600)
    assert 0.45 < tail < 0.55


# --------------------------------------------------------------------------- BOIN decisions


def _published_decision(target: float, n: int, y: int) -> str:
    esc, deesc, elim = (column[n - 1] for column in PUBLISHED_TABLES[target])
    if elim is not None and y >= elim:
        return "deescalate_and_eliminate"
    if y >= deesc:
        return "deescalate"
    if y <= esc:
        return "escalate"
    return "stay"


@pytest.mark.parametrize(
    ("target", "n", "y"),
    [
        pytest.param(target, n, y, id=f"phi{target}-{y}of{n}")
        for target in PUBLISHED_TABLES
        for n in range(1, 13)
        for y in range(n + 1)
    ],
)
def test_decision_follows_published_table_when_any_count_up_to_12(
    target: float, n: int, y: int
) -> None:
    assert boin_decide(target=target, n_treated=n, n_dlt=y).decision == _published_decision(
        target, n, y
    )


def test_decision_is_a_string_when_compared_to_code() -> None:
    decision = boin_decide(target=0.3, n_treated=3, n_dlt=0).decision
    assert isinstance(decision, str)
    assert decision == "escalate"


def test_decision_carries_table_row_when_decided() -> None:
    result = boin_decide(target=0.3, n_treated=6, n_dlt=2)
    assert result.row == boin_decision_table(target=0.3, n_max=6)[5]


def test_decision_reason_names_counts_and_boundary_when_decided() -> None:
    reason = boin_decide(target=0.3, n_treated=6, n_dlt=3).reason
    assert "3 DLT(s) in 6 patient(s)" in reason
    assert "de-escalation boundary 3" in reason


def test_decision_reports_posterior_tail_when_decided() -> None:
    result = boin_decide(target=0.3, n_treated=3, n_dlt=3)
    assert result.posterior_prob_above_target == pytest.approx(0.9919, abs=5e-5)


def test_decision_cites_source_when_decided() -> None:
    assert "Liu & Yuan" in boin_decide(target=0.3, n_treated=3, n_dlt=0).source


def test_decision_uses_cumulative_count_when_dose_is_revisited() -> None:
    # 2/3 at a dose (de-escalate), later re-escalated to it with 1/3: cumulative 3/6 means
    # de-escalate, although the last cohort alone (1/3) would mean stay.
    assert boin_decide(target=0.3, n_treated=3, n_dlt=1).decision == "stay"
    assert boin_decide(target=0.3, n_treated=6, n_dlt=3).decision == "deescalate"


def test_never_eliminate_when_fewer_than_3_patients() -> None:
    result = boin_decide(target=0.3, n_treated=2, n_dlt=2)
    assert result.decision is BoinDecision.DEESCALATE
    assert result.row.eliminate_if_dlt_ge is None


def test_stay_when_escalation_indicated_at_highest_dose() -> None:
    result = boin_decide(target=0.3, n_treated=3, n_dlt=0, is_highest_dose=True)
    assert (result.decision, result.table_decision) == ("stay", "escalate")


def test_stay_when_next_dose_is_eliminated() -> None:
    result = boin_decide(target=0.3, n_treated=3, n_dlt=0, next_dose_eliminated=True)
    assert (result.decision, result.table_decision) == ("stay", "escalate")


def test_reason_explains_override_when_next_dose_is_eliminated() -> None:
    result = boin_decide(target=0.3, n_treated=3, n_dlt=0, next_dose_eliminated=True)
    assert "next higher dose is eliminated" in result.reason


def test_stay_when_deescalation_indicated_at_lowest_dose() -> None:
    result = boin_decide(target=0.3, n_treated=3, n_dlt=2, is_lowest_dose=True)
    assert (result.decision, result.table_decision, result.stop_trial) == (
        "stay",
        "deescalate",
        False,
    )


def test_stop_trial_when_lowest_dose_is_eliminated() -> None:
    result = boin_decide(target=0.3, n_treated=3, n_dlt=3, is_lowest_dose=True)
    assert (result.decision, result.stop_trial) == ("deescalate_and_eliminate", True)


def test_reason_says_stop_when_lowest_dose_is_eliminated() -> None:
    result = boin_decide(target=0.3, n_treated=3, n_dlt=3, is_lowest_dose=True)
    assert "stop the trial" in result.reason


def test_trial_continues_when_higher_dose_is_eliminated() -> None:
    result = boin_decide(target=0.3, n_treated=3, n_dlt=3)
    assert (result.decision, result.stop_trial) == ("deescalate_and_eliminate", False)


def test_deescalate_when_deescalation_indicated_at_highest_dose() -> None:
    result = boin_decide(target=0.3, n_treated=3, n_dlt=2, is_highest_dose=True)
    assert result.decision is BoinDecision.DEESCALATE


def test_escalate_when_escalation_indicated_at_lowest_dose() -> None:
    result = boin_decide(target=0.3, n_treated=3, n_dlt=0, is_lowest_dose=True)
    assert result.decision is BoinDecision.ESCALATE


def test_stay_unchanged_when_single_dose_level_is_both_lowest_and_highest() -> None:
    result = boin_decide(
        target=0.3, n_treated=4, n_dlt=1, is_lowest_dose=True, is_highest_dose=True
    )
    assert (result.decision, result.stop_trial) == ("stay", False)


def test_eliminate_earlier_when_cutoff_is_lower() -> None:
    result = boin_decide(target=0.3, n_treated=3, n_dlt=2, elimination_cutoff=0.9)
    assert result.decision is BoinDecision.DEESCALATE_AND_ELIMINATE


def test_decision_result_is_frozen_when_created() -> None:
    result = boin_decide(target=0.3, n_treated=3, n_dlt=0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.decision = BoinDecision.STAY  # type: ignore[misc]


# --------------------------------------------------------------------------- 3+3 decisions

THREE_PLUS_THREE_BRANCHES = [
    (3, 0, ThreePlusThreeDecision.ESCALATE),
    (3, 1, ThreePlusThreeDecision.EXPAND_TO_6),
    (3, 2, ThreePlusThreeDecision.MTD_EXCEEDED),
    (3, 3, ThreePlusThreeDecision.MTD_EXCEEDED),
    (6, 0, ThreePlusThreeDecision.ESCALATE),
    (6, 1, ThreePlusThreeDecision.ESCALATE),
    (6, 2, ThreePlusThreeDecision.MTD_EXCEEDED),
    (6, 3, ThreePlusThreeDecision.MTD_EXCEEDED),
    (6, 4, ThreePlusThreeDecision.MTD_EXCEEDED),
    (6, 5, ThreePlusThreeDecision.MTD_EXCEEDED),
    (6, 6, ThreePlusThreeDecision.MTD_EXCEEDED),
]


@pytest.mark.parametrize(("n_treated", "n_dlt", "decision"), THREE_PLUS_THREE_BRANCHES)
def test_three_plus_three_decision_follows_rule_when_cohort_complete(
    n_treated: int, n_dlt: int, decision: ThreePlusThreeDecision
) -> None:
    assert three_plus_three_decide(n_treated=n_treated, n_dlt=n_dlt).decision is decision


def test_three_plus_three_reason_names_counts_when_decided() -> None:
    assert "1/3 DLT" in three_plus_three_decide(n_treated=3, n_dlt=1).reason


def test_three_plus_three_reason_says_deescalate_when_mtd_exceeded() -> None:
    assert "de-escalate" in three_plus_three_decide(n_treated=3, n_dlt=2).reason


def test_three_plus_three_cites_le_tourneau_when_decided() -> None:
    assert "Le Tourneau" in three_plus_three_decide(n_treated=3, n_dlt=0).source


@pytest.mark.parametrize("n_treated", [0, 1, 2, 4, 5, 7, 9])
def test_three_plus_three_raises_when_cohort_incomplete(n_treated: int) -> None:
    with pytest.raises(ValueError, match="n_treated"):
        three_plus_three_decide(n_treated=n_treated, n_dlt=0)


def test_three_plus_three_raises_when_dlt_exceeds_treated() -> None:
    with pytest.raises(ValueError, match="n_dlt"):
        three_plus_three_decide(n_treated=3, n_dlt=4)


def test_three_plus_three_raises_when_dlt_negative() -> None:
    with pytest.raises(ValueError, match="n_dlt"):
        three_plus_three_decide(n_treated=3, n_dlt=-1)


def test_three_plus_three_raises_when_treated_negative() -> None:
    with pytest.raises(ValueError, match="n_treated"):
        three_plus_three_decide(n_treated=-3, n_dlt=0)


# --------------------------------------------------------------------------- 3+3 MTD


def _dl(dose_level: int, n: int, dlt: int) -> dict[str, int]:
    return {"dose_level": dose_level, "n": n, "dlt": dlt}


def test_mtd_is_dose_below_when_it_has_6_patients_and_1_dlt() -> None:
    history = [_dl(1, 3, 0), _dl(2, 6, 1), _dl(3, 3, 2)]
    assert three_plus_three_mtd(history=history) == 2


def test_mtd_is_dose_below_when_exceeded_after_expansion() -> None:
    # DL3: 1/3 then 2/3 = 3/6 exceeds; DL2 0/6 is the MTD.
    history = [_dl(1, 3, 0), _dl(2, 6, 0), _dl(3, 6, 3)]
    assert three_plus_three_mtd(history=history) == 2


def test_mtd_is_none_when_dose_below_has_only_3_patients() -> None:
    history = [_dl(1, 3, 0), _dl(2, 3, 0), _dl(3, 3, 2)]
    assessment = three_plus_three_mtd_assessment(history=history)
    assert (assessment.mtd_dose_level, assessment.status) == (
        None,
        ThreePlusThreeMtdStatus.NEEDS_EXPANSION,
    )


def test_mtd_is_none_when_lowest_dose_exceeds() -> None:
    assessment = three_plus_three_mtd_assessment(history=[_dl(1, 3, 2)])
    assert (assessment.mtd_dose_level, assessment.status) == (
        None,
        ThreePlusThreeMtdStatus.LOWEST_DOSE_EXCEEDED,
    )


def test_mtd_is_none_when_no_dose_exceeded() -> None:
    history = [_dl(1, 3, 0), _dl(2, 6, 1), _dl(3, 6, 0)]
    assessment = three_plus_three_mtd_assessment(history=history)
    assert (assessment.mtd_dose_level, assessment.status) == (
        None,
        ThreePlusThreeMtdStatus.NOT_REACHED,
    )


def test_mtd_uses_first_exceeded_dose_when_several_exceed() -> None:
    history = [_dl(1, 6, 1), _dl(2, 3, 2), _dl(3, 3, 3)]
    assert three_plus_three_mtd(history=history) == 1


def test_mtd_reason_names_exceeded_dose_when_determined() -> None:
    history = [_dl(1, 6, 0), _dl(2, 3, 2)]
    assert "dose level 2 exceeded" in three_plus_three_mtd_assessment(history=history).reason


def test_mtd_accepts_non_consecutive_levels_when_in_escalation_order() -> None:
    history = [_dl(10, 6, 1), _dl(20, 6, 2)]
    assert three_plus_three_mtd(history=history) == 10


def test_mtd_raises_when_history_is_empty() -> None:
    with pytest.raises(ValueError, match="history"):
        three_plus_three_mtd(history=[])


def test_mtd_raises_when_history_not_in_escalation_order() -> None:
    with pytest.raises(ValueError, match=r"history\[1\]\.dose_level"):
        three_plus_three_mtd(history=[_dl(2, 6, 0), _dl(1, 3, 2)])


def test_mtd_raises_when_dose_level_repeated() -> None:
    with pytest.raises(ValueError, match=r"history\[1\]\.dose_level"):
        three_plus_three_mtd(history=[_dl(1, 3, 0), _dl(1, 3, 2)])


def test_mtd_raises_when_entry_count_is_not_3_or_6() -> None:
    with pytest.raises(ValueError, match=r"history\[0\]\.n"):
        three_plus_three_mtd(history=[_dl(1, 4, 0), _dl(2, 3, 2)])


def test_mtd_raises_when_entry_dlt_exceeds_n() -> None:
    with pytest.raises(ValueError, match=r"history\[0\]\.dlt"):
        three_plus_three_mtd(history=[_dl(1, 3, 4)])


def test_mtd_raises_when_entry_misses_a_key() -> None:
    with pytest.raises(ValueError, match=r"history\[0\] is missing dlt"):
        three_plus_three_mtd(history=[{"dose_level": 1, "n": 3}])


def test_mtd_raises_when_entry_count_negative() -> None:
    with pytest.raises(ValueError, match=r"history\[0\]\.n"):
        three_plus_three_mtd(history=[_dl(1, -3, 0)])


# --------------------------------------------------------------------------- isotonic / MTD


def test_isotonic_regression_pools_violators_when_rates_not_monotone() -> None:
    fitted = isotonic_regression(values=[0.1, 0.4, 0.2, 0.5], weights=[1, 1, 1, 1])
    assert fitted == pytest.approx([0.1, 0.3, 0.3, 0.5])


def test_isotonic_regression_weights_pooled_mean_when_weights_differ() -> None:
    fitted = isotonic_regression(values=[0.1, 0.4, 0.2, 0.5], weights=[1, 1, 3, 1])
    assert fitted == pytest.approx([0.1, 0.25, 0.25, 0.5])


def test_isotonic_regression_pools_backwards_when_later_value_is_lowest() -> None:
    fitted = isotonic_regression(values=[0.3, 0.2, 0.1], weights=[1, 1, 1])
    assert fitted == pytest.approx([0.2, 0.2, 0.2])


def test_isotonic_regression_keeps_values_when_already_monotone() -> None:
    assert isotonic_regression(values=[0.1, 0.2, 0.2, 0.6], weights=[3, 1, 2, 1]) == [
        0.1,
        0.2,
        0.2,
        0.6,
    ]


def test_isotonic_regression_raises_when_lengths_differ() -> None:
    with pytest.raises(ValueError, match="weights"):
        isotonic_regression(values=[0.1, 0.2], weights=[1])


def test_isotonic_regression_raises_when_weight_not_positive() -> None:
    with pytest.raises(ValueError, match=r"weights\[1\]"):
        isotonic_regression(values=[0.1, 0.2], weights=[1, 0])


def _doses(*counts: tuple[int, int]) -> list[dict[str, int]]:
    return [_dl(level, n, dlt) for level, (n, dlt) in enumerate(counts, start=1)]


def test_select_mtd_matches_package_example_when_target_0_30() -> None:
    # BOIN select.mtd example: n = (3, 3, 15, 9, 0), y = (0, 0, 4, 4, 0)
    doses = _doses((3, 0), (3, 0), (15, 4), (9, 4), (0, 0))
    assert boin_select_mtd(target=0.3, doses=doses) == 3


def test_select_mtd_uses_isotonic_estimates_when_rates_not_monotone() -> None:
    # Raw rates 1/6, 3/6, 0/6: the raw rate closest to 0.30 is dose 1, but PAVA pools all
    # three doses to ~0.03 (below target), and the highest of the tied doses is chosen.
    doses = _doses((6, 1), (6, 3), (6, 0))
    assert boin_select_mtd(target=0.3, doses=doses) == 3


def test_select_mtd_chooses_highest_when_tied_estimates_below_target() -> None:
    assert boin_select_mtd(target=0.5, doses=_doses((3, 1), (3, 1))) == 2


def test_select_mtd_chooses_lowest_when_tied_estimates_above_target() -> None:
    assert boin_select_mtd(target=0.2, doses=_doses((3, 1), (3, 1))) == 1


def test_select_mtd_chooses_lower_dose_when_tie_straddles_target() -> None:
    # (0 + 0.05)/1.1 and (1 + 0.05)/1.1 are both 0.4545... from 0.5.
    assert boin_select_mtd(target=0.5, doses=_doses((1, 0), (1, 1))) == 1


def test_select_mtd_ignores_untried_doses_when_n_is_zero() -> None:
    assert boin_select_mtd(target=0.3, doses=_doses((3, 0), (0, 0))) == 1


def test_select_mtd_excludes_eliminated_and_higher_doses_when_eliminated_given() -> None:
    doses = _doses((3, 0), (6, 2), (6, 2))
    assert boin_select_mtd(target=0.3, doses=doses, eliminated={2}) == 1


def test_select_mtd_applies_elimination_rule_when_data_exceed_cutoff() -> None:
    # 3/3 at dose 2 (Pr = 0.9919 > 0.95) eliminates doses 2 and 3 even if not passed in.
    doses = _doses((6, 1), (3, 3), (6, 2))
    assert boin_select_mtd(target=0.3, doses=doses) == 1


def test_select_mtd_is_none_when_lowest_dose_eliminated() -> None:
    assert boin_select_mtd(target=0.3, doses=_doses((3, 0), (3, 0)), eliminated={1}) is None


def test_select_mtd_is_none_when_lowest_dose_fails_elimination_rule() -> None:
    assert boin_select_mtd(target=0.3, doses=_doses((3, 3), (0, 0))) is None


def test_select_mtd_is_none_when_no_dose_tried() -> None:
    assert boin_select_mtd(target=0.3, doses=_doses((0, 0), (0, 0))) is None


def test_select_mtd_sorts_doses_when_given_out_of_order() -> None:
    doses = [_dl(3, 9, 4), _dl(1, 3, 0), _dl(2, 15, 4)]
    assert boin_select_mtd(target=0.3, doses=doses) == 2


def test_select_mtd_raises_unknown_dose_level_when_eliminated_not_in_doses() -> None:
    with pytest.raises(UnknownDoseLevel, match="eliminated"):
        boin_select_mtd(target=0.3, doses=_doses((3, 0)), eliminated={7})


def test_select_mtd_raises_when_dose_level_repeated() -> None:
    with pytest.raises(ValueError, match="doses"):
        boin_select_mtd(target=0.3, doses=[_dl(1, 3, 0), _dl(1, 3, 1)])


def test_select_mtd_raises_when_doses_empty() -> None:
    with pytest.raises(ValueError, match="doses"):
        boin_select_mtd(target=0.3, doses=[])


def test_select_mtd_raises_when_dose_dlt_exceeds_n() -> None:
    with pytest.raises(ValueError, match=r"doses\[0\]\.dlt"):
        boin_select_mtd(target=0.3, doses=[_dl(1, 3, 4)])


def test_select_mtd_raises_when_dose_count_negative() -> None:
    with pytest.raises(ValueError, match=r"doses\[0\]\.n"):
        boin_select_mtd(target=0.3, doses=[_dl(1, -1, 0)])


def test_select_mtd_raises_when_target_out_of_range() -> None:
    with pytest.raises(ValueError, match="target"):
        boin_select_mtd(target=1.2, doses=_doses((3, 0)))


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize("target", [0, 1, -0.1, 1.5, math.nan, math.inf, "0.3", None, True])
def test_boundaries_raise_when_target_outside_open_unit_interval(target: Any) -> None:
    with pytest.raises(ValueError, match="target"):
        boin_boundaries(target=target)


@pytest.mark.parametrize("phi1", [0.3, 0.35, 0, -0.1])
def test_boundaries_raise_when_phi1_not_below_target(phi1: float) -> None:
    with pytest.raises(ValueError, match="phi1"):
        boin_boundaries(target=0.3, phi1=phi1)


@pytest.mark.parametrize("phi2", [0.3, 0.25, 1, 1.2])
def test_boundaries_raise_when_phi2_not_above_target(phi2: float) -> None:
    with pytest.raises(ValueError, match="phi2"):
        boin_boundaries(target=0.3, phi2=phi2)


def test_boundaries_raise_when_default_phi2_reaches_1() -> None:
    with pytest.raises(ValueError, match="phi2"):
        boin_boundaries(target=0.75)


@pytest.mark.parametrize("n_max", [0, -1, 1.5, "12", True])
def test_table_raises_when_n_max_invalid(n_max: Any) -> None:
    with pytest.raises(ValueError, match="n_max"):
        boin_decision_table(target=0.3, n_max=n_max)


@pytest.mark.parametrize("cutoff", [0, 1, 1.5, -0.5])
def test_table_raises_when_elimination_cutoff_outside_unit_interval(cutoff: float) -> None:
    with pytest.raises(ValueError, match="elimination_cutoff"):
        boin_decision_table(target=0.3, n_max=12, elimination_cutoff=cutoff)


def test_table_raises_when_target_outside_unit_interval() -> None:
    with pytest.raises(ValueError, match="target"):
        boin_decision_table(target=0, n_max=12)


@pytest.mark.parametrize("n_treated", [0, -1, 2.0])
def test_decide_raises_when_n_treated_invalid(n_treated: Any) -> None:
    with pytest.raises(ValueError, match="n_treated"):
        boin_decide(target=0.3, n_treated=n_treated, n_dlt=0)


def test_decide_raises_when_n_dlt_negative() -> None:
    with pytest.raises(ValueError, match="n_dlt"):
        boin_decide(target=0.3, n_treated=3, n_dlt=-1)


def test_decide_raises_when_n_dlt_exceeds_n_treated() -> None:
    with pytest.raises(ValueError, match="n_dlt"):
        boin_decide(target=0.3, n_treated=3, n_dlt=4)


def test_decide_raises_when_target_outside_unit_interval() -> None:
    with pytest.raises(ValueError, match="target"):
        boin_decide(target=1.0, n_treated=3, n_dlt=0)


def test_decide_raises_when_elimination_cutoff_invalid() -> None:
    with pytest.raises(ValueError, match="elimination_cutoff"):
        boin_decide(target=0.3, n_treated=3, n_dlt=0, elimination_cutoff=1.0)


@pytest.mark.parametrize("flag", ["is_highest_dose", "is_lowest_dose", "next_dose_eliminated"])
def test_decide_raises_when_flag_not_bool(flag: str) -> None:
    with pytest.raises(ValueError, match=flag):
        boin_decide(target=0.3, n_treated=3, n_dlt=0, **{flag: "yes"})


def test_decide_raises_when_highest_dose_has_eliminated_next_dose() -> None:
    with pytest.raises(ValueError, match="next_dose_eliminated"):
        boin_decide(
            target=0.3, n_treated=3, n_dlt=0, is_highest_dose=True, next_dose_eliminated=True
        )


def test_posterior_tail_raises_when_n_dlt_exceeds_n_treated() -> None:
    with pytest.raises(ValueError, match="n_dlt"):
        boin_posterior_tail(target=0.3, n_treated=2, n_dlt=3)


def test_input_errors_are_value_errors_when_caught_generically() -> None:
    assert issubclass(EscalationInputError, ValueError)
    assert issubclass(UnknownDoseLevel, ValueError)


# --------------------------------------------------------------------------- sources


@pytest.mark.parametrize("source", ["Liu & Yuan", "2015", "CRAN BOIN 2.7.2", "get.boundary"])
def test_sources_name_boin_references_when_read(source: str) -> None:
    assert any(source in text for text in SOURCES)


def test_sources_name_le_tourneau_2009_when_read() -> None:
    assert any("Le Tourneau" in text and "2009" in text for text in SOURCES)
