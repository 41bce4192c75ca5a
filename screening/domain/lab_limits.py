"""Laboratory panel: the analytes screened, their physiologically possible limits, and flags.

Limits are in each analyte's canonical SI unit (edc.domain.units.CANONICAL_UNIT). A value outside
them cannot be a real measurement (a unit mix-up or a typo), so it is refused where it is entered;
a value outside the site lab's reference range is kept and flagged.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from edc.domain.validation import ArgumentError

SOURCE = "Possible-value limits: generous clinical bounds chosen for typo detection (not norms)."

# analyte -> (lowest possible, highest possible), canonical unit
POSSIBLE_RANGE: dict[str, tuple[Decimal, Decimal]] = {
    "neutrophils": (Decimal("0"), Decimal("100")),
    "lymphocytes": (Decimal("0"), Decimal("500")),
    "wbc": (Decimal("0"), Decimal("500")),
    "platelets": (Decimal("0"), Decimal("3000")),
    "hemoglobin": (Decimal("20"), Decimal("250")),
    "alt": (Decimal("0"), Decimal("20000")),
    "ast": (Decimal("0"), Decimal("20000")),
    "bilirubin": (Decimal("0"), Decimal("1000")),
    "creatinine": (Decimal("10"), Decimal("3000")),
    "inr": (Decimal("0.5"), Decimal("20")),
    "pt": (Decimal("5"), Decimal("200")),
    "aptt": (Decimal("10"), Decimal("300")),
    "crp": (Decimal("0"), Decimal("1000")),
    "esr": (Decimal("0"), Decimal("200")),
    "igg": (Decimal("0"), Decimal("100")),
    "iga": (Decimal("0"), Decimal("50")),
    "igm": (Decimal("0"), Decimal("50")),
    "c3": (Decimal("0"), Decimal("5")),
    "c4": (Decimal("0"), Decimal("2")),
    "ferritin": (Decimal("0"), Decimal("500000")),
    "fibrinogen": (Decimal("0"), Decimal("20")),
    "triglycerides": (Decimal("0"), Decimal("150")),
    "ldh": (Decimal("0"), Decimal("50000")),
}
PANEL_ANALYTES: tuple[str, ...] = tuple(POSSIBLE_RANGE)


class Flag(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


def check_possible(*, analyte: str, value_si: Decimal) -> None:
    """Raise ArgumentError naming `value` if the value cannot be a real measurement."""
    if analyte not in POSSIBLE_RANGE:
        raise ArgumentError("analyte", f"unknown analyte {analyte!r}")
    low, high = POSSIBLE_RANGE[analyte]
    if not low <= value_si <= high:
        raise ArgumentError("value", f"{value_si} is outside the possible range {low}-{high}")


def reference_flag(*, value: Decimal, lln: Decimal | None, uln: Decimal | None) -> Flag | None:
    """Low, normal or high against the site lab's range; None when the lab gives no range."""
    if lln is None and uln is None:
        return None
    if lln is not None and value < lln:
        return Flag.LOW
    if uln is not None and value > uln:
        return Flag.HIGH
    return Flag.NORMAL
