"""Input checks shared by the pure domain layers (edc, adverse_events, dosing): the one place.

Every check raises an `ArgumentError` (a `ValueError`) whose `.argument` names the offending
argument and whose message starts with it ("n_dlt: must be >= 0; got -1"), so forms can map it onto
a field. A package that wants its own subclass (`GradingInputError`, `EscalationInputError`) makes a
`Checks(error=ThatSubclass)`; `check` is the instance that raises `ArgumentError` itself.

Numbers are taken as typed: a float becomes the Decimal of its shortest repr (`str(1.2)` is "1.2"),
so a value that sits on a boundary stays on it. `signif` rounds to 8 significant digits before a
boundary comparison (clinical-rules.md §10), so binary-float noise cannot move a value across it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from typing import TypeAlias, overload

__all__ = ["SIGNIFICANT_DIGITS", "ArgumentError", "Checks", "Number", "check", "signif"]

Number: TypeAlias = int | float | Decimal

SIGNIFICANT_DIGITS = 8


class ArgumentError(ValueError):
    """A bad argument to a domain function; `.argument` names it (forms map it onto a field)."""

    def __init__(self, argument: str, message: str) -> None:
        super().__init__(f"{argument}: {message}")
        self.argument = argument


def _exact(value: Number) -> Decimal:
    # str() of a float is its shortest repr, i.e. the decimal number that was typed.
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class Checks:
    """The argument checks, raising `error` (`ArgumentError` or a subclass of it)."""

    error: type[ArgumentError] = ArgumentError

    def number(
        self,
        value: object,
        argument: str,
        *,
        minimum: Number | None = None,
        maximum: Number | None = None,
        minimum_exclusive: bool = False,
        maximum_exclusive: bool = False,
    ) -> Decimal:
        """A finite real number (int, float or Decimal; not bool) within the bounds, as a Decimal.

        Bounds are inclusive unless `minimum_exclusive`/`maximum_exclusive`; None means unbounded.
        """
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise self.error(argument, f"must be a number; got {value!r}")
        if isinstance(value, float | Decimal) and not Decimal(value).is_finite():
            raise self.error(argument, f"must be finite; got {value!r}")
        number = _exact(value)
        low_ok = minimum is None or (
            number > _exact(minimum) if minimum_exclusive else number >= _exact(minimum)
        )
        high_ok = maximum is None or (
            number < _exact(maximum) if maximum_exclusive else number <= _exact(maximum)
        )
        if not (low_ok and high_ok):
            bounds = []
            if minimum is not None:
                bounds.append(f"{'>' if minimum_exclusive else '>='} {minimum}")
            if maximum is not None:
                bounds.append(f"{'<' if maximum_exclusive else '<='} {maximum}")
            raise self.error(argument, f"must be {' and '.join(bounds)}; got {value!r}")
        return number

    def non_negative(self, value: object, argument: str) -> Decimal:
        """A finite number >= 0, as a Decimal."""
        return self.number(value, argument, minimum=0)

    def positive(self, value: object, argument: str) -> Decimal:
        """A finite number > 0, as a Decimal."""
        return self.number(value, argument, minimum=0, minimum_exclusive=True)

    def integer(
        self, value: object, argument: str, *, minimum: int = 0, maximum: int | None = None
    ) -> int:
        """An int (not bool, not an integral float: counts are typed) in [minimum, maximum].

        `minimum` defaults to 0: the integers of the domain are counts, scores and levels.
        """
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(argument, f"must be an integer; got {value!r}")
        if value < minimum or (maximum is not None and value > maximum):
            bound = f">= {minimum}" if maximum is None else f"an integer {minimum}-{maximum}"
            raise self.error(argument, f"must be {bound}; got {value!r}")
        return value

    def boolean(self, value: object, argument: str) -> bool:
        if not isinstance(value, bool):
            raise self.error(argument, f"must be True or False; got {value!r}")
        return value

    def choice(self, value: object, argument: str, choices: Collection[str]) -> str:
        """One of the string codes `choices`."""
        if not isinstance(value, str) or value not in choices:
            expected = ", ".join(repr(c) for c in choices)
            raise self.error(argument, f"unknown code {value!r}; expected one of {expected}")
        return value


check = Checks()


@overload
def signif(number: Decimal, digits: int = SIGNIFICANT_DIGITS) -> Decimal: ...
@overload
def signif(number: float, digits: int = SIGNIFICANT_DIGITS) -> float: ...
def signif(number: Decimal | float, digits: int = SIGNIFICANT_DIGITS) -> Decimal | float:
    """`number` rounded half-even to `digits` significant digits (R's `signif`, as in admiral).

    Used before every boundary comparison so that binary-float noise (3.2000000000000002, or
    79.00000000000001 g/L from a unit conversion) cannot flip a result. A float is rounded on its
    exact binary value and returned as a float (the same as `float(f"{number:.8g}")`); a Decimal
    is returned as a Decimal.
    """
    if isinstance(number, float):
        return float(signif(Decimal(number), digits))
    if number.is_zero() or not number.is_finite():
        return number
    with localcontext() as context:
        context.prec = max(context.prec, digits + 30)
        exponent = number.adjusted() - digits + 1
        return number.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_EVEN)
