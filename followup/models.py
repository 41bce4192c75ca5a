"""Follow-up records: the visit schedule (one row per scheduled visit of a subject, created when
Day 0 is recorded), and the CRFs after the infusion: B-cell count, immunoglobulins, CAR-T cellular
kinetics, end of study.

They live in the top layer because they read nothing the other apps own and nothing below them
reads them; each is served by the generic CRF page through the registry (followup/crfs.py).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from edc.audit import AuditedModel
from edc.clinical_dates import ClinicalDates, DateRule
from edc.domain.visits import VisitWindow
from edc.models import CrfModel, Subject
from edc.time_display import zoned_text
from followup.domain.end_of_study import Ending, Problem, end_of_study_problems
from followup.domain.immunology import LloqProblem, lloq_problem
from followup.domain.reminders import ReminderKind
from followup.domain.schedule import VisitState

NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]
LLOQ_MESSAGES = {
    LloqProblem.MISSING: _("Enter the result, or tick below the LLOQ."),
    LloqProblem.BOTH: _("Below the LLOQ: leave the result empty."),
}


def lloq_errors(row: models.Model, pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Errors on the value field of each (value, below-LLOQ flag) pair that do not fit."""
    errors = {}
    for value, flag in pairs:
        problem = lloq_problem(getattr(row, value), bool(getattr(row, flag)))
        if problem is not None:
            errors[value] = LLOQ_MESSAGES[problem]
    return errors


def _grams_per_litre(label: str) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        validators=[*NOT_NEGATIVE, MaxValueValidator(Decimal("100"))],
    )


def _cells_per_ul(label: str) -> models.DecimalField:
    """A cell count by flow cytometry: empty when the result is below the LLOQ."""
    return models.DecimalField(
        label, max_digits=8, decimal_places=1, null=True, blank=True, validators=NOT_NEGATIVE
    )


class BCellCount(CrfModel):
    """CD19+ B cells in peripheral blood (flow cytometry): aplasia shows the CAR-T at work,
    recovery that it has gone."""

    sampled_at = models.DateTimeField(_("date and time of sample"))
    cd19_cells_per_ul = _cells_per_ul(_("CD19+ cells/µL"))
    cd19_below_lloq = models.BooleanField(_("CD19+ cells below the LLOQ"), default=False)

    class Meta(CrfModel.Meta):
        verbose_name = _("B-cell count")
        verbose_name_plural = _("B-cell counts")

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code} B-cell count"

    def clean(self) -> None:
        errors = lloq_errors(self, (("cd19_cells_per_ul", "cd19_below_lloq"),))
        if errors:
            raise ValidationError(errors)


class Immunoglobulins(CrfModel):
    sampled_on = models.DateField(_("date of sample"))
    igg_g_per_l = _grams_per_litre(_("IgG (g/L)"))
    iga_g_per_l = _grams_per_litre(_("IgA (g/L)"))
    igm_g_per_l = _grams_per_litre(_("IgM (g/L)"))
    hypogammaglobulinaemia = models.BooleanField(
        _("hypogammaglobulinaemia (IgG < 4 g/L)"), default=False, editable=False
    )

    class Meta(CrfModel.Meta):
        verbose_name = _("immunoglobulins")
        verbose_name_plural = _("immunoglobulins")

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code} immunoglobulins"


