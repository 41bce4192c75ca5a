"""Forms of the history CRFs."""

from edc.forms import DateInput
from edc.input_rules import ClinicalModelForm
from screening.models import MedicalHistory, PriorTherapy, TransfusionGrowthFactor


class MedicalHistoryForm(ClinicalModelForm):
    class Meta:
        model = MedicalHistory
        fields = [
            "diagnosis_date",
            "other_trial_treatment",
            "other_trial_last_dose_on",
            "relevant_history",
        ]
        widgets = {"diagnosis_date": DateInput, "other_trial_last_dose_on": DateInput}


class TransfusionGrowthFactorForm(ClinicalModelForm):
    class Meta:
        model = TransfusionGrowthFactor
        fields = ["transfused", "last_transfusion_on", "growth_factor", "last_growth_factor_on"]
        widgets = {"last_transfusion_on": DateInput, "last_growth_factor_on": DateInput}


class PriorTherapyForm(ClinicalModelForm):
    class Meta:
        model = PriorTherapy
        fields = [
            "kind", "drug_name", "dose", "dose_unit", "start_date", "stop_date", "outcome"
        ]  # fmt: skip
        widgets = {"start_date": DateInput, "stop_date": DateInput}
