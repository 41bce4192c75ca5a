"""Immune reconstitution read from the follow-up samples: what the numbers mean, in plain Python.

B-cell aplasia and low immunoglobulins are the expected effect of an anti-CD19 CAR-T and the
reason for IVIG; the cut-off and the handling of results below the assay's lower limit of
quantification (LLOQ) are clinical rules, so they live here and are tested without a database.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

# IgG below 4 g/L: the usual threshold for hypogammaglobulinaemia after CAR-T (and for IVIG
# replacement in the EHA/EBMT recommendations).
HYPOGAMMAGLOBULINAEMIA_IGG_G_PER_L = Decimal("4")


def hypogammaglobulinaemia(igg_g_per_l: Decimal) -> bool:
    return igg_g_per_l < HYPOGAMMAGLOBULINAEMIA_IGG_G_PER_L


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
