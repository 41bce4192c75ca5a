"""Forms of the bedside and imaging CRFs."""

from django import forms

from edc.forms import DateInput
from screening.models import Echocardiography, PulmonaryFunction, VitalSigns


class VitalSignsForm(forms.ModelForm):
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


class EchocardiographyForm(forms.ModelForm):
    class Meta:
        model = Echocardiography
        fields = ["performed_on", "lvef_pct"]
        widgets = {"performed_on": DateInput}


class PulmonaryFunctionForm(forms.ModelForm):
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
