"""Forms of the bedside and imaging CRFs."""

from edc.forms import DateInput
from edc.input_rules import ClinicalModelForm
from screening.models import Echocardiography, PulmonaryFunction, VitalSigns


class VitalSignsForm(ClinicalModelForm):
    class Meta:
        model = VitalSigns
        fields = [
            "measured_on",
            "height_cm",
            "weight_kg",
            "spo2_room_air_pct",
            "systolic_bp_mmhg",
            "diastolic_bp_mmhg",
            "heart_rate_bpm",
            "temperature_c",
        ]
        widgets = {"measured_on": DateInput}


class EchocardiographyForm(ClinicalModelForm):
    class Meta:
        model = Echocardiography
        fields = ["performed_on", "lvef_pct"]
        widgets = {"performed_on": DateInput}


class PulmonaryFunctionForm(ClinicalModelForm):
    class Meta:
        model = PulmonaryFunction
        fields = [
            "performed_on",
            "fvc_pct_predicted",
            "dlco_pct_predicted",
            "hrct_performed_on",
            "hrct_ground_glass",
        ]
        widgets = {"performed_on": DateInput, "hrct_performed_on": DateInput}
