"""Demographics and concomitant medications.

They belong to the screening app, the lowest clinical app, although both are entered after
screening too: demographics are taken at screening (the sponsor's DM domain, and the age
eligibility judges), and concomitant medications start at screening and continue at every
visit; the apps above (dosing, safety, follow-up) read their review flags, and layers depend
downwards only, so the lowest clinical app is the one every reader can import.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from edc.clinical_dates import DateRule
from edc.models import CrfModel
from screening.domain.medications import MedicationFlag


class Demographics(CrfModel):
    """The DM domain: ethnicity and race in the CDISC controlled terms, the ethnic group as
    Chinese records state it, and the age at consent derived from the subject's dates."""

    class Ethnicity(models.TextChoices):
        HISPANIC = "hispanic_or_latino", _("Hispanic or Latino")
        NOT_HISPANIC = "not_hispanic_or_latino", _("Not Hispanic or Latino")
        NOT_REPORTED = "not_reported", _("Not reported")
        UNKNOWN = "unknown", _("Unknown")

    class Race(models.TextChoices):
        AMERICAN_INDIAN = "american_indian_or_alaska_native", _("American Indian or Alaska Native")
        ASIAN = "asian", _("Asian")
        BLACK = "black_or_african_american", _("Black or African American")
        PACIFIC_ISLANDER = (
            "native_hawaiian_or_other_pacific_islander",
            _("Native Hawaiian or Other Pacific Islander"),
        )
        WHITE = "white", _("White")
        MULTIPLE = "multiple", _("Multiple")
        NOT_REPORTED = "not_reported", _("Not reported")
        UNKNOWN = "unknown", _("Unknown")

    ethnicity = models.CharField(_("ethnicity"), max_length=30, choices=Ethnicity.choices)
    race = models.CharField(_("race"), max_length=50, choices=Race.choices)
    ethnic_group = models.CharField(
        _("ethnic group"), max_length=50, blank=True, help_text=_("As recorded, e.g. Han.")
    )
    age_at_consent_years = models.PositiveSmallIntegerField(
        _("age at consent (years)"), editable=False
    )

    class Meta(CrfModel.Meta):
        verbose_name = _("demographics")
        verbose_name_plural = _("demographics")

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code} demographics"


class ConcomitantMedication(CrfModel):
    """One medication taken during the study (repeating, reported at any visit)."""

    # Reported at any visit, a medication may have started before consent.
    date_rules = {"start_date": DateRule.SINCE_BIRTH, "stop_date": DateRule.SINCE_BIRTH}

    class Route(models.TextChoices):
        ORAL = "oral", _("Oral")
        INTRAVENOUS = "intravenous", _("Intravenous")
        SUBCUTANEOUS = "subcutaneous", _("Subcutaneous")
        INTRAMUSCULAR = "intramuscular", _("Intramuscular")
        INHALED = "inhaled", _("Inhaled")
        TOPICAL = "topical", _("Topical")
        OTHER = "other", _("Other")

    drug_name = models.CharField(
        _("medication (as written)"), max_length=200, help_text=_("Generic or brand name.")
    )
    atc_code = models.CharField(
        _("ATC code"),
        max_length=7,
        blank=True,
        validators=[
            RegexValidator(
                r"^[A-Z](\d{2}([A-Z]([A-Z](\d{2})?)?)?)?$",
                _("Enter an ATC code such as L04AC07 (or its first levels, such as H02AB)."),
            )
        ],
        help_text=_("If known."),
    )
    start_date = models.DateField(_("start date"))
    stop_date = models.DateField(
        _("stop date"), null=True, blank=True, help_text=_("Empty if ongoing.")
    )
    dose = models.DecimalField(
        _("dose"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    dose_unit = models.CharField(
        _("dose unit"),
        max_length=20,
        blank=True,
        choices=[(u, u) for u in ("mg", "g", "µg", "mg/kg", "mg/m2", "IU", "mL", "g/kg")],
    )
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    # The form has no frequency, so the daily dose of a glucocorticoid is entered as the
    # prednisone equivalent, as on the prior-therapy form; the remission rules read it.
    prednisone_equivalent_mg_day = models.DecimalField(
        _("prednisone equivalent (mg/day)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("2000"))],
        help_text=_("Systemic glucocorticoids only: the daily dose as prednisone equivalent."),
    )
    indication = models.CharField(_("indication"), max_length=200)
    review_flag = models.CharField(
        _("flagged for review as"),
        max_length=30,
        blank=True,
        editable=False,
        choices=[
            (MedicationFlag.TOCILIZUMAB.value, _("Tocilizumab")),
            (MedicationFlag.CORTICOSTEROID.value, _("Corticosteroid")),
            (MedicationFlag.ANAKINRA.value, _("Anakinra")),
            (MedicationFlag.IVIG.value, _("IVIG")),
            (MedicationFlag.G_CSF.value, _("G-CSF")),
            (MedicationFlag.ANTIMICROBIAL_PROPHYLAXIS.value, _("Antimicrobial prophylaxis")),
        ],
    )

    class Meta:
        ordering = ["subject", "start_date", "created_at"]
        verbose_name = _("concomitant medication")
        verbose_name_plural = _("concomitant medications")

    def __str__(self) -> str:
        until = self.stop_date or _("ongoing")
        return f"{self.drug_name}, {self.start_date} – {until}"

    def clean(self) -> None:
        errors = {}
        if self.stop_date and self.start_date and self.stop_date < self.start_date:
            errors["stop_date"] = _("The stop date is before the start date.")
        if self.dose is not None and not self.dose_unit:
            errors["dose_unit"] = _("Enter the unit of the dose.")
        if self.dose is None and self.dose_unit:
            errors["dose"] = _("Enter the dose, or leave the unit empty.")
        if errors:
            raise ValidationError(errors)
