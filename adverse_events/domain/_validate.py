"""Input checks and exact-number helpers shared by the grading modules (private).

Numbers are taken as typed: a float becomes the Decimal of its shortest repr (`str(1.2)` is
"1.2"), so a value that sits on a boundary stays on it. Every check raises `GradingInputError`
(a `ValueError`) naming the argument.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

from adverse_events.domain.types import GradingInputError

SIGNIFICANT_DIGITS = 8


def to_decimal(value: object, argument: str) -> Decimal:
    """A finite real number (int, float or Decimal; not bool) as an exact Decimal."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise GradingInputError(argument, f"must be a number; got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise GradingInputError(argument, f"must be finite; got {value!r}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise GradingInputError(argument, f"must be finite; got {value!r}")
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def non_negative(value: object, argument: str) -> Decimal:
    number = to_decimal(value, argument)
    if number < 0:
        raise GradingInputError(argument, f"must be >= 0; got {value!r}")
    return number


def positive(value: object, argument: str) -> Decimal:
    number = to_decimal(value, argument)
    if number <= 0:
        raise GradingInputError(argument, f"must be > 0; got {value!r}")
    return number


def integer(value: object, argument: str, *, minimum: int, maximum: int | None = None) -> int:
    """An int (not bool) in [minimum, maximum]."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise GradingInputError(argument, f"must be an integer; got {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f">= {minimum}" if maximum is None else f"{minimum}-{maximum}"
        raise GradingInputError(argument, f"must be {bound}; got {value!r}")
    return value


def boolean(value: object, argument: str) -> bool:
    if not isinstance(value, bool):
        raise GradingInputError(argument, f"must be True or False; got {value!r}")
    return value


def choice(value: object, argument: str, choices: Collection[str]) -> str:
    if not isinstance(value, str) or value not in choices:
        expected = ", ".join(repr(c) for c in choices)
        raise GradingInputError(argument, f"unknown code {value!r}; expected one of {expected}")
    return value


def signif(number: Decimal, digits: int = SIGNIFICANT_DIGITS) -> Decimal:
    """`number` rounded half-even to `digits` significant digits (R's `signif`, as in admiral).

    Used before every boundary comparison so that binary-float noise from an upstream unit
    conversion (79.00000000000001 g/L) cannot flip a grade.
    """
    if number.is_zero():
        return number
    with localcontext() as context:
        context.prec = max(context.prec, digits + 30)
        exponent = number.adjusted() - digits + 1
        return number.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_EVEN)


def tidy(number: Decimal) -> Decimal:
    """`number` without trailing zeros and without an exponent (Decimal("79.000000") -> 79)."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def exact_product(a: Decimal, b: Decimal) -> Decimal:
    """a * b without context rounding (enough precision for any product of typed numbers)."""
    with localcontext() as context:
        context.prec = 100
        return a * b
