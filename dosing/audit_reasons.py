"""The audit reasons the dosing services write (see edc.audit_reasons)."""

from django.utils.translation import gettext_lazy as _

REASONS = [
    (r"Assigned at enrolment: (?P<why>.+)", _("Assigned at enrolment: %(why)s")),
    (r"Lymphodepletion recorded", _("Lymphodepletion recorded")),
    (
        r"Infusion date corrected to (?P<date>\S+): Day 0 moves with it",
        _("Infusion date corrected to %(date)s: Day 0 moves with it"),
    ),
    (r"CAR-T infusion on (?P<date>\S+) \(Day 0\)", _("CAR-T infusion on %(date)s (Day 0)")),
    (r"Signed: (?P<meaning>.+)", _("Signed: %(meaning)s")),
    (r"DLT window completed", _("DLT window completed")),
]
