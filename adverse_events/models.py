"""Safety records: the adverse-event log with seriousness and the SAE clock, CRS and ICANS
episodes with their bedside assessments and treatments, the sponsor's safety contacts, and new
malignancy reports (each opening its SAE)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from adverse_events.domain.malignancy import MalignancyType, TransgeneResult, malignancy_problems
from adverse_events.domain.malignancy import Problem as MalignancyProblem
from adverse_events.domain.terms import CTCAE_VERSION, ctcae_terms
from edc.audit import AuditedModel
from edc.clinical_dates import ClinicalDates, DateRule
from edc.models import CrfModel, Study, Subject
from edc.time_display import zoned_text


def _ctcae_term_label(code: str) -> str:
    """The term in the reader's language: its Chinese name in Chinese when the term list has one."""
    term = ctcae_terms()[code]
    return term.term_zh if (get_language() or "").startswith("zh") and term.term_zh else term.term


ctcae_term_label = lazy(_ctcae_term_label, str)

OXYGEN_DEVICE_CHOICES = [
    ("none", _("None (room air)")),
    ("nasal_cannula", _("Nasal cannula")),
    ("blow_by", _("Blow-by")),
    ("high_flow_nasal_cannula", _("High-flow nasal cannula")),
    ("facemask", _("Facemask")),
    ("nonrebreather", _("Non-rebreather mask")),
    ("venturi", _("Venturi mask")),
    ("cpap", _("CPAP")),
    ("bipap", _("BiPAP")),
    ("intubation", _("Intubation and mechanical ventilation")),
]
CONSCIOUSNESS_CHOICES = [
    ("alert", _("Alert")),
    ("awakens_spontaneously", _("Awakens spontaneously")),
    ("awakens_to_voice", _("Awakens to voice")),
    ("awakens_to_tactile", _("Awakens only to tactile stimulus")),
    ("unarousable", _("Unarousable")),
]
SEIZURE_CHOICES = [
    ("none", _("None")),
    ("rapidly_resolving", _("Clinical seizure resolving rapidly")),
    ("nonconvulsive_resolved", _("Non-convulsive seizure on EEG resolving with intervention")),
    ("prolonged", _("Life-threatening prolonged or repetitive seizures")),
]
MOTOR_CHOICES = [("none", _("None")), ("deep_focal_weakness", _("Deep focal motor weakness"))]
EDEMA_CHOICES = [("none", _("None")), ("focal", _("Focal/local")), ("diffuse", _("Diffuse"))]
# The domains an ASTCT grade can be driven by (the graders' `driver` codes, "+"-joined on a tie).
GRADE_DRIVER_LABELS = {
    "none": _("no domain (grade 0)"),
    "fever": _("fever"),
    "hypotension": _("hypotension"),
    "hypoxia": _("hypoxia"),
    "ice_score": _("ICE score"),
    "consciousness": _("level of consciousness"),
    "seizure": _("seizure"),
    "motor": _("motor findings"),
    "cerebral_edema": _("cerebral oedema"),
}

RELATIONSHIP = [
    ("not_related", _("Not related")),
    ("unlikely", _("Unlikely")),
    ("possible", _("Possible")),
    ("probable", _("Probable")),
    ("definite", _("Definite")),
]


