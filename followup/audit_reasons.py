"""The audit reasons the follow-up services write (see edc.audit_reasons)."""

from django.utils.translation import gettext_lazy as _

REASONS = [
    (r"Visit done", _("Visit done")),
    (r"Recomputed from the saved forms", _("Recomputed from the saved forms")),
]
