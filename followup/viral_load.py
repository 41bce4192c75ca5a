"""Viral-load monitoring after the infusion (CMV, EBV, HBV DNA), and the subject condition that
makes the form expected: HBV-DNA monitoring for subjects HBsAg- or HBcAb-positive at screening
(followup/domain/viral_monitoring.py), read from the screening infection screen.

The form is offered only to subjects who meet the condition (`crfs[].expected_if:
[hbv_dna_monitoring]` in the protocol files); their CMV and EBV loads are recorded on it too.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from edc.models import CrfModel, Subject
from edc.subject_conditions import ConditionResult
from followup.domain.viral_monitoring import hbv_dna_monitoring
from followup.models import NOT_NEGATIVE, lloq_errors
from screening.selectors import infection_screen_at_screening

HBV_DNA_MONITORING = "hbv_dna_monitoring"
MARKER_LABELS = {"hbsag": gettext_lazy("HBsAg"), "hbcab": gettext_lazy("HBcAb")}


class ViralLoad(CrfModel):
    """One viral-load result (repeating: one row per analyte and sample)."""

    class Analyte(models.TextChoices):
        HBV_DNA = "hbv_dna", gettext_lazy("HBV DNA")
        CMV_DNA = "cmv_dna", gettext_lazy("CMV DNA")
        EBV_DNA = "ebv_dna", gettext_lazy("EBV DNA")

    class Unit(models.TextChoices):
        IU_PER_ML = "IU/mL", gettext_lazy("IU/mL")
        COPIES_PER_ML = "copies/mL", gettext_lazy("copies/mL")

    analyte = models.CharField(gettext_lazy("analyte"), max_length=10, choices=Analyte.choices)
    sampled_on = models.DateField(gettext_lazy("date of sample"))
    result = models.DecimalField(
        gettext_lazy("result"),
        max_digits=12,
        decimal_places=1,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    unit = models.CharField(gettext_lazy("unit"), max_length=10, choices=Unit.choices)
    below_lloq = models.BooleanField(
        gettext_lazy("below the LLOQ (not quantifiable)"), default=False
    )

    class Meta:
        ordering = ["subject", "sampled_on", "analyte"]
        verbose_name = gettext_lazy("viral load")
        verbose_name_plural = gettext_lazy("viral loads")

    def __str__(self) -> str:
        return f"{self.get_analyte_display()} {self.sampled_on}"

    def clean(self) -> None:
        errors = lloq_errors(self, (("result", "below_lloq"),))
        if errors:
            raise ValidationError(errors)


def hbv_dna_monitoring_condition(subject: Subject, *, lang: str = "en") -> ConditionResult:
    """The condition as the casebook states it, from the subject's screening infection screen."""
    screen = infection_screen_at_screening(subject)
    if screen is None:
        return ConditionResult(met=False)
    decision = hbv_dna_monitoring(hbsag=screen.hbsag, hbcab=screen.hbcab)
    if not decision.required:
        return ConditionResult(met=False)
    with translation.override(lang):
        markers = _(" and ").join(str(MARKER_LABELS[m]) for m in decision.because)
        return ConditionResult(
            met=True,
            explanation=_("HBV-DNA monitoring required: %(markers)s positive at screening")
            % {"markers": markers},
        )
