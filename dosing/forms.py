"""Forms of the dosing CRFs and of the committee's escalation decision."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from dosing.models import DltAssessment, EscalationDecision, Infusion, LymphodepletionCourse
from edc.domain.protocol import DoseLevel
from edc.forms import DateInput
from edc.input_rules import ClinicalModelForm, StrictDecimalField
from edc.selectors import protocol_definition


def dose_field_name(drug: str, day: int) -> str:
    return f"{drug}__d{day}"


class LymphodepletionForm(ClinicalModelForm):
    """Height and weight for the BSA, then the administered dose of each drug on each day."""

    class Meta:
        model = LymphodepletionCourse
        fields = [
            "measured_on",
            "height_cm",
            "weight_kg",
            "first_day_on",
            "active_infection",
            "pretreatment_override_reason",
        ]
        widgets = {"measured_on": DateInput, "first_day_on": DateInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regimen = protocol_definition(self.instance.subject.study).lymphodepletion
        saved = (
            {(d.drug, d.study_day): d for d in self.instance.doses.all()}
            if self.instance.pk
            else {}
        )
        for agent in regimen.agents:
            for day in agent.days:
                name = dose_field_name(agent.drug, day)
                dose = saved.get((agent.drug, day))
                self.fields[name] = StrictDecimalField(
                    label=_("%(drug)s, day %(day)s: administered (mg)")
                    % {"drug": agent.drug, "day": day},
                    required=False,
                    min_value=0,
                    max_digits=8,
                    decimal_places=1,
                    help_text=(
                        _("planned %(mg)s mg") % {"mg": dose.planned_mg}
                        if dose
                        else _("%(dose)s %(unit)s") % {"dose": agent.dose, "unit": agent.unit}
                    ),
                )
                if dose is not None:
                    self.initial[name] = dose.administered_mg

    def children(self) -> dict[tuple[str, int], Any]:
        """(drug, study day) -> administered mg (None: not given yet)."""
        regimen = protocol_definition(self.instance.subject.study).lymphodepletion
        return {
            (agent.drug, day): self.cleaned_data.get(dose_field_name(agent.drug, day))
            for agent in regimen.agents
            for day in agent.days
        }


class InfusionForm(ClinicalModelForm):
    class Meta:
        model = Infusion
        fields = [
            "product_lot",
            "infused_on",
            "started_at",
            "ended_at",
            "weight_kg",
            "viable_cells_mantissa",
            "viable_cells_exponent",
            "car_positive_pct",
            "premedication",
            "temperature_before_c",
            "temperature_after_c",
            "systolic_before_mmhg",
            "systolic_after_mmhg",
            "infusion_reaction",
            "infusion_reaction_description",
            "deviation_reason",
            "active_infection",
            "pretreatment_override_reason",
        ]
        widgets = {
            "infused_on": DateInput,
            "started_at": forms.TimeInput(attrs={"type": "time"}),
            "ended_at": forms.TimeInput(attrs={"type": "time"}),
        }


class DltAssessmentForm(ClinicalModelForm):
    class Meta:
        model = DltAssessment
        fields = [
            "assessed_on",
            "evaluable",
            "not_evaluable_reason",
            "had_dlt",
            "dlt_description",
            "dlt_candidate_refs",
        ]
        widgets = {"assessed_on": DateInput}

    dlt_candidate_refs = forms.MultipleChoiceField(
        label=_("Events that caused it"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dlt_candidate_refs"].choices = [
            (str(c.pk), str(c)) for c in self.instance.subject.dlt_candidates.all()
        ]


class EscalationDecisionForm(ClinicalModelForm):
    """The committee's decision, signed by re-entering the recorder's password (21 CFR 11.200)."""

    password = forms.CharField(
        label=_("Your password (electronic signature)"), widget=forms.PasswordInput
    )

    class Meta:
        model = EscalationDecision
        fields = ["decision", "next_dose_level", "rationale", "meeting_on"]
        widgets = {"meeting_on": DateInput, "rationale": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, dose_levels: Sequence[DoseLevel], **kwargs: Any) -> None:
        """`dose_levels`: the protocol's levels, the only answers "next dose level" takes."""
        super().__init__(*args, **kwargs)
        self.fields["next_dose_level"] = forms.TypedChoiceField(
            label=self.fields["next_dose_level"].label,
            choices=[
                *BLANK_CHOICE_DASH,
                *((d.level, f"{d.level} · {d.label}") for d in dose_levels),
            ],
            coerce=int,
            empty_value=None,
            required=False,
        )
