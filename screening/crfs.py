"""The screening app's CRFs, registered with the core by CRF code (the codes of protocols/)."""

from edc.crfs import CrfSpec, register_crf
from screening import derive
from screening.forms.clinical import EchocardiographyForm, PulmonaryFunctionForm, VitalSignsForm
from screening.models import Echocardiography, PulmonaryFunction, VitalSigns

SCREENING_CRFS = (
    CrfSpec("vital_signs", VitalSigns, VitalSignsForm, derive=derive.vital_signs),
    CrfSpec("echocardiography", Echocardiography, EchocardiographyForm),
    CrfSpec("pulmonary_function", PulmonaryFunction, PulmonaryFunctionForm),
)


def register() -> None:
    for spec in SCREENING_CRFS:
        register_crf(spec)