class CarTKinetics(CrfModel):
    """One cellular-kinetics sample (repeating: several time points on an infusion day)."""

    class TimePoint(models.TextChoices):
        PRE_INFUSION = "pre_infusion", _("Before the infusion")
        END_OF_INFUSION = "end_of_infusion", _("End of the infusion")
        HOURS_AFTER = "hours_after", _("Hours after the infusion (see the sample time)")
        VISIT = "visit", _("Visit sample")
        UNSCHEDULED = "unscheduled", _("Unscheduled")

    time_point = models.CharField(_("time point"), max_length=20, choices=TimePoint.choices)
    sampled_at = models.DateTimeField(_("date and time of sample"))
    transgene_copies_per_ug_dna = models.DecimalField(
        _("transgene copies/µg DNA (qPCR)"),
        max_digits=12,
        decimal_places=1,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    transgene_below_lloq = models.BooleanField(_("transgene below the LLOQ"), default=False)
    car_cells_per_ul = _cells_per_ul(_("CAR+ cells/µL (flow cytometry)"))
    car_cells_below_lloq = models.BooleanField(_("CAR+ cells below the LLOQ"), default=False)

    class Meta:
        ordering = ["subject", "sampled_at"]
        verbose_name = _("CAR-T cellular kinetics sample")
        verbose_name_plural = _("CAR-T cellular kinetics samples")

    def __str__(self) -> str:
        return f"{self.get_time_point_display()} {zoned_text(self.sampled_at)}"

    def clean(self) -> None:
        errors = lloq_errors(
            self,
            (
                ("transgene_copies_per_ug_dna", "transgene_below_lloq"),
                ("car_cells_per_ul", "car_cells_below_lloq"),
            ),
        )
        if errors:
            raise ValidationError(errors)


class EndOfStudy(CrfModel):
    """How and when the subject's participation ended."""

    # A subject may withdraw or die before the infusion: the dates run from consent.
    date_rules = {"end_date": DateRule.SINCE_CONSENT, "death_date": DateRule.SINCE_CONSENT}

    ENDINGS = {
        Ending.COMPLETED: _("Completed the study"),
        Ending.WITHDRAWN: _("Withdrawn"),
        Ending.DEATH: _("Death"),
        Ending.LOST_TO_FOLLOW_UP: _("Lost to follow-up"),
    }
    PROBLEMS = {
        Problem.REQUIRED: _("Required for this ending of the study."),
        Problem.NOT_APPLICABLE: _("Not for this ending of the study: leave it empty."),
        Problem.AFTER_END: _("The date of death is after the end date."),
    }

    ending = models.CharField(
        _("ending"), max_length=20, choices=[(e.value, label) for e, label in ENDINGS.items()]
    )
    end_date = models.DateField(
        _("end date"), help_text=_("Lost to follow-up: the date of the last contact.")
    )
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=200, blank=True)
    death_date = models.DateField(_("date of death"), null=True, blank=True)
    death_cause = models.CharField(_("cause of death"), max_length=200, blank=True)

    class Meta(CrfModel.Meta):
        verbose_name = _("end of study")
        verbose_name_plural = _("end of study")

    def __str__(self) -> str:
        return f"{self.subject} end of study ({self.ending})"

    def clean(self) -> None:
        if not self.ending or self.end_date is None:
            return  # refused on their own fields
        problems = end_of_study_problems(
            Ending(self.ending),
            end_date=self.end_date,
            withdrawal_reason=self.withdrawal_reason,
            death_date=self.death_date,
            death_cause=self.death_cause,
        )
        if problems:
            raise ValidationError({f: self.PROBLEMS[p] for f, p in problems.items()})


class VisitInstance(ClinicalDates, AuditedModel):
    """A visit of the protocol's schedule for one subject, with its target date and window at the
    subject's site. Upcoming, due and overdue are computed from today (followup.domain.schedule);
    what the site declares is stored in `state`."""

    class State(models.TextChoices):
        OPEN = VisitState.OPEN.value, _("Open")
        DONE = VisitState.DONE.value, _("Done")
        MISSED = VisitState.MISSED.value, _("Missed")
        NOT_APPLICABLE = VisitState.NOT_APPLICABLE.value, _("Not applicable")

    # Since consent, not since the earliest Day-0 window: the lymphodepletion visit of a delayed
    # infusion took place before that window, and is kept with its deviation.
    date_rules = {"done_on": DateRule.SINCE_CONSENT}
    planned_dates = frozenset({"target_date", "window_start", "window_end"})

    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="visit_instances", verbose_name=_("subject")
    )
    visit_code = models.CharField(_("visit"), max_length=32)
    target_date = models.DateField(_("target date"))
    window_start = models.DateField(_("window start"))
    window_end = models.DateField(_("window end"))
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.OPEN)
    done_on = models.DateField(_("date of the visit"), null=True, blank=True)
    # Days outside the window when done (negative: early; positive: late); a protocol deviation.
    deviation_days = models.IntegerField(_("deviation (days)"), null=True, blank=True)
    missed_reason = models.TextField(_("reason missed"), blank=True, max_length=500)
    # Set when the end of the subject's participation closes the visit (followup.services).
    not_applicable_reason = models.CharField(_("reason not applicable"), blank=True, max_length=200)

    class Meta:
        verbose_name = _("scheduled visit")
        verbose_name_plural = _("scheduled visits")
        ordering = ["subject", "target_date"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "visit_code"], name="uniq_visit_instance"),
            models.CheckConstraint(
                condition=~Q(state="done") | Q(done_on__isnull=False),
                name="visit_done_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(state="missed") | ~Q(missed_reason=""),
                name="visit_missed_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state="not_applicable") | ~Q(not_applicable_reason=""),
                name="visit_not_applicable_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(window_start__lte=models.F("target_date"))
                & Q(target_date__lte=models.F("window_end")),
                name="visit_target_in_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code}"

    @property
    def window(self) -> VisitWindow:
        return VisitWindow(
            target=self.target_date, earliest=self.window_start, latest=self.window_end
        )

    @property
    def deviation_text(self) -> str:
        """The protocol deviation in words: how many days early or late ("" inside the window)."""
        if not self.deviation_days:
            return ""
        days = abs(self.deviation_days)
        if self.deviation_days < 0:
            return ngettext("%(days)d day early", "%(days)d days early", days) % {"days": days}
        return ngettext("%(days)d day late", "%(days)d days late", days) % {"days": days}


class UnscheduledVisit(ClinicalDates, AuditedModel):
    """A visit the protocol does not schedule (a flare, a toxicity check), numbered per subject,
    with the reason and the forms the investigator chose. Its forms are entered under its own
    visit code (`UNS1`, `UNS2`, ...), which the core learns from the visit registry."""

    CODE_PREFIX = "UNS"

    # Unscheduled visits may happen at any time of the trial, before the infusion too.
    date_rules = {"visit_date": DateRule.SINCE_CONSENT}

    subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        related_name="unscheduled_visits",
        verbose_name=_("subject"),
    )
    number = models.PositiveSmallIntegerField(_("number"), editable=False)
    visit_date = models.DateField(_("date of the visit"))
    reason = models.TextField(_("reason for the visit"), max_length=500)
    crf_codes = models.JSONField(_("forms"), default=list)

    class Meta:
        ordering = ["subject", "number"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "number"], name="uniq_unscheduled_visit")
        ]
        verbose_name = _("unscheduled visit")
        verbose_name_plural = _("unscheduled visits")

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code}"

    @property
    def visit_code(self) -> str:
        return f"{self.CODE_PREFIX}{self.number}"


