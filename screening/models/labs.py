"""Laboratory CRFs: the lab panel and its results, infection screening, the pregnancy test, and
each site lab's reference ranges."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from edc.audit import AuditedModel
from edc.clinical_dates import ClinicalDates, DateRule
from edc.models import CrfModel, StudySite, Subject
from screening.domain.lab_limits import PANEL_ANALYTES, Flag

ANALYTE_LABELS = {
    "neutrophils": _("Neutrophils (ANC)"),
    "lymphocytes": _("Lymphocytes"),
    "wbc": _("White blood cells"),
    "platelets": _("Platelets"),
    "hemoglobin": _("Haemoglobin"),
    "alt": _("ALT"),
    "ast": _("AST"),
    "bilirubin": _("Total bilirubin"),
    "creatinine": _("Creatinine"),
    "inr": _("INR"),
    "pt": _("Prothrombin time"),
    "aptt": _("APTT"),
    "crp": _("C-reactive protein"),
    "esr": _("ESR"),
    "igg": _("IgG"),
    "iga": _("IgA"),
    "igm": _("IgM"),
    "c3": _("Complement C3"),
    "c4": _("Complement C4"),
    "ferritin": _("Ferritin"),
    "fibrinogen": _("Fibrinogen"),
    "triglycerides": _("Triglycerides"),
    "ldh": _("Lactate dehydrogenase (LDH)"),
}
ANALYTE_CHOICES = [(a, ANALYTE_LABELS[a]) for a in PANEL_ANALYTES]
FLAG_CHOICES = [(Flag.LOW, _("Low")), (Flag.NORMAL, _("Normal")), (Flag.HIGH, _("High"))]
POS_NEG = [("positive", _("Positive")), ("negative", _("Negative"))]


def _number(label, **kwargs) -> models.DecimalField:
    return models.DecimalField(label, max_digits=12, decimal_places=4, **kwargs)


class LabReferenceRange(AuditedModel):
    """A site laboratory's normal range for one analyte, offered when results are entered."""

    study_site = models.ForeignKey(StudySite, on_delete=models.PROTECT, related_name="lab_ranges")
    analyte = models.CharField(_("analyte"), max_length=20, choices=ANALYTE_CHOICES)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    lln = _number(_("lower limit of normal"), null=True, blank=True)
    uln = _number(_("upper limit of normal"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["study_site", "analyte"], name="uniq_lab_range")
        ]

    def clean(self) -> None:
        if self.lln is not None and self.uln is not None and self.lln >= self.uln:
            raise ValidationError({"lln": _("The LLN must be below the ULN.")})

    def __str__(self) -> str:
        return f"{self.study_site} {self.analyte} {self.lln}-{self.uln} {self.unit}"


class LabPanel(CrfModel):
    collected_on = models.DateField(_("date collected"))
    laboratory = models.CharField(_("laboratory"), max_length=100, blank=True)

    class Meta(CrfModel.Meta):
        verbose_name = _("laboratory panel")
        verbose_name_plural = _("laboratory panels")

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code} labs {self.collected_on}"


class LabResult(ClinicalDates, AuditedModel):
    """One analyte as entered (value, unit, the lab's range) and normalised to the SI unit."""

    # A correction that empties an analyte removes its result; history keeps it with the reason.
    deletable_with_reason = True

    panel = models.ForeignKey(
        LabPanel,
        on_delete=models.PROTECT,
        related_name="results",
        verbose_name=_("laboratory panel"),
    )
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="lab_results", verbose_name=_("subject")
    )
    collected_on = models.DateField(_("date collected"))
    analyte = models.CharField(_("analyte"), max_length=20, choices=ANALYTE_CHOICES)
    value = _number(_("value"))
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    lln = _number(_("lower limit of normal"), null=True, blank=True)
    uln = _number(_("upper limit of normal"), null=True, blank=True)
    value_si = _number(_("value (SI)"), editable=False)
    lln_si = _number(_("LLN (SI)"), null=True, blank=True, editable=False)
    uln_si = _number(_("ULN (SI)"), null=True, blank=True, editable=False)
    si_unit = models.CharField(_("SI unit"), max_length=20, blank=True, editable=False)
    flag = models.CharField(_("flag"), max_length=10, choices=FLAG_CHOICES, blank=True)

    class Meta:
        verbose_name = _("lab result")
        verbose_name_plural = _("lab results")
        ordering = ["subject", "collected_on", "analyte"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "analyte"], name="uniq_panel_analyte")
        ]
        indexes = [models.Index(fields=["subject", "analyte", "collected_on"])]

    def __str__(self) -> str:
        return f"{self.analyte} {self.value} {self.unit} ({self.collected_on})"


