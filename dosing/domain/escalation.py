"""Dose-escalation rules: classic 3+3 and BOIN (Bayesian optimal interval design).

Pure Python, stdlib only (no Django, no scipy). Every public function takes keyword-only
arguments, validates them (a `ValueError` whose message names the argument) and returns a
frozen result object or a plain value, as listed in `domain-api.md`.

Sources (see `SOURCES`; clinical-rules.md §6):

* BOIN: Liu & Yuan, JRSS-C 2015;64:507-523; Yuan, Hess, Hilsenbeck & Gilbert, Clin Cancer Res
  2016;22:4291-4301; implementation reference CRAN `BOIN` 2.7.2, `R/get.boundary.R` (boundaries,
  decision table, elimination rule) and `R/select.mtd.R` (isotonic MTD selection).
* 3+3: Le Tourneau, Lee & Siu, JNCI 2009;101:708-720 (PMC2684552).

Numerical notes:

* The BOIN posterior tail uses the closed form Pr(p > phi | y, n) = P(Binomial(n + 1, phi) <= y),
  which is `1 - pbeta(phi, y + 1, n - y + 1)` under a Beta(1, 1) prior.
* Boundary quantities (n * lambda, posterior tails, isotonic distances) are rounded to 8
  significant digits before `floor`/`ceil`/comparison (clinical-rules.md §10), so that a value
  that is mathematically on a boundary is not pushed across it by binary floating-point noise.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from edc.domain.validation import ArgumentError, Checks, signif

BOIN_SOURCE = (
    "Liu & Yuan, JRSS-C 2015;64:507-523; Yuan, Hess, Hilsenbeck & Gilbert, "
    "Clin Cancer Res 2016;22:4291-4301; CRAN BOIN 2.7.2 R/get.boundary.R and R/select.mtd.R"
)
THREE_PLUS_THREE_SOURCE = "Le Tourneau, Lee & Siu, JNCI 2009;101:708-720 (PMC2684552)"
SOURCES: tuple[str, ...] = (BOIN_SOURCE, THREE_PLUS_THREE_SOURCE)
RULE_SECTION = "clinical-rules.md §6.1 (3+3), §6.2 (BOIN)"

DEFAULT_ELIMINATION_CUTOFF = 0.95
PHI1_FACTOR = 0.6  # default phi1 = 0.6 * target (highest sub-therapeutic DLT rate)
PHI2_FACTOR = 1.4  # default phi2 = 1.4 * target (lowest overly toxic DLT rate)
MIN_N_FOR_ELIMINATION = 3  # BOIN never eliminates a dose with fewer than 3 patients
# select.mtd: the observed rate is shrunk to (y + 0.05) / (n + 0.1) before isotonic regression.
ISOTONIC_PSEUDO_DLT = 0.05
ISOTONIC_PSEUDO_N = 0.1


class EscalationInputError(ArgumentError):
    """Invalid input to an escalation rule; `.argument` names the argument, as does the message."""


class UnknownDoseLevel(EscalationInputError):
    """A dose level was referenced that is not among the doses given."""


class BoinDecision(enum.StrEnum):
    ESCALATE = "escalate"
    STAY = "stay"
    DEESCALATE = "deescalate"
    DEESCALATE_AND_ELIMINATE = "deescalate_and_eliminate"


class ThreePlusThreeDecision(enum.StrEnum):
    ESCALATE = "escalate"
    EXPAND_TO_6 = "expand_to_6"
    MTD_EXCEEDED = "mtd_exceeded"


class ThreePlusThreeMtdStatus(enum.StrEnum):
    DETERMINED = "determined"
    NEEDS_EXPANSION = "needs_expansion"  # the dose below the exceeded one has only 3 patients
    NOT_REACHED = "not_reached"  # no dose level has exceeded the MTD yet
    LOWEST_DOSE_EXCEEDED = "lowest_dose_exceeded"  # no tolerated dose level


@dataclass(frozen=True, slots=True)
class BoinBoundaries:
    target: float
    phi1: float
    phi2: float
    lambda_e: float
    lambda_d: float


@dataclass(frozen=True, slots=True)
class BoinTableRow:
    """One column of the BOIN decision table (counts are cumulative DLTs at the current dose)."""

    n: int
    escalate_if_dlt_le: int
    deescalate_if_dlt_ge: int
    eliminate_if_dlt_ge: int | None


@dataclass(frozen=True, slots=True)
class BoinDecisionResult:
    decision: BoinDecision
    table_decision: BoinDecision  # what the table says before the edge-of-range adjustments
    stop_trial: bool
    row: BoinTableRow
    reason: str
    target: float
    n_treated: int
    n_dlt: int
    posterior_prob_above_target: float
    elimination_cutoff: float
    source: str = BOIN_SOURCE


@dataclass(frozen=True, slots=True)
class ThreePlusThreeResult:
    decision: ThreePlusThreeDecision
    reason: str
    n_treated: int
    n_dlt: int
    source: str = THREE_PLUS_THREE_SOURCE


@dataclass(frozen=True, slots=True)
class ThreePlusThreeMtdAssessment:
    mtd_dose_level: int | None
    status: ThreePlusThreeMtdStatus
    reason: str
    source: str = THREE_PLUS_THREE_SOURCE


# --------------------------------------------------------------------------- validation


# The shared argument checks of `edc.domain.validation`, raising `EscalationInputError`.
check = Checks(EscalationInputError)


def _require_probability(name: str, value: object) -> float:
    """A probability strictly between 0 and 1, as a float."""
    number = check.number(
        value, name, minimum=0, maximum=1, minimum_exclusive=True, maximum_exclusive=True
    )
    return float(number)


def _require_counts(
    *, n: object, dlt: object, n_name: str, dlt_name: str, n_minimum: int
) -> tuple[int, int]:
    n_checked = check.integer(n, n_name, minimum=n_minimum)
    dlt_checked = check.integer(dlt, dlt_name, minimum=0)
    if dlt_checked > n_checked:
        raise EscalationInputError(
            dlt_name, f"cannot exceed {n_name} ({n_checked}); got {dlt_checked}"
        )
    return n_checked, dlt_checked


def _dose_record(name: str, record: object) -> tuple[int, int, int]:
    """Validate one `{"dose_level", "n", "dlt"}` mapping; return (dose_level, n, dlt)."""
    if not isinstance(record, Mapping):
        raise EscalationInputError(
            name, f"must be a mapping with dose_level, n, dlt; got {record!r}"
        )
    missing = [key for key in ("dose_level", "n", "dlt") if key not in record]
    if missing:
        raise EscalationInputError(
            f"{name}.{missing[0]}", f"is required ({name} is missing {', '.join(missing)})"
        )
    dose_level = check.integer(record["dose_level"], f"{name}.dose_level", minimum=0)
    n, dlt = _require_counts(
        n=record["n"], dlt=record["dlt"], n_name=f"{name}.n", dlt_name=f"{name}.dlt", n_minimum=0
    )
    return dose_level, n, dlt


# --------------------------------------------------------------------------- BOIN


def boin_boundaries(
    *, target: float, phi1: float | None = None, phi2: float | None = None
) -> BoinBoundaries:
    """BOIN escalation/de-escalation boundaries lambda_e and lambda_d (DLT-rate scale, 0-1).

    lambda_e = ln[(1-phi1)/(1-phi)] / ln[phi(1-phi1) / (phi1(1-phi))]
    lambda_d = ln[(1-phi)/(1-phi2)] / ln[phi2(1-phi) / (phi(1-phi2))]
    Defaults phi1 = 0.6*target, phi2 = 1.4*target. Source: Liu & Yuan 2015; CRAN BOIN 2.7.2
    get.boundary (clinical-rules.md §6.2).
    """
    phi = _require_probability("target", target)
    p1 = PHI1_FACTOR * phi if phi1 is None else _require_probability("phi1", phi1)
    p2 = PHI2_FACTOR * phi if phi2 is None else _require_probability("phi2", phi2)
    if not p1 < phi:
        raise EscalationInputError("phi1", f"must be below target ({phi!r}); got {p1!r}")
    if not phi < p2 < 1:
        default = " (default phi2 = 1.4 * target)" if phi2 is None else ""
        raise EscalationInputError(
            "phi2", f"must be above target ({phi!r}) and below 1; got {p2!r}{default}"
        )
    lambda_e = math.log((1 - p1) / (1 - phi)) / math.log(phi * (1 - p1) / (p1 * (1 - phi)))
    lambda_d = math.log((1 - phi) / (1 - p2)) / math.log(p2 * (1 - phi) / (phi * (1 - p2)))
    return BoinBoundaries(target=phi, phi1=p1, phi2=p2, lambda_e=lambda_e, lambda_d=lambda_d)


def boin_posterior_tail(*, target: float, n_treated: int, n_dlt: int) -> float:
    """Pr(p > target | n_dlt DLTs in n_treated) under a Beta(1, 1) prior.

    Closed form P(Binomial(n+1, target) <= y) = 1 - pbeta(target, y+1, n-y+1)
    (clinical-rules.md §6.2). Returns a probability in [0, 1].
    """
    phi = _require_probability("target", target)
    n, y = _require_counts(
        n=n_treated, dlt=n_dlt, n_name="n_treated", dlt_name="n_dlt", n_minimum=0
    )
    return _posterior_tail(phi, n, y)


def _binomial_pmf(k: int, trials: int, phi: float) -> float:
    ways = math.comb(trials, k)
    try:
        return ways * phi**k * (1 - phi) ** (trials - k)
    except OverflowError:  # comb() beyond float range (trials > ~1000): work in logs
        return math.exp(math.log(ways) + k * math.log(phi) + (trials - k) * math.log1p(-phi))


def _posterior_tail(phi: float, n: int, y: int) -> float:
    tail = math.fsum(_binomial_pmf(k, n + 1, phi) for k in range(y + 1))
    return min(1.0, max(0.0, tail))


def _elimination_boundary(phi: float, n: int, cutoff: float) -> int | None:
    """Smallest DLT count (1..n) whose posterior tail exceeds the cutoff; None if n < 3 or none."""
    if n < MIN_N_FOR_ELIMINATION:
        return None
    tail = _binomial_pmf(0, n + 1, phi)
    for y in range(1, n + 1):
        tail += _binomial_pmf(y, n + 1, phi)  # P(Binomial(n+1, phi) <= y), built up term by term
        if signif(min(1.0, tail)) > cutoff:
            return y
    return None


def _boin_row(bounds: BoinBoundaries, n: int, cutoff: float) -> BoinTableRow:
    escalate_le = math.floor(signif(n * bounds.lambda_e))
    deescalate_ge = math.ceil(signif(n * bounds.lambda_d))
    eliminate_ge = _elimination_boundary(bounds.target, n, cutoff)
    if eliminate_ge is not None:
        # get.boundary: b.d = min(b.d, elim); an eliminated dose is always also de-escalated from.
        deescalate_ge = min(deescalate_ge, eliminate_ge)
    return BoinTableRow(
        n=n,
        escalate_if_dlt_le=escalate_le,
        deescalate_if_dlt_ge=deescalate_ge,
        eliminate_if_dlt_ge=eliminate_ge,
    )


def boin_decision_table(
    *,
    target: float,
    n_max: int,
    elimination_cutoff: float = DEFAULT_ELIMINATION_CUTOFF,
    phi1: float | None = None,
    phi2: float | None = None,
) -> list[BoinTableRow]:
    """BOIN decision table for n = 1..n_max patients at a dose (CRAN BOIN full_boundary_tab).

    escalate if y <= floor(n*lambda_e); de-escalate if y >= ceil(n*lambda_d); eliminate if
    n >= 3 and Pr(p > target | y, n) > elimination_cutoff; de-escalation count lowered to the
    elimination count where it is higher. `eliminate_if_dlt_ge` is None where n < 3 or no count
    reaches the cutoff. Source: CRAN BOIN 2.7.2 get.boundary (clinical-rules.md §6.2).
    """
    bounds = boin_boundaries(target=target, phi1=phi1, phi2=phi2)
    rows = check.integer(n_max, "n_max", minimum=1)
    cutoff = _require_probability("elimination_cutoff", elimination_cutoff)
    return [_boin_row(bounds, n, cutoff) for n in range(1, rows + 1)]


def boin_decide(
    *,
    target: float,
    n_treated: int,
    n_dlt: int,
    is_highest_dose: bool = False,
    is_lowest_dose: bool = False,
    next_dose_eliminated: bool = False,
    elimination_cutoff: float = DEFAULT_ELIMINATION_CUTOFF,
    phi1: float | None = None,
    phi2: float | None = None,
) -> BoinDecisionResult:
    """BOIN decision at the current dose from cumulative counts there (clinical-rules.md §6.2).

    Order of the table rules: eliminate (safety) > de-escalate > escalate > stay. Then the edge
    cases: escalating from the highest dose or into an eliminated dose means stay; de-escalating
    from the lowest dose means stay, unless the lowest dose is eliminated, in which case the
    decision stays `deescalate_and_eliminate` and `stop_trial` is True.
    """
    bounds = boin_boundaries(target=target, phi1=phi1, phi2=phi2)
    n, y = _require_counts(
        n=n_treated, dlt=n_dlt, n_name="n_treated", dlt_name="n_dlt", n_minimum=1
    )
    cutoff = _require_probability("elimination_cutoff", elimination_cutoff)
    highest = check.boolean(is_highest_dose, "is_highest_dose")
    lowest = check.boolean(is_lowest_dose, "is_lowest_dose")
    next_eliminated = check.boolean(next_dose_eliminated, "next_dose_eliminated")
    if highest and next_eliminated:
        raise EscalationInputError(
            "next_dose_eliminated", "cannot be True when is_highest_dose is True (no higher dose)"
        )

    row = _boin_row(bounds, n, cutoff)
    tail = _posterior_tail(bounds.target, n, y)
    counts = f"{y} DLT(s) in {n} patient(s) at the current dose"

    if row.eliminate_if_dlt_ge is not None and y >= row.eliminate_if_dlt_ge:
        table_decision = BoinDecision.DEESCALATE_AND_ELIMINATE
        reason = (
            f"{counts} >= elimination boundary {row.eliminate_if_dlt_ge} "
            f"(Pr(p > {bounds.target:g} | data) = {tail:.4f} > {cutoff:g}): "
            "eliminate this and all higher doses and de-escalate"
        )
    elif y >= row.deescalate_if_dlt_ge:
        table_decision = BoinDecision.DEESCALATE
        reason = f"{counts} >= de-escalation boundary {row.deescalate_if_dlt_ge}: de-escalate"
    elif y <= row.escalate_if_dlt_le:
        table_decision = BoinDecision.ESCALATE
        reason = f"{counts} <= escalation boundary {row.escalate_if_dlt_le}: escalate"
    else:
        table_decision = BoinDecision.STAY
        reason = (
            f"{counts} is between the escalation boundary {row.escalate_if_dlt_le} and the "
            f"de-escalation boundary {row.deescalate_if_dlt_ge}: stay"
        )

    decision = table_decision
    stop_trial = False
    if table_decision is BoinDecision.ESCALATE and highest:
        decision = BoinDecision.STAY
        reason += "; the current dose is the highest dose, so stay"
    elif table_decision is BoinDecision.ESCALATE and next_eliminated:
        decision = BoinDecision.STAY
        reason += "; the next higher dose is eliminated, so stay"
    elif table_decision is BoinDecision.DEESCALATE and lowest:
        decision = BoinDecision.STAY
        reason += "; the current dose is the lowest dose, so stay"
    elif table_decision is BoinDecision.DEESCALATE_AND_ELIMINATE and lowest:
        stop_trial = True
        reason += "; the lowest dose is eliminated, so stop the trial (no MTD)"

    return BoinDecisionResult(
        decision=decision,
        table_decision=table_decision,
        stop_trial=stop_trial,
        row=row,
        reason=reason,
        target=bounds.target,
        n_treated=n,
        n_dlt=y,
        posterior_prob_above_target=tail,
        elimination_cutoff=cutoff,
    )


def isotonic_regression(*, values: Sequence[float], weights: Sequence[float]) -> list[float]:
    """Weighted non-decreasing least-squares fit (pool-adjacent-violators algorithm, PAVA)."""
    if len(values) != len(weights):
        raise EscalationInputError(
            "weights", f"has {len(weights)} entries but values has {len(values)}"
        )
    for index, weight in enumerate(weights):
        check.positive(weight, f"weights[{index}]")
    for index, value in enumerate(values):
        check.number(value, f"values[{index}]")
    # Each block: [weighted mean, total weight, number of pooled entries].
    blocks: list[list[float]] = []
    for value, weight in zip(values, weights, strict=True):
        blocks.append([float(value), float(weight), 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean2, weight2, count2 = blocks.pop()
            mean1, weight1, count1 = blocks[-1]
            total = weight1 + weight2
            blocks[-1] = [(mean1 * weight1 + mean2 * weight2) / total, total, count1 + count2]
    fitted: list[float] = []
    for mean, _weight, count in blocks:
        fitted.extend([mean] * int(count))
    return fitted


def boin_select_mtd(
    *,
    target: float,
    doses: Sequence[Mapping[str, int]],
    eliminated: Collection[int] = frozenset(),
    elimination_cutoff: float = DEFAULT_ELIMINATION_CUTOFF,
) -> int | None:
    """End-of-trial BOIN MTD: dose level whose isotonic DLT estimate is closest to the target.

    As CRAN BOIN 2.7.2 select.mtd: a dose is eliminated (with all higher doses) if it is in
    `eliminated` or if n >= 3 and Pr(p > target | data) > elimination_cutoff; only doses with
    n > 0 below the lowest eliminated dose are considered. Rates (y + 0.05)/(n + 0.1) are fitted
    by PAVA weighted by the inverse of their beta variance. Ties: the highest tied dose when the
    tied estimates are below the target, otherwise the lowest (so a tie across the target goes
    to the lower dose). Returns None if the lowest dose is eliminated or no dose is admissible.
    """
    phi = _require_probability("target", target)
    cutoff = _require_probability("elimination_cutoff", elimination_cutoff)
    if isinstance(doses, str | bytes | Mapping) or not isinstance(doses, Sequence):
        raise EscalationInputError("doses", "must be a sequence of {dose_level, n, dlt} mappings")
    if not doses:
        raise EscalationInputError("doses", "must not be empty")
    records = [_dose_record(f"doses[{index}]", record) for index, record in enumerate(doses)]
    levels = [level for level, _, _ in records]
    if len(set(levels)) != len(levels):
        raise EscalationInputError("doses", f"lists a dose_level more than once: {levels}")
    if isinstance(eliminated, str | bytes):
        raise EscalationInputError("eliminated", "must be a collection of dose levels")
    for level in eliminated:
        if isinstance(level, bool) or not isinstance(level, int) or level not in levels:
            raise UnknownDoseLevel("eliminated", f"names unknown dose level {level!r}")

    records.sort()
    # BOIN's safety rule: a dose that is eliminated takes every higher dose with it.
    first_eliminated: int | None = min(eliminated, default=None)
    for level, n, dlt in records:
        if n >= MIN_N_FOR_ELIMINATION and signif(_posterior_tail(phi, n, dlt)) > cutoff:
            if first_eliminated is None or level < first_eliminated:
                first_eliminated = level
            break
    if first_eliminated is not None and first_eliminated == records[0][0]:
        return None
    admissible = [
        (level, n, dlt)
        for level, n, dlt in records
        if n > 0 and (first_eliminated is None or level < first_eliminated)
    ]
    if not admissible:
        return None

    rates = [(dlt + ISOTONIC_PSEUDO_DLT) / (n + ISOTONIC_PSEUDO_N) for _, n, dlt in admissible]
    variances = [
        (dlt + ISOTONIC_PSEUDO_DLT)
        * (n - dlt + ISOTONIC_PSEUDO_DLT)
        / ((n + ISOTONIC_PSEUDO_N) ** 2 * (n + ISOTONIC_PSEUDO_N + 1))
        for _, n, dlt in admissible
    ]
    estimates = isotonic_regression(values=rates, weights=[1 / v for v in variances])
    distances = [signif(abs(estimate - phi)) for estimate in estimates]
    closest = min(distances)
    tied = [index for index, distance in enumerate(distances) if distance == closest]
    # select.mtd tie rule: highest tied dose below the target, otherwise the lowest.
    all_below_target = all(signif(estimates[index]) < phi for index in tied)
    chosen = max(tied) if all_below_target else min(tied)
    return admissible[chosen][0]


# --------------------------------------------------------------------------- 3+3

_THREE_PLUS_THREE_COHORT_SIZES = (3, 6)


def _require_three_plus_three_counts(
    *, n: object, dlt: object, n_name: str, dlt_name: str
) -> tuple[int, int]:
    n_checked, dlt_checked = _require_counts(
        n=n, dlt=dlt, n_name=n_name, dlt_name=dlt_name, n_minimum=0
    )
    if n_checked not in _THREE_PLUS_THREE_COHORT_SIZES:
        raise EscalationInputError(
            n_name, f"must be 3 or 6 for a 3+3 decision (a complete cohort); got {n_checked}"
        )
    return n_checked, dlt_checked


def three_plus_three_decide(*, n_treated: int, n_dlt: int) -> ThreePlusThreeResult:
    """Classic 3+3 decision at the current dose (Le Tourneau 2009; clinical-rules.md §6.1).

    3 patients: 0 DLT escalate, 1 DLT expand to 6, >= 2 MTD exceeded.
    6 patients: <= 1 DLT escalate, >= 2 MTD exceeded (stop escalating, de-escalate).
    `n_treated` must be a complete cohort (3 or 6).
    """
    n, y = _require_three_plus_three_counts(
        n=n_treated, dlt=n_dlt, n_name="n_treated", dlt_name="n_dlt"
    )
    counts = f"{y}/{n} DLT"
    if y >= 2:
        return ThreePlusThreeResult(
            decision=ThreePlusThreeDecision.MTD_EXCEEDED,
            reason=f"{counts}: >= 2 DLTs, MTD exceeded; stop escalating and de-escalate",
            n_treated=n,
            n_dlt=y,
        )
    if n == 3 and y == 1:
        return ThreePlusThreeResult(
            decision=ThreePlusThreeDecision.EXPAND_TO_6,
            reason=f"{counts}: treat 3 more patients at the same dose",
            n_treated=n,
            n_dlt=y,
        )
    return ThreePlusThreeResult(
        decision=ThreePlusThreeDecision.ESCALATE,
        reason=f"{counts}: escalate to the next dose level",
        n_treated=n,
        n_dlt=y,
    )


def three_plus_three_mtd_assessment(
    *, history: Sequence[Mapping[str, int]]
) -> ThreePlusThreeMtdAssessment:
    """3+3 MTD with the reason (clinical-rules.md §6.1).

    `history` lists one `{"dose_level", "n", "dlt"}` per dose level in escalation order
    (cumulative counts, n = 3 or 6). The first level with >= 2 DLTs has exceeded the MTD; the
    MTD is the level just below it if that level has 6 patients (it then has <= 1 DLT). If it
    has only 3, it must be expanded first: no MTD yet. No level exceeded: MTD not reached.
    """
    if isinstance(history, str | bytes | Mapping) or not isinstance(history, Sequence):
        raise EscalationInputError("history", "must be a sequence of {dose_level, n, dlt} mappings")
    if not history:
        raise EscalationInputError("history", "must not be empty")
    records: list[tuple[int, int, int]] = []
    for index, record in enumerate(history):
        name = f"history[{index}]"
        level, _, _ = _dose_record(name, record)
        n, dlt = _require_three_plus_three_counts(
            n=record["n"], dlt=record["dlt"], n_name=f"{name}.n", dlt_name=f"{name}.dlt"
        )
        if records and level <= records[-1][0]:
            raise EscalationInputError(
                f"{name}.dose_level",
                f"must be higher than the previous level ({records[-1][0]}); got {level}: "
                "history is one entry per dose level in escalation order",
            )
        records.append((level, n, dlt))

    exceeded_index = next((i for i, (_, _, dlt) in enumerate(records) if dlt >= 2), None)
    if exceeded_index is None:
        return ThreePlusThreeMtdAssessment(
            mtd_dose_level=None,
            status=ThreePlusThreeMtdStatus.NOT_REACHED,
            reason="no dose level has had >= 2 DLTs: MTD not reached",
        )
    exceeded_level, exceeded_n, exceeded_dlt = records[exceeded_index]
    exceeded = f"dose level {exceeded_level} exceeded the MTD ({exceeded_dlt}/{exceeded_n} DLT)"
    if exceeded_index == 0:
        return ThreePlusThreeMtdAssessment(
            mtd_dose_level=None,
            status=ThreePlusThreeMtdStatus.LOWEST_DOSE_EXCEEDED,
            reason=f"{exceeded}; it is the lowest dose level given, so there is no MTD",
        )
    below_level, below_n, below_dlt = records[exceeded_index - 1]
    if below_n < 6:
        return ThreePlusThreeMtdAssessment(
            mtd_dose_level=None,
            status=ThreePlusThreeMtdStatus.NEEDS_EXPANSION,
            reason=(
                f"{exceeded}; dose level {below_level} has only {below_n} patients "
                "and must be expanded to 6 before it can be the MTD"
            ),
        )
    return ThreePlusThreeMtdAssessment(
        mtd_dose_level=below_level,
        status=ThreePlusThreeMtdStatus.DETERMINED,
        reason=(
            f"{exceeded}; dose level {below_level} has {below_dlt}/{below_n} DLT: it is the MTD"
        ),
    )


def three_plus_three_mtd(*, history: Sequence[Mapping[str, int]]) -> int | None:
    """3+3 MTD dose level, or None if not (yet) determined; see three_plus_three_mtd_assessment."""
    return three_plus_three_mtd_assessment(history=history).mtd_dose_level
