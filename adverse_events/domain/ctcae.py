"""CTCAE v5.0 laboratory grades, as validated rule tables.

Source: NCI Common Terminology Criteria for Adverse Events v5.0 (27 Nov 2017), term text as encoded
in pharmaverse/admiral `data-raw/adlb_grading/ncictcaev5.json` [S]; ALT, AST and bilirubin
cross-checked against World J Hepatol 2026 Table 1 [V] (clinical-rules.md §5; fibrinogen §4).

Boundary rule (§5): each range is taken exactly as written, the "<" or ">" bound exclusive and the
other inclusive: neutrophil grade 2 "<1.5 - 1.0" is 1.0 <= ANC < 1.5; ALT grade 2 ">3.0 - 5.0 x ULN"
is 3 x ULN < ALT <= 5 x ULN; ALT grade 1 with an abnormal baseline "1.5 - 3.0 x baseline" is closed
on both ends. Comparisons are exact: numbers are taken as typed (`Decimal(str(x))`), limits are
multiplied exactly, and both sides are rounded to 8 significant digits before comparing (admiral's
`signif(x, 8)`), so 1.2 / 0.8 is exactly 1.5 and a float from a unit conversion cannot flip a grade.

Rules:

* Low-direction count terms (neutrophils, platelets, anemia, lymphocytes, WBC): grades 2-4 use the
  absolute cut-offs in the canonical unit whatever the LLN; grade 1 needs value < LLN (compared in
  the unit given). Without an LLN grade 1 cannot be assigned, so a value in the grade 1 range with
  no LLN raises ValueError naming `lln` (admiral returns NA; a silent 0 is not allowed).
  Anemia grade 4 is clinical ("life-threatening; urgent intervention"), never computed.
* ALT, AST, bilirubin: "baseline abnormal" means baseline > ULN; then the baseline-ratio rows apply
  (ALT/AST 1.0-<1.5 x baseline is not gradable -> 0). Without a baseline the baseline counts as
  normal. ULN is required.
* Creatinine: the worse of the ULN-ratio grade and the baseline-ratio grade. The literal text
  gives grade 2 for a value inside the normal range that is >1.5 x baseline (admiral does the
  same); `creatinine_baseline_rule=False` turns the baseline rows off (sponsor policy, §9 item 6).
  ULN is required.
* Fibrinogen decreased: <1.0-0.75 x LLN -> 1, <0.75-0.5 -> 2, <0.5-0.25 -> 3, <0.25 x LLN -> 4, and
  an absolute value <0.5 g/L (50 mg/dL) -> 4. The "if abnormal, % decrease from baseline" rows of
  the full CTCAE text are not in clinical-rules.md §4 and are not applied [flagged].
* Absolute thresholds are compared in the term's canonical unit after conversion through
  `edc.domain.units.convert`; `unit=None` means the canonical unit. LLN, ULN and baseline are in the
  unit of `value` (ratio rows are unit-free, so they are compared in that unit, unconverted).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum
from itertools import pairwise
from types import MappingProxyType

from adverse_events.domain.types import (
    CtcaeResult,
    GradingInputError,
    RuleTableError,
    check,
    join_drivers,
)
from edc.domain.units import convert
from edc.domain.validation import signif

__all__ = [
    "CTCAE_VERSION",
    "SCALE",
    "SOURCE",
    "TERMS",
    "Band",
    "Basis",
    "Kind",
    "TermRule",
    "grade_lab",
    "validate_bands",
]

CTCAE_VERSION = "5.0"
SCALE = f"CTCAE v{CTCAE_VERSION}"
SOURCE = (
    "NCI CTCAE v5.0 (27 Nov 2017) as encoded in pharmaverse/admiral "
    "data-raw/adlb_grading/ncictcaev5.json; ALT/AST/bilirubin cross-checked with World J Hepatol "
    "2026 Table 1; clinical-rules.md §5 (fibrinogen §4)"
)

_INTERVALS = ("[)", "(]", "[]", "()")


class Basis(StrEnum):
    """What a band's bounds multiply: the value itself or a reference limit."""

    ABSOLUTE = "absolute"
    LLN = "lln_ratio"
    ULN = "uln_ratio"
    BASELINE = "baseline_ratio"


