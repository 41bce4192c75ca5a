"""Derived totals of the disease-activity CRFs, computed from the items (never typed).

Each function fills the derived fields of one instrument from the pure calculators of
`edc.domain.calculators`. A calculator that refuses its input (an `ArgumentError`) becomes a
`ValidationError` on the field that holds the refused value, so the form shows it there.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from edc.domain.calculators import (
    BILAG2004_SYSTEMS,
    ESSDAI_DOMAINS,
    MRSS_SITES,
    SLEDAI2K_WEIGHTS,
    ArgumentError,
    bilag2004_counts,
    bilag2004_numeric,
    cdai,
    das28_crp,
    das28_esr,
    essdai_total,
    mrss_total,
    sledai2k_clinical,
    sledai2k_total,
)
from screening.domain.bvas import bvas_v3_score
from screening.models import Bilag2004, Bvas, Essdai, JointCounts, Mrss, Sledai2k

_ESSDAI_NAMES = tuple(domain.name for domain in ESSDAI_DOMAINS)


def _refused(exc: ArgumentError, fields: Iterable[str]) -> ValidationError:
    """The calculator's refusal, on the field it names (its argument, or the item of a mapping
    argument such as `sites: face must be ...`)."""
    fields = set(fields)
    detail = str(exc).removeprefix(f"{exc.argument}: ")
    if exc.argument in fields:
        field = exc.argument
    else:
        first_word = detail.split(" ", 1)[0]
        field = first_word if first_word in fields else NON_FIELD_ERRORS
    error = ValidationError(
        _("The score cannot be calculated: %(detail)s"),
        code="calculator",
        params={"detail": detail},
    )
    return ValidationError({field: error})


@contextmanager
def _on_fields(fields: Iterable[str]) -> Iterator[None]:
    try:
        yield
    except ArgumentError as exc:
        raise _refused(exc, fields) from exc


def _require(instance: object, fields: Iterable[str]) -> None:
    """Every item is needed for a total (no partial totals): name the missing ones."""
    missing = [name for name in fields if getattr(instance, name) in (None, "")]
    if missing:
        raise ValidationError(
            {
                name: ValidationError(_("This item is needed for the total."), code="required")
                for name in missing
            }
        )


def _to_decimal(value: float, places: str) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def sledai2k(instance: Sledai2k) -> None:
    present = [code for code in SLEDAI2K_WEIGHTS if getattr(instance, code)]
    with _on_fields(SLEDAI2K_WEIGHTS):
        instance.total = sledai2k_total(present=present)
        instance.clinical_total = sledai2k_clinical(present=present)


def bilag2004(instance: Bilag2004) -> None:
    _require(instance, BILAG2004_SYSTEMS)
    letters = {system: getattr(instance, system) for system in BILAG2004_SYSTEMS}
    with _on_fields(BILAG2004_SYSTEMS):
        instance.numeric_total = bilag2004_numeric(letters=letters)
        counts = bilag2004_counts(letters=letters)
    instance.a_count = counts["A"]
    instance.b_count = counts["B"]


def mrss(instance: Mrss) -> None:
    _require(instance, MRSS_SITES)
    with _on_fields(MRSS_SITES):
        instance.total = mrss_total(sites={site: getattr(instance, site) for site in MRSS_SITES})


def essdai(instance: Essdai) -> None:
    _require(instance, _ESSDAI_NAMES)
    with _on_fields(_ESSDAI_NAMES):
        instance.total = essdai_total(
            levels={name: getattr(instance, name) for name in _ESSDAI_NAMES}
        )


_DAS28_INPUTS = ("tjc28", "sjc28", "patient_global_0_100")
_CDAI_INPUTS = ("tjc28", "sjc28", "patient_global_0_10", "evaluator_global_0_10")
_JOINT_FIELDS = (*_DAS28_INPUTS, *_CDAI_INPUTS, "esr_mm_h", "crp_mg_l")


def _given(instance: JointCounts, fields: Iterable[str]) -> bool:
    return all(getattr(instance, name) is not None for name in fields)


def joint_counts(instance: JointCounts) -> None:
    """DAS28-ESR and DAS28-CRP (4 variables, when ESR or CRP was measured) and CDAI; each is
    left empty when an input it needs is missing."""
    instance.das28_esr = instance.das28_crp = instance.cdai = None
    joints = {"tjc28": instance.tjc28, "sjc28": instance.sjc28}
    with _on_fields(_JOINT_FIELDS):
        if _given(instance, (*_DAS28_INPUTS, "esr_mm_h")):
            value = das28_esr(
                **joints,
                esr_mm_h=instance.esr_mm_h,
                patient_global_0_100=instance.patient_global_0_100,
            )
            instance.das28_esr = _to_decimal(value, "0.01")
        if _given(instance, (*_DAS28_INPUTS, "crp_mg_l")):
            value = das28_crp(
                **joints,
                crp_mg_l=instance.crp_mg_l,
                patient_global_0_100=instance.patient_global_0_100,
            )
            instance.das28_crp = _to_decimal(value, "0.01")
        if _given(instance, _CDAI_INPUTS):
            value = cdai(
                **joints,
                patient_global_0_10=instance.patient_global_0_10,
                evaluator_global_0_10=instance.evaluator_global_0_10,
            )
            instance.cdai = _to_decimal(value, "0.1")


def bvas(instance: Bvas) -> None:
    """BVAS v3 totals from the ticked items and the creatinine band (screening.domain.bvas)."""
    band, status = instance.creatinine_band, instance.creatinine_band_status
    if bool(band) != bool(status):
        field = "creatinine_band_status" if band else "creatinine_band"
        raise ValidationError(
            {field: _("Give the serum creatinine band and whether it is persistent or new.")}
        )
    items = {**(instance.items or {}), **({band: status} if band else {})}
    try:
        score = bvas_v3_score(items=items)
    except ArgumentError as exc:
        raise ValidationError({"items": str(exc)}) from exc
    instance.total_new_worse = score.new_worse
    instance.total_persistent = score.persistent
    instance.system_scores = {k: list(v) for k, v in score.by_system.items()}
