"""Forms of the history CRFs."""

from django import forms

from edc.forms import DateInput
from screening.models import MedicalHistory, TransfusionGrowthFactor


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
