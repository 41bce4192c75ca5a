"""History CRFs that eligibility reads: disease history and exposures before screening."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from edc.clinical_dates import DateRule
from edc.models import CrfModel


class MedicalHistory(CrfModel):
    date_rules = {
        "diagnosis_date": DateRule.SINCE_BIRTH,
        "other_trial_last_dose_on": DateRule.SINCE_BIRTH,
    }
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

    # The 30 days before the screening labs may start before consent.
    date_rules = {
        "last_transfusion_on": DateRule.SINCE_BIRTH,
        "last_growth_factor_on": DateRule.SINCE_BIRTH,
    }

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


class PriorTherapy(CrfModel):
    """One prior or ongoing treatment of the disease (repeating): the refractoriness criteria and
    the steroid-dose rules are judged from these rows."""

    date_rules = {"start_date": DateRule.SINCE_BIRTH, "stop_date": DateRule.SINCE_BIRTH}

    class Kind(models.TextChoices):
        GLUCOCORTICOID = "glucocorticoid", _("Glucocorticoid")
        CYCLOPHOSPHAMIDE = "cyclophosphamide", _("Cyclophosphamide")
        MYCOPHENOLATE = "mycophenolate", _("Mycophenolate")
        TACROLIMUS = "tacrolimus", _("Tacrolimus")
        CYCLOSPORINE = "cyclosporine", _("Cyclosporine")
        METHOTREXATE = "methotrexate", _("Methotrexate")
        LEFLUNOMIDE = "leflunomide", _("Leflunomide")
        AZATHIOPRINE = "azathioprine", _("Azathioprine")
        ANTIMALARIAL = "antimalarial", _("Antimalarial (hydroxychloroquine)")
        BIOLOGIC = "biologic", _("Biologic (rituximab, belimumab, telitacicept, ...)")
        TARGETED_SYNTHETIC = "targeted_synthetic", _("Targeted synthetic DMARD (JAK inhibitor)")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        ONGOING = "ongoing", _("Ongoing, disease still active")
        INEFFECTIVE = "ineffective", _("Stopped: ineffective")
        RELAPSE = "relapse", _("Stopped: relapse after response")
        INTOLERANCE = "intolerance", _("Stopped: intolerance")
        OTHER = "other", _("Stopped: other reason")

    kind = models.CharField(_("class"), max_length=30, choices=Kind.choices)
    drug_name = models.CharField(_("drug"), max_length=100)
    dose = models.DecimalField(_("dose"), max_digits=10, decimal_places=3)
    dose_unit = models.CharField(
        _("dose unit"),
        max_length=20,
        choices=[(u, u) for u in ("mg/day", "mg/week", "mg/kg", "mg/m2", "g/m2", "mg")],
        help_text=_("Glucocorticoids: prednisone-equivalent mg/day."),
    )
    start_date = models.DateField(_("start date"))
    stop_date = models.DateField(_("stop date"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)

    class Meta:
        ordering = ["subject", "start_date"]
        verbose_name = _("prior therapy")
        verbose_name_plural = _("prior therapies")

    def __str__(self) -> str:
        until = self.stop_date or _("ongoing")
        return f"{self.drug_name} {self.dose:g} {self.dose_unit}, {self.start_date} – {until}"

    def clean(self) -> None:
        errors = {}
        if self.kind == self.Kind.GLUCOCORTICOID and self.dose_unit and self.dose_unit != "mg/day":
            errors["dose_unit"] = _("Enter glucocorticoids as prednisone-equivalent mg/day.")
        if self.dose is not None and self.dose <= 0:
            errors["dose"] = _("The dose must be positive.")
        if self.stop_date and self.start_date and self.stop_date < self.start_date:
            errors["stop_date"] = _("The stop date is before the start date.")
        if self.outcome == self.Outcome.ONGOING and self.stop_date:
            errors["stop_date"] = _("An ongoing treatment has no stop date.")
        if self.outcome and self.outcome != self.Outcome.ONGOING and not self.stop_date:
            errors["stop_date"] = _("Enter the stop date of a stopped treatment.")
        if errors:
            raise ValidationError(errors)
