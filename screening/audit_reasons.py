"""The audit reasons the screening services write (see edc.audit_reasons)."""

from django.utils.translation import gettext_lazy as _

REASONS = [
    (r"Eligible \((?P<rule>[^)]*)\)", _("Eligible (%(rule)s)")),
    (r"Screen failure: (?P<parts>.+)", _("Screen failure: %(parts)s")),
    (r"criterion (?P<label>\S+) not met", _("criterion %(label)s not met")),
]
