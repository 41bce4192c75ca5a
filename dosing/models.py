"""Dosing records: dose-level assignment, lymphodepletion, CAR-T infusion (Day 0), DLT
assessment and candidates, and the safety review committee's escalation decisions."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from edc.audit import AuditedModel
from edc.clinical_dates import ClinicalDates, DateRule
from edc.models import CrfModel, Study, Subject


class DoseAssignment(ClinicalDates, AuditedModel):
    """The dose level a subject was assigned at enrolment (one per subject)."""

    subject = models.OneToOneField(
        Subject, on_delete=models.PROTECT, related_name="dose_assignment", verbose_name=_("subject")
    )
    study = models.ForeignKey(
        Study, on_delete=models.PROTECT, related_name="dose_assignments", verbose_name=_("study")
    )
    dose_level = models.PositiveSmallIntegerField(_("dose level"))
    assigned_on = models.DateField(_("assigned on"))

    class Meta:
        verbose_name = _("dose assignment")
        verbose_name_plural = _("dose assignments")
        ordering = ["study", "assigned_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.subject} DL{self.dose_level}"


class PretreatmentChecked(models.Model):
    """What a treatment form records of the checks before it (dosing.domain.pretreatment): the
    investigator's answer on active infection, the protocol's criteria decided on the day, and
    the reason for going ahead when one of them is not met."""

    active_infection = models.BooleanField(
        _("active infection"),
        default=False,
        help_text=_("Tick if the subject has an active infection today."),
    )
    pretreatment_override_reason = models.TextField(
        _("reason to proceed despite the pre-treatment checks"), blank=True
    )
    pretreatment_checks = models.JSONField(_("pre-treatment checks"), default=list, editable=False)

    class Meta:
        abstract = True


class LymphodepletionCourse(CrfModel, PretreatmentChecked):
    """The lymphodepleting chemotherapy: planned doses from BSA, administered doses per day."""

    # Height and weight may be the ones measured at screening.
    date_rules = {"measured_on": DateRule.SINCE_CONSENT}

    measured_on = models.DateField(_("date of height and weight used"))
    height_cm = models.DecimalField(
        _("height (cm)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(100)), MaxValueValidator(Decimal(230))],
    )
    weight_kg = models.DecimalField(
        _("weight (kg)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(25)), MaxValueValidator(Decimal(250))],
    )
    bsa_m2 = models.DecimalField(
        _("body surface area (m², Mosteller)"), max_digits=6, decimal_places=4, editable=False
    )
    first_day_on = models.DateField(_("date of the first lymphodepletion day"))
    # Fludarabine is dosed by renal function (the protocol's renal_adjustment): the creatinine
    # clearance the doses were planned with, from the latest creatinine before the first day.
    crcl_ml_min = models.DecimalField(
        _("creatinine clearance used (mL/min, Cockcroft-Gault)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        editable=False,
    )

    class Meta(CrfModel.Meta):
        verbose_name = _("lymphodepletion")
        verbose_name_plural = _("lymphodepletion")

    def __str__(self) -> str:
        return f"{self.subject} lymphodepletion from {self.first_day_on}"


class LymphodepletionDose(ClinicalDates, AuditedModel):
    subject_path = "course.subject"

    course = models.ForeignKey(
        LymphodepletionCourse,
        on_delete=models.PROTECT,
        related_name="doses",
        verbose_name=_("lymphodepletion"),
    )
    drug = models.CharField(_("drug"), max_length=50)
    study_day = models.SmallIntegerField(_("study day"))
    administered_on = models.DateField(_("date"))
    planned_mg = models.DecimalField(_("planned (mg)"), max_digits=8, decimal_places=1)
    renal_reduction_pct = models.DecimalField(
        _("renal dose reduction (%)"), max_digits=5, decimal_places=2, default=0
    )
    administered_mg = models.DecimalField(
        _("administered (mg)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    deviation_pct = models.DecimalField(
        _("deviation (%)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    within_tolerance = models.BooleanField(_("within tolerance"), null=True, blank=True)

    class Meta:
        verbose_name = _("lymphodepletion dose")
        verbose_name_plural = _("lymphodepletion doses")
        ordering = ["course", "study_day", "drug"]
        constraints = [
            models.UniqueConstraint(fields=["course", "drug", "study_day"], name="uniq_ld_dose")
        ]

    def __str__(self) -> str:
        return f"{self.drug} D{self.study_day} {self.administered_mg} mg"


class Infusion(CrfModel, PretreatmentChecked):
    """The CAR-T infusion. Its date is Day 0, which the follow-up schedule hangs on."""

    # Day 0 itself: not judged against the Day 0 it may be correcting.
    date_rules = {"infused_on": DateRule.SINCE_CONSENT}

    product_lot = models.CharField(_("product lot"), max_length=60)
    infused_on = models.DateField(_("infusion date (Day 0)"))
    started_at = models.TimeField(_("start time"))
    ended_at = models.TimeField(_("end time"))
    weight_kg = models.DecimalField(
        _("weight (kg)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(25)), MaxValueValidator(Decimal(250))],
    )
    viable_cells_mantissa = models.DecimalField(
        _("total viable cells: mantissa"),
        max_digits=4,
        decimal_places=2,
        help_text=_("e.g. 4.5 for 4.5 × 10^8"),
    )
    viable_cells_exponent = models.PositiveSmallIntegerField(
        _("total viable cells: power of ten"), help_text=_("e.g. 8 for 4.5 × 10^8")
    )
    car_positive_pct = models.DecimalField(
        _("CAR+ (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )
    premedication = models.CharField(_("premedication"), max_length=200, blank=True)
    temperature_before_c = models.DecimalField(
        _("temperature before (°C)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    temperature_after_c = models.DecimalField(
        _("temperature after (°C)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    systolic_before_mmhg = models.PositiveSmallIntegerField(
        _("systolic BP before (mmHg)"), null=True, blank=True
    )
    systolic_after_mmhg = models.PositiveSmallIntegerField(
        _("systolic BP after (mmHg)"), null=True, blank=True
    )
    infusion_reaction = models.BooleanField(_("infusion reaction"), default=False)
    infusion_reaction_description = models.TextField(
        _("infusion reaction: description"), blank=True
    )
    deviation_reason = models.TextField(
        _("dose deviation: explanation"),
        blank=True,
        help_text=_("Required when the infused dose is outside the protocol's tolerance."),
    )
    # Derived, never typed:
    dose_level = models.PositiveSmallIntegerField(_("dose level"), editable=False)
    car_positive_cells = models.DecimalField(
        _("CAR+ cells"), max_digits=20, decimal_places=0, editable=False
    )
    cells_per_kg = models.DecimalField(
        _("CAR+ cells/kg"), max_digits=20, decimal_places=0, editable=False
    )
    planned_cells = models.DecimalField(
        _("planned CAR+ cells"), max_digits=20, decimal_places=0, editable=False
    )
    dose_deviation_pct = models.DecimalField(
        _("deviation from the planned dose (%)"), max_digits=9, decimal_places=2, editable=False
    )
    is_dose_deviation = models.BooleanField(_("dose deviation"), default=False, editable=False)

    class Meta(CrfModel.Meta):
        verbose_name = _("CAR-T infusion")
        verbose_name_plural = _("CAR-T infusions")

    def __str__(self) -> str:
        return f"{self.subject} infusion {self.infused_on}"

    def clean(self) -> None:
        if self.ended_at and self.started_at and self.ended_at < self.started_at:
            raise ValidationError({"ended_at": _("The infusion ends before it starts.")})
        if self.infusion_reaction and not self.infusion_reaction_description.strip():
            raise ValidationError(
                {"infusion_reaction_description": _("Describe the infusion reaction.")}
            )


class DltAssessment(CrfModel):
    """At the end of the DLT window: evaluable or not (why), and whether a DLT occurred."""

    assessed_on = models.DateField(_("date assessed"))
    evaluable = models.BooleanField(_("DLT-evaluable"))
    not_evaluable_reason = models.TextField(_("why not evaluable"), blank=True)
    had_dlt = models.BooleanField(_("dose-limiting toxicity"), default=False)
    dlt_description = models.TextField(_("DLT: description"), blank=True)
    # The DLT candidates (adverse events) that caused it, by id: kept in this row's history.
    dlt_candidate_refs = models.JSONField(_("events that caused it"), default=list, blank=True)

    class Meta(CrfModel.Meta):
        verbose_name = _("DLT assessment")
        verbose_name_plural = _("DLT assessments")

    def __str__(self) -> str:
        return f"{self.subject} DLT assessment"

    def clean(self) -> None:
        errors = {}
        if not self.evaluable and not self.not_evaluable_reason.strip():
            errors["not_evaluable_reason"] = _("Say why the subject is not DLT-evaluable.")
        if self.had_dlt and not self.evaluable:
            errors["had_dlt"] = _("A DLT makes the subject evaluable.")
        if self.had_dlt and not self.dlt_description.strip():
            errors["dlt_description"] = _("Describe the DLT.")
        if errors:
            raise ValidationError(errors)


class DltCandidate(ClinicalDates, AuditedModel):
    """An event another app proposes as a possible DLT (adverse events call the dosing service;
    dosing never reads their models)."""

    default_date_rule = DateRule.SINCE_DAY0

    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="dlt_candidates", verbose_name=_("subject")
    )
    source = models.CharField(_("source"), max_length=40)
    source_ref = models.CharField(_("source record"), max_length=64)
    rule_id = models.CharField(_("DLT rule"), max_length=40)
    description = models.TextField(_("description"))
    grade = models.PositiveSmallIntegerField(_("grade"))
    onset_on = models.DateField(_("onset"))

    class Meta:
        verbose_name = _("DLT candidate")
        verbose_name_plural = _("DLT candidates")
        ordering = ["subject", "onset_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_ref", "rule_id"], name="uniq_dlt_candidate"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.rule_id}: {self.description}"


class EscalationDecision(AuditedModel):
    """The safety review committee's decision at a dose level, signed by the recorder."""

    class Decision(models.TextChoices):
        ESCALATE = "escalate", _("Escalate")
        STAY = "stay", _("Stay")
        DEESCALATE = "deescalate", _("De-escalate")
        ELIMINATE = "eliminate", _("Eliminate this and higher doses")
        STOP = "stop", _("Stop the trial")

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="escalation_decisions")
    dose_level = models.PositiveSmallIntegerField(_("dose level reviewed"))
    recommendation = models.CharField(_("rule's recommendation"), max_length=40)
    recommendation_basis = models.JSONField(_("counts and table row"))
    decision = models.CharField(_("committee decision"), max_length=20, choices=Decision.choices)
    next_dose_level = models.PositiveSmallIntegerField(_("next dose level"), null=True, blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    meeting_on = models.DateField(_("meeting date"))
    signed_at = models.DateTimeField(_("signed at"))
    signature_meaning = models.CharField(_("meaning of signature"), max_length=200)

    class Meta:
        ordering = ["study", "signed_at"]

    def __str__(self) -> str:
        return f"{self.study} DL{self.dose_level}: {self.decision}"
