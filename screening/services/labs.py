"""Writing lab results: each analyte kept as entered and normalised to its SI unit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from edc.audit import audited_create, audited_delete, audited_update
from edc.domain.units import CANONICAL_UNIT, convert
from screening.domain.lab_limits import reference_flag
from screening.models.labs import LabPanel, LabResult


def _si(analyte: str, value: Decimal | None, unit: str) -> Decimal | None:
    if value is None:
        return None
    converted = convert(value, analyte=analyte, from_unit=unit, to_unit=CANONICAL_UNIT[analyte])
    return Decimal(str(converted)).quantize(Decimal("0.0001"))


def _fields(panel: LabPanel, analyte: str, entry: dict[str, Any]) -> dict[str, Any]:
    unit = entry.get("unit") or ""
    value, lln, uln = entry["value"], entry.get("lln"), entry.get("uln")
    flag = reference_flag(value=value, lln=lln, uln=uln)
    return {
        "collected_on": panel.collected_on,
        "value": value,
        "unit": unit,
        "lln": lln,
        "uln": uln,
        "value_si": _si(analyte, value, unit),
        "lln_si": _si(analyte, lln, unit),
        "uln_si": _si(analyte, uln, unit),
        "si_unit": CANONICAL_UNIT[analyte],
        "flag": flag.value if flag else "",
    }


def lab_results_save(
    panel: LabPanel, results: dict[str, dict[str, Any]], *, actor: AbstractBaseUser, reason: str
) -> bool:
    """Make the panel's results match `results` (analyte -> value, unit, lln, uln); say whether
    anything was written.

    Called inside the panel's transaction by the CRF services; an unchanged result writes no
    history, a changed one carries the panel's reason, and an analyte emptied is deleted with
    that reason kept in its history.
    """
    saved = {r.analyte: r for r in panel.results.select_for_update()}
    wrote = False
    for analyte, entry in results.items():
        fields = _fields(panel, analyte, entry)
        existing = saved.pop(analyte, None)
        if existing is None:
            audited_create(
                LabResult(panel=panel, subject=panel.subject, analyte=analyte, **fields),
                actor=actor,
                reason=reason,
            )
            wrote = True
            continue
        changes = {k: v for k, v in fields.items() if getattr(existing, k) != v}
        if changes:
            audited_update(
                existing, actor=actor, reason=reason, changes=changes, expected_version=None
            )
            wrote = True
    for removed in saved.values():
        audited_delete(removed, actor=actor, reason=reason)
        wrote = True
    return wrote
