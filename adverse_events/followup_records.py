"""Long-term safety follow-up records: infections (each graded, early or late from Day 0, and
opened in the AE log when severe or serious) and pregnancies of a subject or a subject's partner,
followed to their outcome. Both are repeating CRFs of the follow-up visits (adverse_events/crfs.py).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from adverse_events.domain.infections import InfectionTiming, infection_is_adverse_event
from adverse_events.domain.pregnancy import Exposure
from adverse_events.domain.terms import ctcae_terms
from adverse_events.models import RELATIONSHIP, AdverseEvent, ctcae_term_label
from edc.clinical_dates import DateRule
from edc.models import CrfModel

INFECTION_TERMS = [
    (t.code, ctcae_term_label(t.code)) for t in ctcae_terms().values() if t.category == "infection"
]


class Infection(CrfModel):
    """One infection (repeating: as many as occur, reported at any follow-up visit)."""

    class PathogenClass(models.TextChoices):
        BACTERIAL = "bacterial", _("Bacterial")
        VIRAL = "viral", _("Viral")
        FUNGAL = "fungal", _("Fungal")
        OTHER = "other", _("Other or not identified")

    class Site(models.TextChoices):
        LUNG = "lung", _("Lung (pneumonia)")
        UPPER_RESPIRATORY = "upper_respiratory", _("Upper respiratory tract")
        URINARY = "urinary", _("Urinary tract")
        BLOODSTREAM = "bloodstream", _("Bloodstream")
        SKIN = "skin", _("Skin and soft tissue")
        GASTROINTESTINAL = "gastrointestinal", _("Gastrointestinal tract")
        CNS = "cns", _("Central nervous system")
        DISSEMINATED = "disseminated", _("Disseminated")
        OTHER = "other", _("Other")

    TIMING_CHOICES = [
        (InfectionTiming.BEFORE_INFUSION.value, _("Before the infusion")),
        (InfectionTiming.EARLY.value, _("Early (Day 0 to Day 28)")),
        (InfectionTiming.LATE.value, _("Late (after Day 28)")),
    ]

    pathogen_class = models.CharField(
        _("pathogen class"), max_length=12, choices=PathogenClass.choices
    )
    organism = models.CharField(
        _("organism"), max_length=120, blank=True, help_text=_("Leave empty if not identified.")
    )
    site = models.CharField(_("site of infection"), max_length=20, choices=Site.choices)
    ctcae_term = models.CharField(_("CTCAE term"), max_length=60, choices=INFECTION_TERMS)
    grade = models.PositiveSmallIntegerField(
        _("grade (CTCAE)"), choices=[(g, str(g)) for g in range(1, 6)]
    )
    onset_date = models.DateField(_("onset date"))
    treated_antibiotic = models.BooleanField(_("treated with an antibiotic"), default=False)
    treated_antiviral = models.BooleanField(_("treated with an antiviral"), default=False)
    treated_antifungal = models.BooleanField(_("treated with an antifungal"), default=False)
    treated_ivig = models.BooleanField(_("treated with IVIG"), default=False)
    outcome = models.CharField(_("outcome"), max_length=20, choices=AdverseEvent.Outcome.choices)
    serious = models.BooleanField(_("serious"), default=False)
    site_aware_at = models.DateTimeField(
        _("site became aware of the serious infection at"),
        null=True,
        blank=True,
        help_text=_("Starts the 24-hour SAE clock."),
    )
    relationship_cart = models.CharField(
        _("relationship to the CAR-T product"),
        max_length=20,
        choices=RELATIONSHIP,
        blank=True,
        help_text=_("Needed when the infection is grade 3 or more, or serious."),
    )
    relationship_lymphodepletion = models.CharField(
        _("relationship to lymphodepletion"), max_length=20, choices=RELATIONSHIP, blank=True
    )
    # Derived, never typed:
    study_day = models.IntegerField(_("study day of onset"), null=True, editable=False)
    timing = models.CharField(
        _("early or late"), max_length=20, choices=TIMING_CHOICES, blank=True, editable=False
    )
    adverse_event = models.OneToOneField(
        AdverseEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="infection",
        verbose_name=_("adverse event"),
    )

    TREATMENT_FIELDS = ("treated_antibiotic", "treated_antiviral", "treated_antifungal",
                        "treated_ivig")  # fmt: skip

    class Meta:
        ordering = ["subject", "onset_date", "created_at"]
        verbose_name = _("infection")
        verbose_name_plural = _("infections")

    def __str__(self) -> str:
        return f"{self.get_site_display()} infection (grade {self.grade}, {self.onset_date})"

    @property
    def is_adverse_event(self) -> bool:
        return infection_is_adverse_event(grade=self.grade, serious=self.serious)

    def clean(self) -> None:
        errors = {}
        if self.grade == 5 and not (self.serious and self.outcome == AdverseEvent.Outcome.FATAL):
            errors["grade"] = _("Grade 5 is death: tick serious and choose outcome fatal.")
        if self.serious and not self.site_aware_at:
            errors["site_aware_at"] = _("A serious infection needs the time the site became aware.")
        if self.grade and 1 <= self.grade <= 5 and self.is_adverse_event:
            for name in ("relationship_cart", "relationship_lymphodepletion"):
                if not getattr(self, name):
                    errors[name] = _(
                        "A grade 3 or more, or serious, infection is an adverse event: "
                        "give its relationship."
                    )
        if errors:
            raise ValidationError(errors)


class PregnancyReport(CrfModel):
    """A pregnancy of the subject or of a subject's partner after the infusion, reported like an
    SAE, and corrected later with its outcome (an open report is a task for the site)."""

    # Dates of the pregnancy (last period, conception) may precede consent and Day 0.
    date_rules = {
        "lmp_date": DateRule.SINCE_BIRTH,
        "conception_date": DateRule.SINCE_BIRTH,
    }

    class Who(models.TextChoices):
        SUBJECT = "subject", _("The subject")
        PARTNER = "partner", _("The subject's partner")

    class Outcome(models.TextChoices):
        ONGOING = "ongoing", _("Ongoing")
        LIVE_BIRTH = "live_birth", _("Live birth")
        SPONTANEOUS_ABORTION = "spontaneous_abortion", _("Spontaneous abortion")
        ELECTIVE_TERMINATION = "elective_termination", _("Elective termination")
        STILLBIRTH = "stillbirth", _("Stillbirth")
        ECTOPIC = "ectopic", _("Ectopic pregnancy")

    EXPOSURE_CHOICES = [
        (Exposure.BEFORE_INFUSION.value, _("Conceived before the infusion")),
        (Exposure.WITHIN_CONTRACEPTION_WINDOW.value, _("Within the contraception window")),
        (Exposure.AFTER_CONTRACEPTION_WINDOW.value, _("After the contraception window")),
    ]

    who = models.CharField(_("pregnant person"), max_length=10, choices=Who.choices)
    lmp_date = models.DateField(_("first day of the last menstrual period"), null=True, blank=True)
    conception_date = models.DateField(
        _("estimated date of conception"),
        null=True,
        blank=True,
        help_text=_("Leave empty to estimate it as 14 days after the last menstrual period."),
    )
    site_aware_at = models.DateTimeField(
        _("site became aware of the pregnancy at"),
        help_text=_("Reported to the sponsor within the protocol's hours, as an SAE."),
    )
    reported_on = models.DateField(_("date reported to the sponsor"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=25, choices=Outcome.choices, default=Outcome.ONGOING
    )
    outcome_date = models.DateField(_("date of the outcome"), null=True, blank=True)
    congenital_anomaly = models.BooleanField(
        _("congenital anomaly or birth defect"), null=True, blank=True
    )
    # Derived, never typed:
    estimated_conception = models.DateField(_("conception (estimated)"), null=True, editable=False)
    exposure = models.CharField(
        _("exposure to the study treatment"),
        max_length=20,
        choices=EXPOSURE_CHOICES,
        blank=True,
        editable=False,
    )

    class Meta:
        ordering = ["subject", "site_aware_at", "created_at"]
        verbose_name = _("pregnancy report")
        verbose_name_plural = _("pregnancy reports")

    def __str__(self) -> str:
        return f"{self.get_who_display()} pregnancy ({self.get_outcome_display()})"

    @property
    def is_open(self) -> bool:
        return self.outcome == self.Outcome.ONGOING

    def clean(self) -> None:
        errors = {}
        if self.lmp_date is None and self.conception_date is None:
            errors["conception_date"] = _(
                "Give the last menstrual period or an estimated date of conception."
            )
        if self.is_open and self.outcome_date is not None:
            errors["outcome_date"] = _("An ongoing pregnancy has no outcome date yet.")
        if not self.is_open and self.outcome_date is None:
            errors["outcome_date"] = _("Enter the date of the outcome.")
        if self.is_open and self.congenital_anomaly is not None:
            errors["congenital_anomaly"] = _("Answer this with the outcome.")
        if not self.is_open and self.congenital_anomaly is None:
            errors["congenital_anomaly"] = _("Say whether there was a congenital anomaly.")
        if self.outcome_date and self.lmp_date and self.outcome_date < self.lmp_date:
            errors["outcome_date"] = _("The outcome is before the last menstrual period.")
        if errors:
            raise ValidationError(errors)
