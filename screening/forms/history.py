"""Forms of the history CRFs."""

from django import forms

from edc.forms import DateInput
from screening.models import MedicalHistory, PriorTherapy, TransfusionGrowthFactor


class MedicalHistoryForm(forms.ModelForm):
    class Meta:
        model = MedicalHistory
        fields = [
            "diagnosis_date",
            "other_trial_treatment",
            "other_trial_last_dose_on",
            "relevant_history",
        ]
        widgets = {"diagnosis_date": DateInput, "other_trial_last_dose_on": DateInput}


class TransfusionGrowthFactorForm(forms.ModelForm):
    class Meta:
        model = TransfusionGrowthFactor
        fields = ["transfused", "last_transfusion_on", "growth_factor", "last_growth_factor_on"]
        widgets = {"last_transfusion_on": DateInput, "last_growth_factor_on": DateInput}


class PriorTherapyForm(forms.ModelForm):
    class Meta:
        model = PriorTherapy
        fields = [
            "kind", "drug_name", "dose", "dose_unit", "start_date", "stop_date", "outcome"
        ]  # fmt: skip
        widgets = {"start_date": DateInput, "stop_date": DateInput}