class InfectionScreen(CrfModel):
    date_rules = {"chest_imaging_on": DateRule.SINCE_BIRTH}

    tested_on = models.DateField(_("date tested"))
    hbsag = models.CharField(_("HBsAg"), max_length=10, choices=POS_NEG)
    hbcab = models.CharField(_("HBcAb"), max_length=10, choices=POS_NEG)
    hbv_dna_detectable = models.CharField(
        _("HBV DNA"),
        max_length=12,
        blank=True,
        choices=[("detectable", _("Detectable")), ("undetectable", _("Undetectable"))],
    )
    hcv_ab = models.CharField(_("HCV antibody"), max_length=10, choices=POS_NEG)
    hcv_rna_detectable = models.CharField(
        _("HCV RNA"),
        max_length=12,
        blank=True,
        choices=[("detectable", _("Detectable")), ("undetectable", _("Undetectable"))],
    )
    hiv_ab = models.CharField(_("HIV antibody"), max_length=10, choices=POS_NEG)
    syphilis = models.CharField(_("Syphilis"), max_length=10, choices=POS_NEG)
    # Tuberculosis (CT1192 inclusion 3): an interferon-gamma release assay and chest imaging. A
    # standard-of-care chest film from shortly before consent may serve, as the criterion's
    # window says.
    tb_igra = models.CharField(
        _("tuberculosis IGRA (QuantiFERON or T-SPOT.TB)"),
        max_length=13,
        blank=True,
        choices=[*POS_NEG, ("indeterminate", _("Indeterminate"))],
    )
    chest_imaging = models.CharField(
        _("chest imaging (X-ray or CT)"),
        max_length=16,
        blank=True,
        choices=[
            ("no_active_lesion", _("No active lesion")),
            ("active_lesion", _("Active lesion (tuberculosis or pneumonia suspected)")),
        ],
    )
    chest_imaging_on = models.DateField(_("date of chest imaging"), null=True, blank=True)

    class Meta(CrfModel.Meta):
        verbose_name = _("infection screening")
        verbose_name_plural = _("infection screenings")

    def clean(self) -> None:
        super().clean()
        if self.chest_imaging and not self.chest_imaging_on:
            raise ValidationError({"chest_imaging_on": _("Enter the date of the chest imaging.")})
        if self.chest_imaging_on and not self.chest_imaging:
            raise ValidationError({"chest_imaging": _("Enter the chest imaging finding.")})

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code} infection screen"


class PregnancyTest(CrfModel):
    childbearing_potential = models.BooleanField(_("woman of childbearing potential"))
    tested_at = models.DateTimeField(_("serum β-hCG sampled at"), null=True, blank=True)
    result = models.CharField(_("serum β-hCG"), max_length=10, choices=POS_NEG, blank=True)
    lactating = models.BooleanField(_("lactating"), null=True, blank=True)

    class Meta(CrfModel.Meta):
        verbose_name = _("pregnancy test")
        verbose_name_plural = _("pregnancy tests")

    def clean(self) -> None:
        errors = {}
        if self.childbearing_potential and self.subject.sex == Subject.Sex.MALE:
            errors["childbearing_potential"] = _(
                "A male subject cannot be of childbearing potential."
            )
        if self.childbearing_potential and not self.tested_at:
            errors["tested_at"] = _("A woman of childbearing potential needs a β-hCG test.")
        if self.childbearing_potential and not self.result:
            errors["result"] = _("Enter the β-hCG result.")
        if errors:
            raise ValidationError(errors)

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code} pregnancy test"
