"""Forms of the disease-activity CRFs: items only; the totals are derived when saved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from edc.domain.calculators import (
    BILAG2004_SYSTEMS,
    ESSDAI_DOMAINS,
    MRSS_SITES,
    SLEDAI2K_WEIGHTS,
)
from edc.forms import DateInput
from edc.input_rules import ClinicalModelForm
from screening.domain.bvas import CREATININE_BANDS, NEW_WORSE, PERSISTENT, bvas_items
from screening.models import (
    AncaSerology,
    Bilag2004,
    Bvas,
    Essdai,
    JointCounts,
    LupusSerology,
    Mrss,
    Sledai2k,
)

BVAS_COLUMNS = (PERSISTENT, NEW_WORSE)
BVAS_COLUMN_LABELS = {PERSISTENT: _("persistent"), NEW_WORSE: _("new or worse")}
BVAS_SYSTEM_LABELS = {
    "general": _("General"),
    "cutaneous": _("Cutaneous"),
    "mucous_membranes_eyes": _("Mucous membranes/eyes"),
    "ent": _("ENT"),
    "chest": _("Chest"),
    "cardiovascular": _("Cardiovascular"),
    "abdominal": _("Abdominal"),
    "renal": _("Renal"),
    "nervous_system": _("Nervous system"),
}


class Sledai2kForm(ClinicalModelForm):
    class Meta:
        model = Sledai2k
        fields = ["assessed_on", *SLEDAI2K_WEIGHTS, "physician_global_0_3"]
        widgets = {"assessed_on": DateInput}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The weight printed next to each descriptor, as on the paper form.
        for code, weight in SLEDAI2K_WEIGHTS.items():
            self.fields[code].label = f"{self.fields[code].label} ({weight})"


class Bilag2004Form(ClinicalModelForm):
    class Meta:
        model = Bilag2004
        fields = ["assessed_on", *BILAG2004_SYSTEMS]
        widgets = {"assessed_on": DateInput}


class LupusSerologyForm(ClinicalModelForm):
    class Meta:
        model = LupusSerology
        fields = [
            "tested_on",
            "ana_titre_reciprocal",
            "anti_dsdna",
            "anti_dsdna_iu_ml",
            "anti_sm",
            "c3_g_l",
            "c4_g_l",
        ]
        widgets = {"tested_on": DateInput}


class MrssForm(ClinicalModelForm):
    class Meta:
        model = Mrss
        fields = ["assessed_on", *MRSS_SITES]
        widgets = {"assessed_on": DateInput}


class EssdaiForm(ClinicalModelForm):
    class Meta:
        model = Essdai
        fields = ["assessed_on", *(domain.name for domain in ESSDAI_DOMAINS)]
        widgets = {"assessed_on": DateInput}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for domain in ESSDAI_DOMAINS:
            self.fields[domain.name].label = f"{self.fields[domain.name].label} (x{domain.weight})"


class JointCountsForm(ClinicalModelForm):
    class Meta:
        model = JointCounts
        fields = [
            "assessed_on",
            "tjc68",
            "sjc66",
            "tjc28",
            "sjc28",
            "patient_global_0_100",
            "patient_global_0_10",
            "evaluator_global_0_10",
            "esr_mm_h",
            "crp_mg_l",
            "acr_functional_class",
        ]
        widgets = {"assessed_on": DateInput}


class BvasForm(ClinicalModelForm):
    """One choice per BVAS v3 item (not present, persistent, new/worse), grouped by system."""

    class Meta:
        model = Bvas
        fields = ["assessed_on", "items", "creatinine_band", "creatinine_band_status"]
        widgets = {"assessed_on": DateInput}

    items = forms.JSONField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        saved = self.instance.items or {}
        band_fields = [self.fields.pop(n) for n in ("creatinine_band", "creatinine_band_status")]
        for item in bvas_items().values():
            if item.code in CREATININE_BANDS:
                if item.code == CREATININE_BANDS[0]:  # the bands' place on the form: one choice
                    self.fields["creatinine_band"], self.fields["creatinine_band_status"] = (
                        band_fields
                    )
                continue
            choices = [("", _("not present"))]
            choices += [(c, BVAS_COLUMN_LABELS[c]) for c in BVAS_COLUMNS if getattr(item, c)]
            self.fields[f"bvas__{item.code}"] = forms.ChoiceField(
                label=f"{BVAS_SYSTEM_LABELS[item.system]}: {item.label}",
                choices=choices,
                required=False,
                initial=saved.get(item.code, ""),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["items"] = {
            code: data.pop(f"bvas__{code}") for code in bvas_items() if data.get(f"bvas__{code}")
        }
        return data


class AncaSerologyForm(ClinicalModelForm):
    class Meta:
        model = AncaSerology
        fields = ["tested_on", "mpo_anca", "mpo_anca_iu_ml", "pr3_anca", "pr3_anca_iu_ml"]
        widgets = {"tested_on": DateInput}
