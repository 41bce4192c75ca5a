"""Laboratory unit conversions, declared once as data.

Every analyte has one canonical (SI) unit, the unit rules compare in (CTCAE thresholds, eligibility
limits). Each other unit is declared by the factor that takes a value in that unit to the canonical
unit, so converting between any two units of an analyte is ``value * factor_from / factor_to``.
Arithmetic is done in `decimal.Decimal` on the value as typed (``str(float)``), so a value that sits
on a boundary stays on it: 1500 /uL is exactly 1.5 x10^9/L, 132.6 umol/L exactly 1.5 mg/dL.

Sources: clinical-rules.md §7.6 (conventional SI factors). Creatinine 88.4 umol/L per mg/dL (the
brief; pharmaverse/admiral uses 88.42, a difference of <= 0.03 %); bilirubin 17.1 umol/L per mg/dL;
haemoglobin 16.1 g/L per mmol/L (Fe) [U: not verified, clinical-rules.md §9 item 10].
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from edc.domain.validation import ArgumentError, Number, check

__all__ = [
    "ANALYTES",
    "CANONICAL_UNIT",
    "CONVERSION_TABLE",
    "CREATININE_UMOL_L_PER_MG_DL",
    "SOURCE",
    "AnalyteUnits",
    "ArgumentError",
    "convert",
    "to_canonical",
    "units_for",
]

SOURCE = (
    "clinical-rules.md §7.6 conventional SI factors: cells /uL = /mm3 = 1e-3 x10^9/L; "
    "hemoglobin g/dL x10 = g/L, mmol/L x16.1 = g/L [U]; creatinine mg/dL x88.4 = umol/L "
    "(admiral: 88.42); bilirubin mg/dL x17.1 = umol/L; CRP mg/dL x10 = mg/L; "
    "immunoglobulins, complement and fibrinogen mg/dL x0.01 = g/L; ferritin ng/mL = ug/L; "
    "triglycerides mg/dL x0.01129 = mmol/L"
)

# The one creatinine constant of the code base (calculators convert through `convert`).
CREATININE_UMOL_L_PER_MG_DL = Decimal("88.4")
BILIRUBIN_UMOL_L_PER_MG_DL = Decimal("17.1")
# [U] 16.1 g/L per mmol/L (Fe): CTCAE lists 6.2 mmol/L ~ 100 g/L; not verified in a primary source.
HEMOGLOBIN_G_L_PER_MMOL_L = Decimal("16.1")
TRIGLYCERIDES_MMOL_L_PER_MG_DL = Decimal("0.01129")


@dataclass(frozen=True)
class AnalyteUnits:
    """One row of the conversion table: analytes sharing a canonical unit and factors.

    `factors` maps each accepted unit to the factor that takes a value in it to `canonical_unit`
    (so the canonical unit's factor is 1). Declaration order is the order forms offer.
    """

    analytes: tuple[str, ...]
    canonical_unit: str
    factors: tuple[tuple[str, Decimal], ...]


_CELLS = (("10^9/L", Decimal(1)), ("/uL", Decimal("0.001")), ("/mm3", Decimal("0.001")))
_PROTEIN_G_L = (("g/L", Decimal(1)), ("mg/dL", Decimal("0.01")))

CONVERSION_TABLE: tuple[AnalyteUnits, ...] = (
    AnalyteUnits(("neutrophils", "lymphocytes", "wbc", "platelets"), "10^9/L", _CELLS),
    AnalyteUnits(
        ("hemoglobin",),
        "g/L",
        (("g/L", Decimal(1)), ("g/dL", Decimal(10)), ("mmol/L", HEMOGLOBIN_G_L_PER_MMOL_L)),
    ),
    AnalyteUnits(
        ("creatinine",),
        "umol/L",
        (("umol/L", Decimal(1)), ("mg/dL", CREATININE_UMOL_L_PER_MG_DL)),
    ),
    AnalyteUnits(
        ("bilirubin",),
        "umol/L",
        (("umol/L", Decimal(1)), ("mg/dL", BILIRUBIN_UMOL_L_PER_MG_DL)),
    ),
    AnalyteUnits(("crp",), "mg/L", (("mg/L", Decimal(1)), ("mg/dL", Decimal(10)))),
    AnalyteUnits(("alt", "ast"), "U/L", (("U/L", Decimal(1)),)),
    # INR is a dimensionless ratio: its unit is the empty string.
    AnalyteUnits(("inr",), "", (("", Decimal(1)),)),
    AnalyteUnits(("pt", "aptt"), "s", (("s", Decimal(1)),)),
    AnalyteUnits(("esr",), "mm/h", (("mm/h", Decimal(1)),)),
    AnalyteUnits(("igg", "iga", "igm", "c3", "c4"), "g/L", _PROTEIN_G_L),
    # The IEC-HS labs (clinical-rules.md §4): ferritin 1 ng/mL = 1 ug/L; fibrinogen as the
    # proteins above; triglycerides 1 mg/dL = 0.01129 mmol/L (mass/molar, triolein 885.7 g/mol);
    # LDH in U/L only (an enzyme activity has no mass unit).
    AnalyteUnits(("ferritin",), "ug/L", (("ug/L", Decimal(1)), ("ng/mL", Decimal(1)))),
    AnalyteUnits(("fibrinogen",), "g/L", _PROTEIN_G_L),
    AnalyteUnits(
        ("triglycerides",),
        "mmol/L",
        (("mmol/L", Decimal(1)), ("mg/dL", TRIGLYCERIDES_MMOL_L_PER_MG_DL)),
    ),
    AnalyteUnits(("ldh",), "U/L", (("U/L", Decimal(1)),)),
)


def _build_index() -> dict[str, dict[str, Decimal]]:
    """Index the table by analyte, checking it is well formed (fails at import otherwise)."""
    index: dict[str, dict[str, Decimal]] = {}
    for row in CONVERSION_TABLE:
        factors = dict(row.factors)
        if len(factors) != len(row.factors):
            raise RuntimeError(f"duplicate unit in conversion row {row.analytes}")
        if factors.get(row.canonical_unit) != 1:
            raise RuntimeError(f"canonical unit of {row.analytes} must have factor 1")
        if any(factor <= 0 for factor in factors.values()):
            raise RuntimeError(f"non-positive factor in conversion row {row.analytes}")
        for analyte in row.analytes:
            if analyte in index:
                raise RuntimeError(f"analyte {analyte!r} declared twice")
            index[analyte] = factors
    return index


_FACTORS: dict[str, dict[str, Decimal]] = _build_index()

ANALYTES: tuple[str, ...] = tuple(_FACTORS)

# The unit each analyte is normalised to before rules compare it (SI; cells in 10^9/L).
CANONICAL_UNIT: dict[str, str] = {
    analyte: row.canonical_unit for row in CONVERSION_TABLE for analyte in row.analytes
}


def _factors_for(analyte: object) -> dict[str, Decimal]:
    if not isinstance(analyte, str) or analyte not in _FACTORS:
        raise ArgumentError(
            "analyte", f"unknown analyte {analyte!r}; expected one of {', '.join(ANALYTES)}"
        )
    return _FACTORS[analyte]


def units_for(analyte: str) -> tuple[str, ...]:
    """The units accepted for `analyte`, canonical unit first (choices for a lab form)."""
    return tuple(_factors_for(analyte))


def convert(value: Number, *, analyte: str, from_unit: str, to_unit: str) -> float:
    """Convert a laboratory `value` of `analyte` from `from_unit` to `to_unit`.

    Units are the codes of `units_for(analyte)`; converting a unit to itself returns the value.
    Raises `ArgumentError` (a `ValueError`) naming `value`, `analyte`, `from_unit` or `to_unit`.
    Source: `SOURCE` (clinical-rules.md §7.6).
    """
    factors = _factors_for(analyte)
    # No analyte in the table can be negative: a negative value is a data-entry error.
    number = check.non_negative(value, "value")
    for argument, unit in (("from_unit", from_unit), ("to_unit", to_unit)):
        if not isinstance(unit, str) or unit not in factors:
            raise ArgumentError(
                argument,
                f"{unit!r} is not a unit of {analyte}; expected one of "
                f"{', '.join(repr(u) for u in factors)}",
            )
    if from_unit == to_unit:
        return float(number)
    return float(number * factors[from_unit] / factors[to_unit])


def to_canonical(value: Number, *, analyte: str, unit: str) -> float:
    """Convert `value` in `unit` to the canonical unit `CANONICAL_UNIT[analyte]`.

    Raises `ArgumentError` naming `unit` (not `from_unit`) for a unit the analyte does not have.
    """
    factors = _factors_for(analyte)
    if not isinstance(unit, str) or unit not in factors:
        raise ArgumentError(
            "unit",
            f"{unit!r} is not a unit of {analyte}; expected one of "
            f"{', '.join(repr(u) for u in factors)}",
        )
    return convert(value, analyte=analyte, from_unit=unit, to_unit=CANONICAL_UNIT[analyte])
