"""Bedside and imaging CRFs used for eligibility: vital signs, echocardiography, lung function."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from edc.clinical_dates import DateRule
from edc.models import CrfModel


def _range(low: str, high: str) -> list:
    """Physiologically possible limits: a value outside them is a typo, refused at the field."""
    return [MinValueValidator(Decimal(low)), MaxValueValidator(Decimal(high))]


class VitalSigns(CrfModel):
    measured_on = models.DateField(_("date measured"))
    height_cm = models.DecimalField(
        _("height (cm)"), max_digits=4, decimal_places=1, validators=_range("100", "230")
    )
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=4, decimal_places=1, validators=_range("25", "250")
    )
    spo2_room_air_pct = models.PositiveSmallIntegerField(
        _("SpO2 on room air (%)"), null=True, blank=True, validators=_range("50", "100")
    )
    systolic_bp_mmhg = models.PositiveSmallIntegerField(
        _("systolic BP (mmHg)"), null=True, blank=True, validators=_range("50", "260")
    )
    diastolic_bp_mmhg = models.PositiveSmallIntegerField(
        _("diastolic BP (mmHg)"), null=True, blank=True, validators=_range("20", "160")
    )
    heart_rate_bpm = models.PositiveSmallIntegerField(
        _("heart rate (/min)"), null=True, blank=True, validators=_range("20", "250")
    )
    temperature_c = models.DecimalField(
        _("temperature (°C)"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=_range("30", "45"),
    )
    bsa_m2 = models.DecimalField(
        _("body surface area (m², Mosteller)"), max_digits=4, decimal_places=2, editable=False
    )

    class Meta(CrfModel.Meta):
        verbose_name = _("vital signs")
        verbose_name_plural = _("vital signs")

    def clean(self) -> None:
        systolic, diastolic = self.systolic_bp_mmhg, self.diastolic_bp_mmhg
        if systolic is not None and diastolic is not None and diastolic >= systolic:
            raise ValidationError(
                {
                    "diastolic_bp_mmhg": _(
                        "The diastolic pressure (%(diastolic)s) must be below the systolic "
                        "(%(systolic)s): check for swapped values."
                    )
                    % {"diastolic": diastolic, "systolic": systolic}
                }
            )

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code} vital signs"


class Echocardiography(CrfModel):
    # A standard-of-care echocardiogram from before consent may serve screening; how old it may
    # be is the eligibility criterion's window.
    date_rules = {"performed_on": DateRule.SINCE_BIRTH}

    performed_on = models.DateField(_("date of echocardiography"))
    lvef_pct = models.PositiveSmallIntegerField(_("LVEF (%)"), validators=_range("5", "90"))

    class Meta(CrfModel.Meta):
        verbose_name = _("echocardiography")
        verbose_name_plural = _("echocardiography")

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code} LVEF {self.lvef_pct}%"


class PulmonaryFunction(CrfModel):
    performed_on = models.DateField(_("date of pulmonary function tests"))
    fvc_pct_predicted = models.PositiveSmallIntegerField(
        _("FVC (% predicted)"), null=True, blank=True, validators=_range("10", "200")
    )
    dlco_pct_predicted = models.PositiveSmallIntegerField(
        _("DLCO (% predicted)"), null=True, blank=True, validators=_range("10", "200")
    )
    hrct_performed_on = models.DateField(_("date of chest HRCT"), null=True, blank=True)
    hrct_ground_glass = models.CharField(
        _("HRCT ground-glass changes"),
        max_length=10,
        blank=True,
        choices=[("present", _("Present")), ("absent", _("Absent"))],
    )

    class Meta(CrfModel.Meta):
        verbose_name = _("pulmonary function")
        verbose_name_plural = _("pulmonary function")

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code} pulmonary function"
