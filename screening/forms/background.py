"""Forms of the demographics and concomitant-medication CRFs."""

from edc.forms import DateInput
from edc.input_rules import ClinicalModelForm
from screening.models import ConcomitantMedication, Demographics


class DemographicsForm(ClinicalModelForm):
    class Meta:
        model = Demographics
        fields = ["ethnicity", "race", "ethnic_group"]


class ConcomitantMedicationForm(ClinicalModelForm):
    class Meta:
        model = ConcomitantMedication
        fields = [
            "drug_name", "atc_code", "start_date", "stop_date", "dose", "dose_unit", "route",
            "prednisone_equivalent_mg_day", "indication",
        ]  # fmt: skip
        widgets = {"start_date": DateInput, "stop_date": DateInput}
