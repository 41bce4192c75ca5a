"""Derived fields of screening CRFs, computed from what was entered (never typed)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from edc.domain.calculators import bsa_mosteller
from screening.models import VitalSigns


def vital_signs(instance: VitalSigns) -> None:
    bsa = bsa_mosteller(height_cm=float(instance.height_cm), weight_kg=float(instance.weight_kg))
    instance.bsa_m2 = Decimal(str(bsa)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
