"""Derived fields of screening CRFs, computed from what was entered (never typed)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from edc.domain.calculators import age_years, bsa_mosteller
from screening.domain.medications import medication_flag
from screening.models import ConcomitantMedication, Demographics, VitalSigns


def vital_signs(instance: VitalSigns) -> None:
    bsa = bsa_mosteller(height_cm=float(instance.height_cm), weight_kg=float(instance.weight_kg))
    instance.bsa_m2 = Decimal(str(bsa)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def demographics(instance: Demographics) -> None:
    subject = instance.subject
    instance.age_at_consent_years = age_years(born=subject.date_of_birth, on=subject.consent_date)


def concomitant_medication(instance: ConcomitantMedication) -> None:
    flag = medication_flag(instance.drug_name, instance.atc_code)
    instance.review_flag = flag.value if flag else ""
