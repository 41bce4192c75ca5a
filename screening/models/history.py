"""History CRFs that eligibility reads: disease history and exposures before screening."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from edc.models import CrfModel


class MedicalHistory(CrfModel):
    diagnosis_date = models.DateField(
        _("date of diagnosis of the disease under study"),
        help_text=_("If only the month is known, enter the 15th of that month."),
    )
    other_trial_treatment = models.BooleanField(_("ever treated in another clinical trial"))
    other_trial_last_dose_on = models.DateField(
        _("last dose of another trial's treatment"), null=True, blank=True
    )
    relevant_history = models.TextField(
        _("other clinically significant history"),
        blank=True,
        help_text=_("Cardiac, CNS, malignancy, immunodeficiency, infections; for the exclusions."),
    )

    class Meta(CrfModel.Meta):
        verbose_name = _("medical history")
        verbose_name_plural = _("medical history")

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code} medical history"

    def clean(self) -> None:
        errors = {}
        if self.diagnosis_date and self.diagnosis_date > self.subject.consent_date:
            errors["diagnosis_date"] = _("The diagnosis date is after the consent date.")
        if self.other_trial_treatment and not self.other_trial_last_dose_on:
            errors["other_trial_last_dose_on"] = _("Enter the date of the last dose.")
        if not self.other_trial_treatment and self.other_trial_last_dose_on:
            errors["other_trial_last_dose_on"] = _("No other trial treatment: leave empty.")
        if errors:
            raise ValidationError(errors)


class TransfusionGrowthFactor(CrfModel):
    """Transfusions and growth factors before the screening labs (CT1192 excludes them within 7
    days, so that blood counts are the patient's own)."""

    transfused = models.BooleanField(_("transfusion in the 30 days before the screening labs"))
    last_transfusion_on = models.DateField(_("date of the last transfusion"), null=True, blank=True)
    growth_factor = models.BooleanField(
        _("growth factor (G-CSF, GM-CSF, TPO agonist, EPO) in the 30 days before the labs")
    )
    last_growth_factor_on = models.DateField(
        _("date of the last growth factor dose"), null=True, blank=True
    )

    class Meta(CrfModel.Meta):
        verbose_name = _("transfusions and growth factors")
        verbose_name_plural = _("transfusions and growth factors")

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code} transfusions/growth factors"

    def clean(self) -> None:
        errors = {}
        for flag, day in (
            ("transfused", "last_transfusion_on"),
            ("growth_factor", "last_growth_factor_on"),
        ):
            if getattr(self, flag) and not getattr(self, day):
                errors[day] = _("Enter the date.")
            if not getattr(self, flag) and getattr(self, day):
                errors[day] = _("Answered no: leave the date empty.")
        if errors:
            raise ValidationError(errors)
