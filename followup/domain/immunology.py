"""Immune reconstitution read from the follow-up samples: what the numbers mean, in plain Python.

B-cell aplasia and low immunoglobulins are the expected effect of an anti-CD19 CAR-T and the
reason for IVIG; the cut-off and the handling of results below the assay's lower limit of
quantification (LLOQ) are clinical rules, so they live here and are tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

# IgG below 4 g/L: the usual threshold for hypogammaglobulinaemia after CAR-T (and for IVIG
# replacement in the EHA/EBMT recommendations).
HYPOGAMMAGLOBULINAEMIA_IGG_G_PER_L = Decimal("4")


def hypogammaglobulinaemia(igg_g_per_l: Decimal) -> bool:
    return igg_g_per_l < HYPOGAMMAGLOBULINAEMIA_IGG_G_PER_L


@dataclass(frozen=True)
class IggCourse:
    """When IgG was below 4 g/L after infusion: the first such day and every such day."""

    first_low_day: int | None
    low_days: tuple[int, ...]
    latest_low: bool  # the most recent result is still low (IVIG may be running)


def igg_course(*, samples: Iterable[tuple[int, Decimal]]) -> IggCourse:
    """Hypogammaglobulinaemia over a subject's IgG results, (study day, g/L) pairs, any order,
    by the one threshold above (clinical-rules.md §13.7: IgG < 4 g/L)."""
    ordered = sorted(samples)
    days = [day for day, _ in ordered]
    if len(set(days)) != len(days):
        raise ValueError("samples: more than one IgG result on the same day")
    if any(value < 0 for _, value in ordered):
        raise ValueError("samples: an IgG result cannot be negative")
    low = tuple(day for day, value in ordered if hypogammaglobulinaemia(value))
    latest_low = bool(ordered) and hypogammaglobulinaemia(ordered[-1][1])
    return IggCourse(first_low_day=low[0] if low else None, low_days=low, latest_low=latest_low)


class LloqProblem(Enum):
    """Why a quantitative result and its below-LLOQ flag do not fit together."""

    MISSING = "missing"  # neither a value nor "below LLOQ"
    BOTH = "both"  # a value and "below LLOQ": which one is the result?


def lloq_problem(value: Decimal | None, below_lloq: bool) -> LloqProblem | None:
    """A result is either a number or "below LLOQ", never both and never neither: a result
    below the LLOQ is not zero (the cells may be there, unmeasurably few), so it is not typed as 0
    and not left empty."""
    if value is None and not below_lloq:
        return LloqProblem.MISSING
    if value is not None and below_lloq:
        return LloqProblem.BOTH
    return None
