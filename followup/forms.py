"""Forms of the follow-up CRFs."""

from edc.forms import DateInput, DateTimeInput
from edc.input_rules import ClinicalModelForm
from followup.models import BCellCount, CarTKinetics, EndOfStudy, Immunoglobulins


class BCellCountForm(ClinicalModelForm):
    class Meta:
        model = BCellCount
        fields = ["sampled_at", "cd19_cells_per_ul", "cd19_below_lloq"]
        widgets = {"sampled_at": DateTimeInput}


class ImmunoglobulinsForm(ClinicalModelForm):
    class Meta:
        model = Immunoglobulins
        fields = ["sampled_on", "igg_g_per_l", "iga_g_per_l", "igm_g_per_l"]
        widgets = {"sampled_on": DateInput}


class CarTKineticsForm(ClinicalModelForm):
    class Meta:
        model = CarTKinetics
        fields = [
            "time_point",
            "sampled_at",
            "transgene_copies_per_ug_dna",
            "transgene_below_lloq",
            "car_cells_per_ul",
            "car_cells_below_lloq",
        ]
        widgets = {"sampled_at": DateTimeInput}


class EndOfStudyForm(ClinicalModelForm):
    class Meta:
        model = EndOfStudy
        fields = ["ending", "end_date", "withdrawal_reason", "death_date", "death_cause"]
        widgets = {"end_date": DateInput, "death_date": DateInput}
