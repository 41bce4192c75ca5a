"""The follow-up schedule: one row per scheduled visit of a subject, created when Day 0 is
recorded."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from edc.audit import AuditedModel
from edc.clinical_dates import ClinicalDates, DateRule
from edc.domain.visits import VisitWindow
from edc.models import Subject
from followup.domain.schedule import VisitState


class VisitInstance(ClinicalDates, AuditedModel):
    """A visit of the protocol's schedule for one subject, with its target date and window at the
    subject's site. Upcoming, due and overdue are computed from today (followup.domain.schedule);
    what the site declares is stored in `state`."""

    class State(models.TextChoices):
        OPEN = VisitState.OPEN.value, _("Open")
        DONE = VisitState.DONE.value, _("Done")
        MISSED = VisitState.MISSED.value, _("Missed")
        NOT_APPLICABLE = VisitState.NOT_APPLICABLE.value, _("Not applicable")

    date_rules = {"done_on": DateRule.SINCE_DAY0}
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

    class Meta:
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