class Kind(StrEnum):
    """How a term combines its bands."""

    LOW_COUNT = "low_count"  # absolute bands; grade 1 also needs value < LLN
    HIGH_BASELINE_BRANCH = "high_baseline_branch"  # ULN rows, or baseline rows if baseline > ULN
    HIGH_WORSE_OF_BASELINE = "high_worse_of_baseline"  # worse of ULN rows and baseline rows
    LOW_LLN_RATIO = "low_lln_ratio"  # LLN-ratio rows, worse of an absolute floor


def _exact_product(a: Decimal, b: Decimal) -> Decimal:
    """a * b without context rounding (enough precision for any product of typed numbers)."""
    with localcontext() as context:
        context.prec = 100
        return a * b


def _tidy(number: Decimal) -> Decimal:
    """`number` without trailing zeros and without an exponent (Decimal("79.000000") -> 79)."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


@dataclass(frozen=True, slots=True)
class Band:
    """One grade's range; `lower`/`upper` multiply the basis reference (None = unbounded above).

    `interval` gives the closed ("[", "]") and open ("(", ")") ends: "[)" is lower <= x < upper.
    """

    grade: int
    lower: Decimal
    upper: Decimal | None
    interval: str

    @property
    def lower_inclusive(self) -> bool:
        return self.interval[0] == "["

    @property
    def upper_inclusive(self) -> bool:
        return self.interval[1] == "]"

    def contains(self, value: Decimal, reference: Decimal = Decimal(1)) -> bool:
        """Whether `value` lies in this band scaled by `reference` (8 significant digits)."""
        x = signif(value)
        low = signif(_exact_product(self.lower, reference))
        if x < low or (x == low and not self.lower_inclusive):
            return False
        if self.upper is None:
            return True
        high = signif(_exact_product(self.upper, reference))
        return x < high or (x == high and self.upper_inclusive)

    def describe(self, basis: Basis) -> str:
        suffix = {
            Basis.ABSOLUTE: "",
            Basis.LLN: " x LLN",
            Basis.ULN: " x ULN",
            Basis.BASELINE: " x baseline",
        }[basis]
        upper = "inf" if self.upper is None else str(self.upper)
        return f"{self.interval[0]}{self.lower}, {upper}{self.interval[1]}{suffix}"


def _bands(*rows: tuple[int, str, str | None, str]) -> tuple[Band, ...]:
    """Build bands from `(grade, lower, upper, interval)` rows written as in the source."""
    return tuple(
        Band(grade, Decimal(lower), None if upper is None else Decimal(upper), interval)
        for grade, lower, upper, interval in rows
    )


@dataclass(frozen=True, slots=True)
class TermRule:
    """The grading rows of one CTCAE term; `analyte` names it in `edc.domain.units`."""

    term: str
    kind: Kind
    analyte: str
    canonical_unit: str
    absolute: tuple[Band, ...] = ()
    lln: tuple[Band, ...] = ()
    uln: tuple[Band, ...] = ()
    baseline: tuple[Band, ...] = ()
    note: str = ""


def validate_bands(name: str, bands: tuple[Band, ...], *, rising: bool) -> None:
    """Bands cover [0, inf) once: no gap, no overlap, grades monotone (RuleTableError otherwise).

    `rising` is True when the grade rises with the value (an "increased" term).
    """
    if not bands:
        raise RuleTableError(f"{name}: no bands")
    for index, band in enumerate(bands):
        if band.interval not in _INTERVALS:
            raise RuleTableError(f"{name}[{index}]: bad interval {band.interval!r}")
        if not 0 <= band.grade <= 4:
            raise RuleTableError(f"{name}[{index}]: grade {band.grade} outside 0-4")
        if band.upper is not None and band.upper <= band.lower:
            raise RuleTableError(f"{name}[{index}]: empty range {band.lower}-{band.upper}")
    ordered = sorted(bands, key=lambda b: (b.lower, not b.lower_inclusive))
    if ordered[0].lower != 0 or not ordered[0].lower_inclusive:
        raise RuleTableError(f"{name}: gap below {ordered[0].lower} (bands must start at [0)")
    if ordered[-1].upper is not None:
        raise RuleTableError(f"{name}: gap above {ordered[-1].upper} (last band must be open)")
    for below, above in pairwise(ordered):
        if below.upper is None or below.upper > above.lower:
            raise RuleTableError(f"{name}: bands overlap at {above.lower}")
        if below.upper < above.lower:
            raise RuleTableError(f"{name}: gap between {below.upper} and {above.lower}")
        if below.upper_inclusive and above.lower_inclusive:
            raise RuleTableError(f"{name}: bands overlap at the point {above.lower}")
        if not below.upper_inclusive and not above.lower_inclusive:
            raise RuleTableError(f"{name}: gap at the point {above.lower}")
        if (above.grade < below.grade) if rising else (above.grade > below.grade):
            raise RuleTableError(f"{name}: grades not monotone at {above.lower}")


# Low-direction count rows: "<a - b" is b <= x < a ("[)"); the grade 1 row is ">= cut-off" and
# additionally needs value < LLN.
_NEUTROPHILS = _bands(
    (4, "0", "0.5", "[)"), (3, "0.5", "1.0", "[)"), (2, "1.0", "1.5", "[)"), (1, "1.5", None, "[)")
)
_PLATELETS = _bands(
    (4, "0", "25.0", "[)"), (3, "25.0", "50.0", "[)"), (2, "50.0", "75.0", "[)"),
    (1, "75.0", None, "[)"),
)  # fmt: skip
_HEMOGLOBIN_G_L = _bands((3, "0", "80", "[)"), (2, "80", "100", "[)"), (1, "100", None, "[)"))
_LYMPHOCYTES = _bands(
    (4, "0", "0.2", "[)"), (3, "0.2", "0.5", "[)"), (2, "0.5", "0.8", "[)"), (1, "0.8", None, "[)")
)
_WBC = _bands(
    (4, "0", "1.0", "[)"), (3, "1.0", "2.0", "[)"), (2, "2.0", "3.0", "[)"), (1, "3.0", None, "[)")
)
# High-direction rows: ">a - b" is a < x <= b ("(]").
_TRANSAMINASE_ULN = _bands(
    (0, "0", "1.0", "[]"), (1, "1.0", "3.0", "(]"), (2, "3.0", "5.0", "(]"),
    (3, "5.0", "20.0", "(]"), (4, "20.0", None, "()"),
)  # fmt: skip
_TRANSAMINASE_BASELINE = _bands(
    (0, "0", "1.5", "[)"), (1, "1.5", "3.0", "[]"), (2, "3.0", "5.0", "(]"),
    (3, "5.0", "20.0", "(]"), (4, "20.0", None, "()"),
)  # fmt: skip
_BILIRUBIN_ULN = _bands(
    (0, "0", "1.0", "[]"), (1, "1.0", "1.5", "(]"), (2, "1.5", "3.0", "(]"),
    (3, "3.0", "10.0", "(]"), (4, "10.0", None, "()"),
)  # fmt: skip
_BILIRUBIN_BASELINE = _bands(
    (0, "0", "1.0", "[]"), (1, "1.0", "1.5", "(]"), (2, "1.5", "3.0", "(]"),
    (3, "3.0", "10.0", "(]"), (4, "10.0", None, "()"),
)  # fmt: skip
_CREATININE_ULN = _bands(
    (0, "0", "1.0", "[]"), (1, "1.0", "1.5", "(]"), (2, "1.5", "3.0", "(]"),
    (3, "3.0", "6.0", "(]"), (4, "6.0", None, "()"),
)  # fmt: skip
_CREATININE_BASELINE = _bands(
    (0, "0", "1.5", "[]"), (2, "1.5", "3.0", "(]"), (3, "3.0", None, "()")
)
_FIBRINOGEN_LLN = _bands(
    (4, "0", "0.25", "[)"), (3, "0.25", "0.5", "[)"), (2, "0.5", "0.75", "[)"),
    (1, "0.75", "1.0", "[)"), (0, "1.0", None, "[)"),
)  # fmt: skip
_FIBRINOGEN_ABSOLUTE_G_L = _bands((4, "0", "0.5", "[)"), (0, "0.5", None, "[)"))

_COUNT_UNIT = "10^9/L"

TERMS: Mapping[str, TermRule] = MappingProxyType(
    {
        rule.term: rule
        for rule in (
            TermRule(
                "neutrophil_count_decreased", Kind.LOW_COUNT, "neutrophils", _COUNT_UNIT,
                absolute=_NEUTROPHILS,
            ),
            TermRule(
                "platelet_count_decreased", Kind.LOW_COUNT, "platelets", _COUNT_UNIT,
                absolute=_PLATELETS,
            ),
            TermRule(
                "anemia", Kind.LOW_COUNT, "hemoglobin", "g/L", absolute=_HEMOGLOBIN_G_L,
                note="grade 4 (life-threatening; urgent intervention) is clinical, not computed",
            ),
            TermRule(
                "lymphocyte_count_decreased", Kind.LOW_COUNT, "lymphocytes", _COUNT_UNIT,
                absolute=_LYMPHOCYTES,
            ),
            TermRule("wbc_decreased", Kind.LOW_COUNT, "wbc", _COUNT_UNIT, absolute=_WBC),
            TermRule(
                "alanine_aminotransferase_increased", Kind.HIGH_BASELINE_BRANCH, "alt", "U/L",
                uln=_TRANSAMINASE_ULN, baseline=_TRANSAMINASE_BASELINE,
            ),
            TermRule(
                "aspartate_aminotransferase_increased", Kind.HIGH_BASELINE_BRANCH, "ast", "U/L",
                uln=_TRANSAMINASE_ULN, baseline=_TRANSAMINASE_BASELINE,
            ),
            TermRule(
                "blood_bilirubin_increased", Kind.HIGH_BASELINE_BRANCH, "bilirubin", "umol/L",
                uln=_BILIRUBIN_ULN, baseline=_BILIRUBIN_BASELINE,
            ),
            TermRule(
                "creatinine_increased", Kind.HIGH_WORSE_OF_BASELINE, "creatinine", "umol/L",
                uln=_CREATININE_ULN, baseline=_CREATININE_BASELINE,
            ),
            TermRule(
                "fibrinogen_decreased", Kind.LOW_LLN_RATIO, "fibrinogen", "g/L",
                absolute=_FIBRINOGEN_ABSOLUTE_G_L, lln=_FIBRINOGEN_LLN,
                note="the '% decrease from baseline' rows are not applied (clinical-rules.md §4)",
            ),
        )
    }
)  # fmt: skip


def _validate_terms() -> None:
    for rule in TERMS.values():
        rising = rule.kind in (Kind.HIGH_BASELINE_BRANCH, Kind.HIGH_WORSE_OF_BASELINE)
        for basis_name, bands in (
            ("absolute", rule.absolute),
            ("lln", rule.lln),
            ("uln", rule.uln),
            ("baseline", rule.baseline),
        ):
            if bands:
                validate_bands(f"{rule.term}.{basis_name}", bands, rising=rising)
        required = {
            Kind.LOW_COUNT: ("absolute",),
            Kind.HIGH_BASELINE_BRANCH: ("uln", "baseline"),
            Kind.HIGH_WORSE_OF_BASELINE: ("uln", "baseline"),
            Kind.LOW_LLN_RATIO: ("absolute", "lln"),
        }[rule.kind]
        for basis_name in required:
            if not getattr(rule, basis_name):
                raise RuleTableError(f"{rule.term}: {rule.kind} needs {basis_name} bands")
        if rule.kind is Kind.LOW_COUNT and max(b.grade for b in rule.absolute) < 1:
            raise RuleTableError(f"{rule.term}: no grade 1 band")


_validate_terms()


def _band_for(bands: tuple[Band, ...], value: Decimal, reference: Decimal) -> Band:
    for band in bands:
        if band.contains(value, reference):
            return band
    raise AssertionError("validated bands cover [0, inf)")  # pragma: no cover


def _canonical(rule: TermRule, value: Decimal, unit: str) -> Decimal:
    if unit == rule.canonical_unit:
        return value
    try:
        converted = convert(
            value, analyte=rule.analyte, from_unit=unit, to_unit=rule.canonical_unit
        )
    except ValueError as error:
        raise GradingInputError(
            "unit", f"{unit!r} cannot be converted to {rule.canonical_unit} ({error})"
        ) from error
    return _tidy(signif(Decimal(str(converted))))


_Outcome = tuple[int, str, list[str], bool | None]


def _grade_low_count(
    rule: TermRule, value: Decimal, canonical: Decimal, lln: Decimal | None
) -> _Outcome:
    band = _band_for(rule.absolute, canonical, Decimal(1))
    where = f"{canonical} {rule.canonical_unit} in {band.describe(Basis.ABSOLUTE)}"
    if band.grade >= 2:
        return band.grade, Basis.ABSOLUTE.value, [f"{where} -> {band.grade}"], None
    if lln is None:
        raise GradingInputError(
            "lln", f"is required: {where} is grade 1 only if below the LLN, else 0"
        )
    if signif(value) < signif(lln):
        return 1, "lln", [f"{where} and {value} < LLN {lln} -> 1"], None
    return 0, "none", [f"{value} >= LLN {lln} -> 0"], None


def _grade_baseline_branch(
    rule: TermRule, value: Decimal, uln: Decimal, baseline: Decimal | None
) -> _Outcome:
    abnormal = baseline is not None and signif(baseline) > signif(uln)
    if baseline is not None and abnormal:
        band = _band_for(rule.baseline, value, baseline)
        reason = (
            f"baseline {baseline} > ULN {uln} (abnormal): {value} in "
            f"{band.describe(Basis.BASELINE)} -> {band.grade}"
        )
        if band.grade == 0:
            reason += " (below the lowest gradable multiple of baseline)"
        return band.grade, Basis.BASELINE.value if band.grade else "none", [reason], True
    band = _band_for(rule.uln, value, uln)
    state = "not given, taken as normal" if baseline is None else f"{baseline} <= ULN (normal)"
    reason = f"baseline {state}: {value} in {band.describe(Basis.ULN)} (ULN {uln}) -> {band.grade}"
    return band.grade, Basis.ULN.value if band.grade else "none", [reason], False


def _grade_worse_of_baseline(
    rule: TermRule,
    value: Decimal,
    uln: Decimal,
    baseline: Decimal | None,
    *,
    use_baseline: bool,
) -> _Outcome:
    uln_band = _band_for(rule.uln, value, uln)
    reasons = [f"{value} in {uln_band.describe(Basis.ULN)} (ULN {uln}) -> {uln_band.grade}"]
    candidates = [(Basis.ULN.value, uln_band.grade)]
    if baseline is not None and use_baseline:
        baseline_band = _band_for(rule.baseline, value, baseline)
        reasons.append(
            f"{value} in {baseline_band.describe(Basis.BASELINE)} (baseline {baseline}) "
            f"-> {baseline_band.grade}"
        )
        candidates.append((Basis.BASELINE.value, baseline_band.grade))
    elif baseline is not None:
        reasons.append("baseline rows not applied (creatinine_baseline_rule=False)")
    else:
        reasons.append("no baseline: graded on the ULN rows only")
    grade = max(g for _, g in candidates)
    driver = join_drivers([name for name, g in candidates if grade and g == grade])
    return grade, driver, reasons, None


def _grade_lln_ratio(
    rule: TermRule, value: Decimal, canonical: Decimal, lln: Decimal | None
) -> _Outcome:
    floor = _band_for(rule.absolute, canonical, Decimal(1))
    floor_reason = (
        f"{canonical} {rule.canonical_unit} in {floor.describe(Basis.ABSOLUTE)} -> {floor.grade}"
    )
    candidates = [(Basis.ABSOLUTE.value, floor.grade)]
    reasons = [floor_reason]
    if lln is None:
        if floor.grade < max(b.grade for b in rule.lln):
            raise GradingInputError("lln", "is required to grade on the LLN-ratio rows")
    else:
        band = _band_for(rule.lln, value, lln)
        reasons.insert(0, f"{value} in {band.describe(Basis.LLN)} (LLN {lln}) -> {band.grade}")
        candidates.insert(0, (Basis.LLN.value, band.grade))
    grade = max(g for _, g in candidates)
    driver = join_drivers([name for name, g in candidates if grade and g == grade])
    return grade, driver, reasons, None


def grade_lab(
    *,
    term: str,
    value: float | int | Decimal,
    unit: str | None = None,
    lln: float | int | Decimal | None = None,
    uln: float | int | Decimal | None = None,
    baseline: float | int | Decimal | None = None,
    creatinine_baseline_rule: bool = True,
) -> CtcaeResult:
    """Grade a laboratory value by CTCAE v5.0 (`CTCAE_VERSION` is on every result).

    `term` is one of `TERMS`; `value` is in `unit` (None = the term's canonical unit); `lln`, `uln`
    and `baseline` are in the same unit as `value`. `creatinine_baseline_rule` (creatinine only)
    applies the ">1.5 x baseline" rows. See the module docstring for the rules. Source: `SOURCE`.
    """
    rule = TERMS[check.choice(term, "term", TERMS)]
    number = check.non_negative(value, "value")
    if unit is not None and not isinstance(unit, str):
        raise GradingInputError("unit", f"must be a unit code or None; got {unit!r}")
    resolved_unit = rule.canonical_unit if unit is None else unit
    lln_number = None if lln is None else check.positive(lln, "lln")
    uln_number = None if uln is None else check.positive(uln, "uln")
    baseline_number = None if baseline is None else check.positive(baseline, "baseline")
    use_baseline = check.boolean(creatinine_baseline_rule, "creatinine_baseline_rule")
    if lln_number is not None and uln_number is not None and lln_number >= uln_number:
        raise GradingInputError("lln", f"{lln} must be below uln {uln} (contradictory input)")
    canonical = _canonical(rule, number, resolved_unit)

    ignored: list[str] = []
    if rule.kind in (Kind.LOW_COUNT, Kind.LOW_LLN_RATIO):
        if rule.kind is Kind.LOW_COUNT:
            grade, driver, reasons, abnormal = _grade_low_count(rule, number, canonical, lln_number)
        else:
            grade, driver, reasons, abnormal = _grade_lln_ratio(rule, number, canonical, lln_number)
        if baseline_number is not None:
            ignored.append("baseline is not used by this term")
    else:
        if uln_number is None:
            raise GradingInputError("uln", f"is required to grade {rule.term}")
        if rule.kind is Kind.HIGH_BASELINE_BRANCH:
            grade, driver, reasons, abnormal = _grade_baseline_branch(
                rule, number, uln_number, baseline_number
            )
        else:
            grade, driver, reasons, abnormal = _grade_worse_of_baseline(
                rule, number, uln_number, baseline_number, use_baseline=use_baseline
            )
    notes = [rule.note] if rule.note else []
    return CtcaeResult(
        grade=grade,
        driver=driver,
        scale=SCALE,
        reasons=(*reasons, *ignored, *notes),
        ctcae_version=CTCAE_VERSION,
        term=rule.term,
        value=number,
        unit=resolved_unit,
        canonical_value=canonical,
        canonical_unit=rule.canonical_unit,
        baseline_abnormal=abnormal,
    )
