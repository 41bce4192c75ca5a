"""Edit checks: the protocol's soft checks of saved data, judged on plain values.

A check never refuses a save (the form's own validation does that); a failing check opens a
query on the field so the site confirms or corrects the value. Each check is declared per CRF in
the protocol file (edc/domain/protocol.py `EditCheck`); this module decides, from the values of
the saved form and, for a cross-form check, the one value gathered from elsewhere, whether the
check fails. A check whose values are missing cannot fail: the data are incomplete, not wrong.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from edc.domain.protocol import (
    CrossFieldCheck,
    CrossFormCheck,
    EditCheck,
    RangeCheck,
    RequiredWhenCheck,
)

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}


def has_value(value: Any) -> bool:
    """Whether a field holds an answer: empty text, None and an unticked box do not."""
    return value is not None and value != "" and value is not False


def _comparable(value: Any) -> Any:
    """Numbers as Decimal (an int, a float and a Decimal compare exactly); dates as they are."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, dt.datetime | dt.date | Decimal | str):
        return value
    raise TypeError(f"an edit check cannot compare {type(value).__name__}")


def change_pct(value: Any, reference: Any) -> Decimal:
    """How far `value` is from `reference`, in percent of the reference."""
    value, reference = _comparable(value), _comparable(reference)
    return abs(value - reference) * 100 / reference


def check_fails(
    check: EditCheck,
    values: Mapping[str, Any],
    *,
    reference: Any = None,
    limit_pct: Decimal | None = None,
) -> bool:
    """Whether the saved form's `values` fail `check`.

    `reference` is the cross-form value (another form's date, the previous visit's weight, the
    assigned dose); `limit_pct` the change a cross-form check allows, as the protocol resolves it
    (`ProtocolDefinition.change_limit`).
    """
    value = values.get(check.field)
    if isinstance(check, RequiredWhenCheck):
        return has_value(values.get(check.when_field)) and not has_value(value)
    if not has_value(value):
        return False
    if isinstance(check, RangeCheck):
        value = _comparable(value)
        return (check.min is not None and value < check.min) or (
            check.max is not None and value > check.max
        )
    if isinstance(check, CrossFieldCheck):
        other = values.get(check.other_field)
        if not has_value(other):
            return False
        return not _OPS[check.op](_comparable(value), _comparable(other))
    if isinstance(check, CrossFormCheck):
        if not has_value(reference):
            return False
        if check.op is not None:
            return not _OPS[check.op](_comparable(value), _comparable(reference))
        if limit_pct is None or _comparable(reference) == 0:
            return False
        return change_pct(value, reference) > limit_pct
    raise TypeError(f"unknown edit check {check!r}")
