"""What the screening services derive beyond a form's own fields, for the form page after saving
(edc/derived.py): a lab panel's SI values, flags and multiples of the ULN, and the disease-activity
band of DAS28 and CDAI."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from edc.derived import DerivedValue, display
from edc.domain.calculators import cdai_category, das28_category
from screening.models import JointCounts, LabPanel
from screening.models.labs import ANALYTE_LABELS, LabResult

ACTIVITY_LABELS = {
    "remission": gettext_lazy("remission"),
    "low": gettext_lazy("low activity"),
    "moderate": gettext_lazy("moderate activity"),
    "high": gettext_lazy("high activity"),
}


def _times_uln(result: LabResult) -> str:
    """How many times the ULN a high result is (liver tests, creatinine and bilirubin are judged
    so); a result within its range needs no multiple."""
    if not result.uln_si or result.flag != "high":
        return ""
    ratio = (result.value_si / result.uln_si).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return _("%(ratio)s × ULN") % {"ratio": display(ratio)}


def _lab_result(result: LabResult) -> DerivedValue:
    flag = result.get_flag_display() if result.flag else _("no reference range")
    details = [str(flag), _times_uln(result)]
    return DerivedValue(
        label=_("%(analyte)s (SI)") % {"analyte": ANALYTE_LABELS[result.analyte]},
        value=f"{display(result.value_si)} {result.si_unit}".strip(),
        detail=" · ".join(d for d in details if d),
        # The casebook summary names only what is out of range.
        in_summary=result.flag in ("low", "high"),
    )


def lab_panel(panel: LabPanel) -> list[DerivedValue]:
    """Each result in its SI unit, with its flag against the site lab's range and × ULN."""
    order = list(ANALYTE_LABELS)
    results = sorted(panel.results.all(), key=lambda r: order.index(r.analyte))
    return [_lab_result(result) for result in results]


def joint_counts(row: JointCounts) -> list[DerivedValue]:
    """The activity band of each score that could be calculated."""
    bands = [
        (_("DAS28-ESR activity"), row.das28_esr, das28_category),
        (_("DAS28-CRP activity"), row.das28_crp, das28_category),
        (_("CDAI activity"), row.cdai, cdai_category),
    ]
    return [
        DerivedValue(label, str(ACTIVITY_LABELS[category(score)]))
        for label, score, category in bands
        if score is not None
    ]
