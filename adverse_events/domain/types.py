"""Result types shared by the adverse-event grading rules (pure Python, no Django).

Every grading function in `adverse_events.domain` returns a frozen result whose `.grade` is an int
0-5 (0 = criterion not met), whose `.driver` names the domain that set the grade, whose `.scale`
names the grading system and version (stored next to the grade, clinical-rules.md §10), and whose
`.reasons` say why in words a reviewer can check against the source table.

Ties: when several domains reach the same (highest) grade, `.driver` lists them joined by "+", in
the column order of the source table (e.g. "hypotension+hypoxia"); `.driver` is "none" when no
domain is involved.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from edc.domain.validation import ArgumentError, Checks

__all__ = [
    "DRIVER_NONE",
    "GRADE_MAX",
    "GRADE_MIN",
    "CrsResult",
    "CtcaeResult",
    "GradeResult",
    "GradingInputError",
    "GvhdResult",
    "IcahtResult",
    "IcansResult",
    "RuleTableError",
    "TIcahtResult",
    "check",
    "join_drivers",
]

GRADE_MIN = 0
GRADE_MAX = 5
DRIVER_NONE = "none"


class GradingInputError(ArgumentError):
    """Bad input to a grading function; `.argument` names the argument (forms map it to a field).

    The message starts with the argument name, so `str(error)` names it too.
    """


# The shared argument checks of `edc.domain.validation`, raising `GradingInputError`.
check = Checks(GradingInputError)


class RuleTableError(RuntimeError):
    """A grading table declared in code has a gap, an overlap or a bad row (raised at import)."""


def join_drivers(drivers: list[str] | tuple[str, ...]) -> str:
    """The `.driver` value for the domains that reached the grade (see the module docstring)."""
    return "+".join(drivers) if drivers else DRIVER_NONE


@dataclass(frozen=True, kw_only=True, slots=True)
class GradeResult:
    """A grade with the domain that drove it, the grading scale and the reasons."""

    grade: int
    driver: str
    scale: str
    reasons: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.grade, bool) or not isinstance(self.grade, int):
            raise TypeError(f"grade must be an int; got {self.grade!r}")
        if not GRADE_MIN <= self.grade <= GRADE_MAX:
            raise ValueError(f"grade must be {GRADE_MIN}-{GRADE_MAX}; got {self.grade}")
        if not isinstance(self.reasons, tuple) or not all(isinstance(r, str) for r in self.reasons):
            raise TypeError("reasons must be a tuple of str")
        if not self.driver or not self.scale:
            raise ValueError("driver and scale must be non-empty")


@dataclass(frozen=True, kw_only=True, slots=True)
class CrsResult(GradeResult):
    """ASTCT 2019 CRS grade with its domain grades (0 where a domain is not involved)."""

    fever: bool
    hypotension_grade: int
    hypoxia_grade: int


@dataclass(frozen=True, kw_only=True, slots=True)
class IcansResult(GradeResult):
    """ASTCT 2019 ICANS grade; `ice_score` is the ICE total used (None if not performed)."""

    ice_score: int | None


@dataclass(frozen=True, kw_only=True, slots=True)
class IcahtResult(GradeResult):
    """Neutrophil ICAHT (EHA/EBMT 2023) grade.

    Early (`phase == "early"`): the longest merged episode of ANC <=500 and <=100 cells/uL, in days,
    and whether an episode that began on or before day 3 was still ongoing at the last assessment.
    Late (`phase == "late"`): the nadir and the second-lowest ANC (None when only one value).
    """

    phase: str
    nadir_anc_per_ul: Decimal
    longest_anc_le_500_days: int | None = None
    longest_anc_le_100_days: int | None = None
    never_recovered: bool | None = None
    second_lowest_anc_per_ul: Decimal | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class TIcahtResult(GradeResult):
    """Thrombocytopenic ICAHT (T-ICAHT) grade with the longest merged episodes in days.

    `longest_plt_lt_50_days` is None for the late phase (grades 1-2 there use the nadir).
    """

    phase: str
    nadir_platelets_10e9_per_l: Decimal
    longest_plt_lt_20_days: int
    longest_plt_lt_50_days: int | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class CtcaeResult(GradeResult):
    """A CTCAE laboratory grade with what it was computed from.

    `value` and `unit` are the input (unit resolved to the canonical unit when None was given);
    `canonical_value` is the value in `canonical_unit` (rounded to 8 significant digits) used for
    absolute thresholds; `baseline_abnormal` is set for the terms with a baseline branch.
    """

    ctcae_version: str
    term: str
    value: Decimal
    unit: str
    canonical_value: Decimal
    canonical_unit: str
    baseline_abnormal: bool | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class GvhdResult(GradeResult):
    """MAGIC overall acute GvHD grade (0, I-IV as 0-4) with the organ stages it came from."""

    skin_stage: int
    liver_stage: int
    upper_gi_stage: int
    lower_gi_stage: int
