"""What the dosing services derive beyond a form's own fields, for the form page after saving
(edc/derived.py): each lymphodepletion dose planned from the BSA, beside what was given."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dosing.models import LymphodepletionCourse, LymphodepletionDose
from edc.derived import DerivedValue, display


def _dose(dose: LymphodepletionDose) -> DerivedValue:
    details = []
    if dose.deviation_pct is not None:
        details.append(_("deviation %(pct)s %%") % {"pct": display(dose.deviation_pct)})
    if dose.within_tolerance is False:
        details.append(_("outside tolerance"))
    return DerivedValue(
        label=_("%(drug)s, day %(day)s: planned") % {"drug": dose.drug, "day": dose.study_day},
        value=f"{display(dose.planned_mg)} mg",
        detail=" · ".join(details),
        in_summary=dose.within_tolerance is False,
    )


def lymphodepletion(course: LymphodepletionCourse) -> list[DerivedValue]:
    """The planned dose of every drug and day (from the BSA and the protocol's mg/m²)."""
    return [_dose(dose) for dose in course.doses.order_by("study_day", "drug")]