class VisitReminder(models.Model):
    """That one staff member was reminded of one visit, for one reason: a row per (visit, kind,
    recipient), ever; the unique constraint is what makes it once, across reruns and workers.

    Append-only and outside the audited managers on purpose: a reminder is not clinical data that
    anyone corrects (nothing updates or deletes a row, and the row itself is the record of who was
    told what and when), and the daily run must write any number of them in a constant number of
    queries (bulk INSERT ... ON CONFLICT DO NOTHING), which audited_create per row could not. The
    e-mail it causes is an outbox message (edc/outbox.py) keyed by the reminder.
    """

    KINDS = {
        ReminderKind.WINDOW_OPENS: _("Window opens"),
        ReminderKind.DUE_TOMORROW: _("Due tomorrow"),
        ReminderKind.OVERDUE: _("Overdue"),
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    visit = models.ForeignKey(
        VisitInstance, on_delete=models.PROTECT, related_name="reminders", verbose_name=_("visit")
    )
    kind = models.CharField(
        _("reminder"), max_length=20, choices=[(k.value, label) for k, label in KINDS.items()]
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visit_reminders",
        verbose_name=_("recipient"),
    )
    # The site's calendar date on which the run found the reminder due.
    site_date = models.DateField(_("date at the site"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "kind", "recipient"], name="uniq_visit_reminder"
            )
        ]
        indexes = [models.Index(fields=["recipient", "visit"], name="reminder_recipient")]

    def __str__(self) -> str:
        return f"{self.visit} {self.kind} → {self.recipient}"


class ResponseAssessment(AuditedModel):
    """One response definition applied to one visit of a subject (followup.efficacy), with the
    evidence: recomputed from the CRFs in the transaction that saves a contributing form, so
    study-wide pages read responses in one query and the trail shows when a verdict changed."""

    class Result(models.TextChoices):
        MET = "met", _("Met")
        NOT_MET = "not_met", _("Not met")
        NOT_EVALUABLE = "not_evaluable", _("Not evaluable")

    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="responses", verbose_name=_("subject")
    )
    visit_code = models.CharField(_("visit"), max_length=32)
    # Days from Day 0 of the assessment the verdict reads (the disease score's date).
    study_day = models.IntegerField(_("study day"))
    definition = models.CharField(_("response definition"), max_length=40)
    result = models.CharField(_("result"), max_length=16, choices=Result)
    # The category or figure beside the verdict: EULAR "good", ESSDAI activity "low", a change.
    value = models.CharField(_("value"), max_length=40, blank=True)
    # [{"code", "met", "evidence"}] per criterion, as the rule returned them.
    criteria = models.JSONField(_("criteria and evidence"), default=list, blank=True)
    missing = models.JSONField(_("missing inputs"), default=list, blank=True)
    # What the rule was given (scores, doses, baseline), so a recalculation is auditable (§10).
    inputs = models.JSONField(_("inputs"), default=dict, blank=True)
    source = models.CharField(_("rule source"), max_length=300)

    class Meta:
        ordering = ["subject", "study_day", "definition"]
        verbose_name = _("response assessment")
        verbose_name_plural = _("response assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "visit_code", "definition"], name="uniq_response_assessment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code} {self.definition}: {self.result}"


# Models kept in a module of their own; imported here so Django sees them.
from followup.viral_load import ViralLoad  # noqa: E402, F401