class AdverseEvent(CrfModel):
    """One adverse event (repeating, reported at a visit)."""

    # Reported at any visit, an event may have started at any time since consent.
    visit_anchored = False

    class Action(models.TextChoices):
        NONE = "none", _("None")
        TREATMENT = "treatment", _("Treatment given")
        HOSPITALISED = "hospitalised", _("Hospitalised")
        STUDY_TREATMENT_DELAYED = "delayed", _("Study treatment delayed")
        WITHDRAWN = "withdrawn", _("Subject withdrawn")

    class Outcome(models.TextChoices):
        RECOVERED = "recovered", _("Recovered")
        RECOVERING = "recovering", _("Recovering")
        NOT_RECOVERED = "not_recovered", _("Not recovered")
        SEQUELAE = "sequelae", _("Recovered with sequelae")
        FATAL = "fatal", _("Fatal")
        UNKNOWN = "unknown", _("Unknown")

    class Aesi(models.TextChoices):
        NONE = "", _("None")
        CRS = "crs", _("CRS")
        ICANS = "icans", _("ICANS")
        IEC_HS = "iec_hs", _("IEC-HS")
        ICAHT = "icaht", _("ICAHT")
        INFECTION = "infection", _("Infection")
        HYPOGAMMAGLOBULINAEMIA = "hypogammaglobulinaemia", _("Hypogammaglobulinaemia")
        GVHD = "gvhd", _("GvHD")
        SECONDARY_MALIGNANCY = "secondary_malignancy", _("Secondary malignancy")
        T_CELL_MALIGNANCY = "t_cell_malignancy", _("T-cell malignancy")
        # Delayed neurotoxicities after CAR-T, distinct from ICANS (CSV term list note):
        PARKINSONISM = "parkinsonism", _("Parkinsonism")
        CRANIAL_NERVE_PALSY = "cranial_nerve_palsy", _("Cranial nerve palsy")
        GUILLAIN_BARRE = "guillain_barre", _("Guillain-Barré syndrome")

    verbatim_term = models.CharField(_("verbatim term"), max_length=200)
    ctcae_term = models.CharField(
        _("CTCAE term"),
        max_length=60,
        choices=[(t.code, ctcae_term_label(t.code)) for t in ctcae_terms().values()],
    )
    onset_date = models.DateField(_("onset date"))
    resolution_date = models.DateField(_("resolution date"), null=True, blank=True)
    grade = models.PositiveSmallIntegerField(
        _("grade (CTCAE)"), choices=[(g, str(g)) for g in range(1, 6)]
    )
    serious_death = models.BooleanField(_("serious: results in death"), default=False)
    serious_life_threatening = models.BooleanField(_("serious: life-threatening"), default=False)
    serious_hospitalisation = models.BooleanField(
        _("serious: hospitalisation or its prolongation"), default=False
    )
    serious_disability = models.BooleanField(
        _("serious: persistent or significant disability"), default=False
    )
    serious_congenital = models.BooleanField(_("serious: congenital anomaly"), default=False)
    serious_important_medical = models.BooleanField(
        _("serious: important medical event"), default=False
    )
    site_aware_at = models.DateTimeField(
        _("site became aware of the SAE at"),
        null=True,
        blank=True,
        help_text=_("Starts the 24-hour reporting clock."),
    )
    relationship_cart = models.CharField(
        _("relationship to the CAR-T product"), max_length=20, choices=RELATIONSHIP
    )
    relationship_lymphodepletion = models.CharField(
        _("relationship to lymphodepletion"), max_length=20, choices=RELATIONSHIP
    )
    action_taken = models.CharField(_("action taken"), max_length=20, choices=Action.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    aesi = models.CharField(
        _("adverse event of special interest"), max_length=30, choices=Aesi.choices, blank=True
    )
    # Derived, never typed:
    soc = models.CharField(_("system organ class"), max_length=120, editable=False)
    study_day = models.IntegerField(_("study day of onset"), null=True, editable=False)
    is_serious = models.BooleanField(_("serious"), default=False, editable=False)
    ctcae_version = models.CharField(
        _("CTCAE version"), max_length=10, default=CTCAE_VERSION, editable=False
    )

    SERIOUS_FIELDS = (
        "serious_death",
        "serious_life_threatening",
        "serious_hospitalisation",
        "serious_disability",
        "serious_congenital",
        "serious_important_medical",
    )

    class Meta:
        ordering = ["subject", "onset_date", "created_at"]
        verbose_name = _("adverse event")
        verbose_name_plural = _("adverse events")

    def __str__(self) -> str:
        return f"{self.verbatim_term} (grade {self.grade}, {self.onset_date})"

    def clean(self) -> None:
        errors = {}
        if self.resolution_date and self.onset_date and self.resolution_date < self.onset_date:
            errors["resolution_date"] = _("The event resolves before its onset.")
        serious = any(getattr(self, f) for f in self.SERIOUS_FIELDS)
        if serious and not self.site_aware_at:
            errors["site_aware_at"] = _("A serious event needs the time the site became aware.")
        if self.grade == 5 and not (self.serious_death and self.outcome == "fatal"):
            errors["grade"] = _("Grade 5 is death: tick 'results in death' and outcome fatal.")
        if errors:
            raise ValidationError(errors)


class SafetyContact(AuditedModel):
    """Who the sponsor wants told of every SAE within 24 hours."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="safety_contacts")
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    is_active = models.BooleanField(_("active"), default=True)

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class SaeNotification(ClinicalDates, AuditedModel):
    """The one notification of an SAE to the sponsor's safety contacts, in the audit trail:
    written by the outbox handler as the system user when the e-mail went out (the outbox row's
    lock and key keep it to one; see adverse_events/sae.py)."""

    subject_path = "adverse_event.subject"

    adverse_event = models.OneToOneField(
        AdverseEvent,
        on_delete=models.PROTECT,
        related_name="sae_notification",
        verbose_name=_("adverse event"),
    )
    sent_at = models.DateTimeField(_("sent at"))
    recipients = models.TextField(_("recipients"))

    class Meta:
        verbose_name = _("SAE notification")
        verbose_name_plural = _("SAE notifications")

    def __str__(self) -> str:
        return f"SAE notice {self.adverse_event_id} at {zoned_text(self.sent_at)}"


class SaeReport(ClinicalDates, AuditedModel):
    """An SAE report sent to the sponsor: the initial one stops the 24-hour clock; follow-ups
    are further versions, each kept."""

    subject_path = "adverse_event.subject"

    adverse_event = models.ForeignKey(
        AdverseEvent,
        on_delete=models.PROTECT,
        related_name="sae_reports",
        verbose_name=_("adverse event"),
    )
    number = models.PositiveSmallIntegerField(_("report number"))
    submitted_at = models.DateTimeField(_("submitted at"))
    narrative = models.TextField(_("narrative"))

    class Meta:
        verbose_name = _("SAE report")
        verbose_name_plural = _("SAE reports")
        ordering = ["adverse_event", "number"]
        constraints = [
            models.UniqueConstraint(fields=["adverse_event", "number"], name="uniq_sae_report")
        ]

    def __str__(self) -> str:
        kind = _("initial") if self.number == 1 else _("follow-up")
        return f"SAE report {self.number} ({kind})"


class ToxicityEpisode(ClinicalDates, AuditedModel):
    """A CRS or ICANS episode: its bedside assessments are graded as they are entered."""

    default_date_rule = DateRule.SINCE_DAY0

    class Kind(models.TextChoices):
        CRS = "crs", _("Cytokine release syndrome")
        ICANS = "icans", _("ICANS")

    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="episodes", verbose_name=_("subject")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    onset_at = models.DateTimeField(_("onset"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    adverse_event = models.OneToOneField(
        AdverseEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="episode",
        verbose_name=_("adverse event"),
    )
    # Derived from the assessments (and the investigator's overrides):
    max_grade = models.PositiveSmallIntegerField(_("maximum grade"), default=0, editable=False)

    class Meta:
        verbose_name = _("CRS/ICANS episode")
        verbose_name_plural = _("CRS/ICANS episodes")
        ordering = ["subject", "onset_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {zoned_text(self.onset_at)}"


class EpisodeAssessment(ClinicalDates, AuditedModel):
    """One bedside assessment of an episode, graded by ASTCT 2019 as entered. The investigator
    may override the computed grade with a reason; both are kept."""

    subject_path = "episode.subject"
    default_date_rule = DateRule.SINCE_DAY0

    episode = models.ForeignKey(
        ToxicityEpisode,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("episode"),
    )
    assessed_at = models.DateTimeField(_("assessed at"))
    # CRS inputs
    temperature_c = models.DecimalField(
        _("highest temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    fever_before_therapy = models.BooleanField(
        _("fever documented before antipyretic/anti-cytokine therapy"), default=False
    )
    hypotension = models.BooleanField(_("hypotension"), default=False)
    vasopressors = models.PositiveSmallIntegerField(
        _("vasopressors (not counting vasopressin)"), default=0
    )
    vasopressin = models.BooleanField(_("vasopressin"), default=False)
    oxygen_device = models.CharField(
        _("oxygen device"), max_length=30, choices=OXYGEN_DEVICE_CHOICES, default="none"
    )
    oxygen_flow_l_min = models.DecimalField(
        _("oxygen flow (L/min)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    # ICANS inputs
    ice_orientation = models.PositiveSmallIntegerField(
        _("ICE: orientation (0-4)"), null=True, blank=True
    )
    ice_naming = models.PositiveSmallIntegerField(_("ICE: naming (0-3)"), null=True, blank=True)
    ice_commands = models.PositiveSmallIntegerField(_("ICE: commands (0-1)"), null=True, blank=True)
    ice_writing = models.PositiveSmallIntegerField(_("ICE: writing (0-1)"), null=True, blank=True)
    ice_attention = models.PositiveSmallIntegerField(
        _("ICE: attention (0-1)"), null=True, blank=True
    )
    consciousness = models.CharField(
        _("level of consciousness"), max_length=30, choices=CONSCIOUSNESS_CHOICES, default="alert"
    )
    seizure = models.CharField(_("seizure"), max_length=30, choices=SEIZURE_CHOICES, default="none")
    motor = models.CharField(
        _("motor findings"), max_length=30, choices=MOTOR_CHOICES, default="none"
    )
    cerebral_edema = models.CharField(
        _("cerebral oedema"), max_length=30, choices=EDEMA_CHOICES, default="none"
    )
    # Derived, never typed:
    computed_grade = models.PositiveSmallIntegerField(_("computed grade"), editable=False)
    grade_driver = models.CharField(_("driven by"), max_length=60, editable=False)
    scale = models.CharField(_("scale"), max_length=40, editable=False)
    ice_score = models.PositiveSmallIntegerField(_("ICE score"), null=True, editable=False)
    # The investigator's judgement, when it differs:
    override_grade = models.PositiveSmallIntegerField(
        _("investigator's grade"), null=True, blank=True
    )
    override_reason = models.TextField(_("why the grade differs"), blank=True)

    class Meta:
        verbose_name = _("CRS/ICANS assessment")
        verbose_name_plural = _("CRS/ICANS assessments")
        ordering = ["episode", "assessed_at"]

    def __str__(self) -> str:
        return f"{zoned_text(self.assessed_at)} grade {self.grade}"

    @property
    def grade(self) -> int:
        return self.override_grade if self.override_grade is not None else self.computed_grade

    @property
    def driver_display(self) -> str:
        """The driving domain(s) in the user's language (`hypotension+hypoxia`: both)."""
        return " + ".join(
            str(GRADE_DRIVER_LABELS.get(code, code)) for code in self.grade_driver.split("+")
        )

    def clean(self) -> None:
        if self.override_grade is not None and not self.override_reason.strip():
            raise ValidationError({"override_reason": _("Say why the grade differs.")})


class EpisodeTreatment(ClinicalDates, AuditedModel):
    subject_path = "episode.subject"
    default_date_rule = DateRule.SINCE_DAY0

    class Agent(models.TextChoices):
        TOCILIZUMAB = "tocilizumab", _("Tocilizumab")
        DEXAMETHASONE = "dexamethasone", _("Dexamethasone")
        METHYLPREDNISOLONE = "methylprednisolone", _("Methylprednisolone")
        ANAKINRA = "anakinra", _("Anakinra")
        VASOPRESSOR = "vasopressor", _("Vasopressor")
        OTHER = "other", _("Other")

    episode = models.ForeignKey(
        ToxicityEpisode,
        on_delete=models.PROTECT,
        related_name="treatments",
        verbose_name=_("episode"),
    )
    agent = models.CharField(_("agent"), max_length=30, choices=Agent.choices)
    detail = models.CharField(_("drug and dose"), max_length=120)
    given_at = models.DateTimeField(_("given at"))

    class Meta:
        verbose_name = _("CRS/ICANS treatment")
        verbose_name_plural = _("CRS/ICANS treatments")
        ordering = ["episode", "given_at"]

    def __str__(self) -> str:
        return f"{self.get_agent_display()} {self.detail} at {zoned_text(self.given_at)}"


class LabToxicity(ClinicalDates, AuditedModel):
    """A laboratory result after Day 0 graded by CTCAE v5.0 against the site lab's range and the
    subject's baseline; grade 3 or more is proposed as an adverse event for the investigator to
    confirm (it becomes an AE) or dismiss with a reason."""

    default_date_rule = DateRule.SINCE_DAY0

    class Status(models.TextChoices):
        GRADED = "graded", _("Graded")
        PROPOSED = "proposed", _("Proposed as an adverse event")
        CONFIRMED = "confirmed", _("Confirmed as an adverse event")
        DISMISSED = "dismissed", _("Dismissed")

    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="lab_toxicities", verbose_name=_("subject")
    )
    lab_result_ref = models.UUIDField(_("lab result"))
    term = models.CharField(_("CTCAE term"), max_length=60)
    collected_on = models.DateField(_("date collected"))
    study_day = models.IntegerField(_("study day"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=20)
    baseline = models.DecimalField(
        _("baseline"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    grade = models.PositiveSmallIntegerField(_("grade"))
    basis = models.CharField(_("graded on"), max_length=200)
    ctcae_version = models.CharField(_("CTCAE version"), max_length=10, default=CTCAE_VERSION)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    dismiss_reason = models.TextField(_("why dismissed"), blank=True)
    adverse_event = models.OneToOneField(
        AdverseEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lab_source",
        verbose_name=_("adverse event"),
    )

    class Meta:
        verbose_name = _("lab toxicity")
        verbose_name_plural = _("lab toxicities")
        ordering = ["subject", "collected_on", "term"]
        constraints = [
            models.UniqueConstraint(fields=["lab_result_ref", "term"], name="uniq_lab_toxicity")
        ]

    def __str__(self) -> str:
        return f"{self.term} grade {self.grade} on {self.collected_on}"


MALIGNANCY_TYPE_CHOICES = [
    (MalignancyType.T_CELL_LYMPHOMA, _("T-cell lymphoma")),
    (MalignancyType.T_CELL_LEUKAEMIA, _("T-cell leukaemia")),
    (MalignancyType.B_CELL_LYMPHOMA, _("B-cell lymphoma")),
    (MalignancyType.MYELOID_NEOPLASM, _("Myeloid neoplasm (MDS, AML)")),
    (MalignancyType.SOLID_TUMOUR, _("Solid tumour")),
    (MalignancyType.SKIN_NON_MELANOMA, _("Non-melanoma skin cancer")),
    (MalignancyType.OTHER, _("Other")),
]
TRANSGENE_RESULT_CHOICES = [
    (TransgeneResult.DETECTED, _("CAR transgene detected in the tumour")),
    (TransgeneResult.NOT_DETECTED, _("CAR transgene not detected")),
    (TransgeneResult.PENDING, _("Result pending")),
]
MALIGNANCY_PROBLEM_MESSAGES = {
    MalignancyProblem.REQUIRED: _("Required for this report."),
    MalignancyProblem.NOT_APPLICABLE: _("Leave empty: no biopsy or transgene test was done."),
}


class NewMalignancy(CrfModel):
    """A new malignancy diagnosed after the infusion (repeating, reported at any visit, long-term
    follow-up included). Saving it opens its serious adverse event in the same transaction
    (adverse_events/malignancy.py); a correction updates that event, never a second one."""

    visit_anchored = False

    malignancy_type = models.CharField(
        _("type of malignancy"), max_length=30, choices=MALIGNANCY_TYPE_CHOICES
    )
    type_detail = models.CharField(_("histology / other type"), max_length=200, blank=True)
    diagnosis_date = models.DateField(_("date of diagnosis"))
    site_aware_at = models.DateTimeField(
        _("site became aware at"), help_text=_("Starts the 24-hour SAE reporting clock.")
    )
    biopsy_done = models.BooleanField(_("biopsy done"), default=False)
    biopsy_result = models.TextField(_("biopsy result"), blank=True)
    transgene_tested = models.BooleanField(_("CAR transgene tested in the tumour"), default=False)
    transgene_result = models.CharField(
        _("CAR transgene result in the tumour"),
        max_length=20,
        choices=TRANSGENE_RESULT_CHOICES,
        blank=True,
    )
    grade = models.PositiveSmallIntegerField(
        _("grade (CTCAE)"), choices=[(g, str(g)) for g in range(1, 6)]
    )
    relationship_cart = models.CharField(
        _("relationship to the CAR-T product"), max_length=20, choices=RELATIONSHIP
    )
    relationship_lymphodepletion = models.CharField(
        _("relationship to lymphodepletion"), max_length=20, choices=RELATIONSHIP
    )
    action_taken = models.CharField(
        _("action taken"), max_length=20, choices=AdverseEvent.Action.choices
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=AdverseEvent.Outcome.choices)
    notes = models.TextField(_("notes"), blank=True)
    # Set by the service when the report opens its SAE, never typed:
    adverse_event = models.OneToOneField(
        AdverseEvent,
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="malignancy_report",
        verbose_name=_("adverse event"),
    )

    class Meta:
        verbose_name = _("new malignancy report")
        verbose_name_plural = _("new malignancy reports")
        ordering = ["subject", "diagnosis_date", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_malignancy_type_display()} ({self.diagnosis_date})"

    def clean(self) -> None:
        problems = malignancy_problems(
            MalignancyType(self.malignancy_type) if self.malignancy_type else MalignancyType.OTHER,
            type_detail=self.type_detail,
            biopsy_done=self.biopsy_done,
            biopsy_result=self.biopsy_result,
            transgene_tested=self.transgene_tested,
            transgene_result=self.transgene_result,
        )
        errors = {field: MALIGNANCY_PROBLEM_MESSAGES[p] for field, p in problems.items()}
        if self.grade == 5 and self.outcome != AdverseEvent.Outcome.FATAL:
            errors["grade"] = _("Grade 5 is death: the outcome is fatal.")
        if errors:
            raise ValidationError(errors)


# Models kept in a module of their own; imported here so Django sees them.
from adverse_events.followup_records import Infection, PregnancyReport  # noqa: E402, F401
