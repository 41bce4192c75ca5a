"""Forms of the laboratory CRFs. The lab panel shows one row per analyte: value, unit and the
site lab's range (prefilled from the site's reference ranges)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Field, Layout, Row
from django import forms
from django.utils.html import escape
from django.utils.translation import gettext as _

from edc.domain.units import convert, units_for
from edc.domain.validation import ArgumentError
from edc.forms import DateInput, DateTimeInput
from edc.input_rules import ClinicalModelForm, StrictDecimalField
from screening.domain.lab_limits import PANEL_ANALYTES, check_possible
from screening.models.labs import (
    ANALYTE_LABELS,
    InfectionScreen,
    LabPanel,
    LabReferenceRange,
    PregnancyTest,
)

PARTS = ("value", "unit", "lln", "uln")


def _name(analyte: str, part: str) -> str:
    return f"{analyte}__{part}"


class LabPanelForm(ClinicalModelForm):
    class Meta:
        model = LabPanel
        fields = ["collected_on", "laboratory"]
        widgets = {"collected_on": DateInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ranges = {
            r.analyte: r
            for r in LabReferenceRange.objects.filter(study_site=self.instance.subject.study_site)
        }
        saved = {r.analyte: r for r in self.instance.results.all()} if self.instance.pk else {}
        for analyte in PANEL_ANALYTES:
            source = saved.get(analyte) or ranges.get(analyte)
            units = units_for(analyte)
            decimal = {"required": False, "max_digits": 12, "decimal_places": 4, "min_value": 0}
            self.fields[_name(analyte, "value")] = StrictDecimalField(
                label=ANALYTE_LABELS[analyte], **decimal
            )
            self.fields[_name(analyte, "unit")] = forms.ChoiceField(
                label=_("unit"), choices=[(u, u or "—") for u in units], required=False
            )
            self.fields[_name(analyte, "lln")] = StrictDecimalField(label=_("LLN"), **decimal)
            self.fields[_name(analyte, "uln")] = StrictDecimalField(label=_("ULN"), **decimal)
            if source is not None:
                for part in PARTS:
                    if part != "value" or analyte in saved:
                        self.initial[_name(analyte, part)] = getattr(source, part)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        hint = _("Leave empty what was not measured.")
        self.helper.layout = Layout(
            Row(Column("collected_on"), Column("laboratory")),
            HTML(f"<p class='text-muted small'>{escape(hint)}</p>"),
            *[
                Row(*[Column(Field(_name(a, p)), css_class="col-md-3") for p in PARTS])
                for a in PANEL_ANALYTES
            ],
            Div(),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for analyte in PANEL_ANALYTES:
            value = data.get(_name(analyte, "value"))
            unit = data.get(_name(analyte, "unit")) or ""
            lln, uln = data.get(_name(analyte, "lln")), data.get(_name(analyte, "uln"))
            if lln is not None and uln is not None and lln >= uln:
                self.add_error(_name(analyte, "lln"), _("The LLN must be below the ULN."))
            if value is None:
                continue
            try:
                check_possible(analyte=analyte, value_si=to_si(analyte, value, unit))
            except ArgumentError:
                self.add_error(
                    _name(analyte, "value"),
                    _("%(value)s %(unit)s is not a possible value: check the number and the unit.")
                    % {"value": value, "unit": unit},
                )
        return data

    def children(self) -> dict[str, dict[str, Any]]:
        """The results to save with the panel: analyte -> {value, unit, lln, uln}; an analyte
        left empty is absent (and a saved result of it is removed)."""
        return {
            a: {p: self.cleaned_data.get(_name(a, p)) for p in PARTS}
            for a in PANEL_ANALYTES
            if self.cleaned_data.get(_name(a, "value")) is not None
        }


def to_si(analyte: str, value: Decimal, unit: str) -> Decimal:
    canonical = units_for(analyte)[0]
    converted = convert(value, analyte=analyte, from_unit=unit, to_unit=canonical)
    return Decimal(str(converted))


class InfectionScreenForm(ClinicalModelForm):
    class Meta:
        model = InfectionScreen
        fields = [
            "tested_on",
            "hbsag",
            "hbcab",
            "hbv_dna_detectable",
            "hcv_ab",
            "hcv_rna_detectable",
            "hiv_ab",
            "syphilis",
            "tb_igra",
            "chest_imaging",
            "chest_imaging_on",
        ]
        widgets = {"tested_on": DateInput, "chest_imaging_on": DateInput}


class PregnancyTestForm(ClinicalModelForm):
    class Meta:
        model = PregnancyTest
        fields = ["childbearing_potential", "tested_at", "result", "lactating"]
        widgets = {"tested_at": DateTimeInput}
