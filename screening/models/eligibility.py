"""Eligibility: the investigator's confirmations and the recorded decisions."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from edc.audit import AuditedModel
from edc.clinical_dates import ClinicalDates
from edc.models import Subject


class EligibilityConfirmation(AuditedModel):
    """The investigator's answer to a criterion (or a judgement within one) data cannot decide.

    `key` is the criterion id, or `<criterion id>/judgement/<n>` for a judgement inside a rule.
    """

    subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        related_name="eligibility_confirmations",
        verbose_name=_("subject"),
    )
    key = models.CharField(_("item"), max_length=80)
    met = models.BooleanField(_("met"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("eligibility confirmation")
        verbose_name_plural = _("eligibility confirmations")
        constraints = [models.UniqueConstraint(fields=["subject", "key"], name="uniq_confirmation")]

    def __str__(self) -> str:
        return f"{self.subject} {self.key}: {'met' if self.met else 'not met'}"


class EligibilityDecision(ClinicalDates, AuditedModel):
    """An enrolment or screen-failure decision with the assessment it rested on.

    The snapshot and per-criterion results are stored as they were, with the rule and protocol
    versions, so the decision can be re-read exactly even after data or rules change.
    """

    class Outcome(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        SCREEN_FAILED = "screen_failed", _("Screen failed")

    subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        related_name="eligibility_decisions",
        verbose_name=_("subject"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    assessment_status = models.CharField(_("assessment"), max_length=20)
    failed_criteria = models.JSONField(_("failed criteria"), default=list, blank=True)
    results = models.JSONField(_("criteria results"), encoder=DjangoJSONEncoder)
    rule_version = models.TextField(_("rule version"))
    protocol_version = models.CharField(_("protocol version"), max_length=20)
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("eligibility decision")
        verbose_name_plural = _("eligibility decisions")
        ordering = ["subject", "decided_at"]

    def __str__(self) -> str:
        return f"{self.subject} {self.outcome} {self.decided_at:%Y-%m-%d}"
