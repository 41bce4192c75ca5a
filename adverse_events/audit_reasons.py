"""The audit reasons the safety services write (see edc.audit_reasons)."""

from django.utils.translation import gettext_lazy as _

REASONS = [
    (
        r"SAE notification sent to the safety contacts",
        _("SAE notification sent to the safety contacts"),
    ),
    (r"Initial SAE report", _("Initial SAE report")),
    (r"SAE follow-up report (?P<n>\d+)", _("SAE follow-up report %(n)s")),
    (r"Day 0 is now (?P<date>\S+)", _("Day 0 is now %(date)s")),
    (r"Assessment at (?P<at>.+)", _("Assessment at %(at)s")),
    (
        r"Grade overridden at the assessment of (?P<at>.+)",
        _("Grade overridden at the assessment of %(at)s"),
    ),
    (r"Episode resolved", _("Episode resolved")),
    (
        r"Its lab result was removed or re-dated before Day 0",
        _("Its lab result was removed or re-dated before Day 0"),
    ),
    (r"Lab result corrected", _("Lab result corrected")),
    (r"Confirmed as an adverse event", _("Confirmed as an adverse event")),
    (r"Opened from the infection form", _("Opened from the infection form")),
    (r"Infection form corrected", _("Infection form corrected")),
]
