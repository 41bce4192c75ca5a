"""What the services derived from a saved form, as the form page and the casebook show it.

Derived fields (BSA, totals, SI values) are computed by the services and never typed, so a user
who saved a form must be shown them: every non-editable field a CRF model adds to `CrfModel` is
shown with its label, plus what the form's spec (`CrfSpec.derived_values`, e.g. a lab panel's
SI values and flags) and other apps (`register_derived_values`, e.g. the safety app's CTCAE
grades of a panel) add. Values are rendered here, in the active language, so the template only
lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from edc.crfs import registered_specs
from edc.input_rules import plain_decimal
from edc.models import CrfModel

# The fields every CRF has (status, version, timestamps): not derived from its items.
_BASE_FIELDS = frozenset(f.name for f in CrfModel._meta.get_fields())


@dataclass(frozen=True)
class DerivedValue:
    label: str
    value: str
    # What the value means beside the number (a flag, a band, the driver of a grade).
    detail: str = ""
    # Shown in the casebook cell's summary; a panel's 19 SI values are not.
    in_summary: bool = True


# Cell counts (3.0 × 10⁸ CAR+ cells) are read as powers of ten, as they are entered.
_POWER_FROM = Decimal(10) ** 6
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power_of_ten(value: Decimal) -> str:
    _sign, digits, exponent = value.normalize().as_tuple()
    power = len(digits) + exponent - 1
    mantissa = plain_decimal(value.scaleb(-power).quantize(Decimal("0.01")))
    return f"{mantissa} × 10{str(power).translate(_SUPERSCRIPT)}"


DerivedSource = Callable[[CrfModel], list[DerivedValue]]
_extra_sources: dict[str, list[DerivedSource]] = {}


def register_derived_values(crf_code: str, source: DerivedSource) -> None:
    """Let another app add what it derives from a form it does not own (a lab panel's CTCAE
    grades come from the safety app)."""
    sources = _extra_sources.setdefault(crf_code, [])
    if source not in sources:
        sources.append(source)


def display(value: object) -> str:
    """A derived value as shown: decimals as typed, yes/no, dates in the active format."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal) and value.is_finite() and abs(value) >= _POWER_FROM:
        return _power_of_ten(value)
    if isinstance(value, Decimal):
        return plain_decimal(value)
    if hasattr(value, "isoformat") and not hasattr(value, "hour"):
        return date_format(value, "Y-m-d")
    return str(value)


def _model_values(row: CrfModel) -> list[DerivedValue]:
    values = []
    for field in row._meta.concrete_fields:
        if field.editable or field.name in _BASE_FIELDS or isinstance(field, models.JSONField):
            continue
        if field.choices:
            value = getattr(row, f"get_{field.name}_display")()
        else:
            value = display(getattr(row, field.attname))
        values.append(DerivedValue(capfirst(str(field.verbose_name)), value or "—"))
    return values


def derived_values(spec, row: CrfModel | None) -> list[DerivedValue]:
    """Everything derived from a saved form row (nothing for a form not saved yet)."""
    if row is None or row.pk is None:
        return []
    values = _model_values(row)
    if spec.derived_values is not None:
        values += spec.derived_values(row)
    for source in _extra_sources.get(spec.code, []):
        values += source(row)
    return values


def derived_summary(spec, row: CrfModel) -> str:
    """One line for the casebook cell's tooltip: `SLEDAI-2K total: 8 · clinical SLEDAI: 4`."""
    parts = []
    for item in derived_values(spec, row):
        if item.in_summary:
            detail = f" ({item.detail})" if item.detail else ""
            parts.append(f"{item.label}: {item.value}{detail}")
    return " · ".join(parts)


def crf_summaries(subject) -> dict[tuple[str, str], str]:
    """(visit code, CRF code) -> the summary of a subject's saved form, for the casebook cell's
    tooltip (repeating forms have none: their rows are listed on their page)."""
    summaries: dict[tuple[str, str], str] = {}
    for spec in registered_specs():
        if spec.repeating:
            continue
        for row in spec.model.objects.filter(subject=subject).select_related("subject"):
            if summary := derived_summary(spec, row):
                summaries[(row.visit_code, spec.code)] = summary
    return summaries
