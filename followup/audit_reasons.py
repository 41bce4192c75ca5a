"""The audit reasons the follow-up services write (see edc.audit_reasons)."""

from django.utils.translation import gettext_lazy as _

REASONS = [
    (r"Visit done", _("Visit done")),
    (
        r"Visit done: the (?P<form>\S+) form records (?P<date>\S+)",
        _("Visit done: the %(form)s form records %(date)s"),
    ),
    (r"Recomputed from the saved forms", _("Recomputed from the saved forms")),
]
