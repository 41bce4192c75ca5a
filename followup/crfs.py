"""The follow-up app's CRFs, registered with the core by CRF code (the codes of protocols/)."""

from edc.crfs import CrfSpec, register_crf
from followup import derive
from followup.forms import (
    BCellCountForm,
    CarTKineticsForm,
    EndOfStudyForm,
    ImmunoglobulinsForm,
    ViralLoadForm,
)
from followup.models import BCellCount, CarTKinetics, EndOfStudy, Immunoglobulins, ViralLoad

FOLLOWUP_CRFS = (
    CrfSpec("b_cell_count", BCellCount, BCellCountForm),
    CrfSpec("immunoglobulins", Immunoglobulins, ImmunoglobulinsForm, derive=derive.immunoglobulins),
    CrfSpec("car_t_kinetics", CarTKinetics, CarTKineticsForm, repeating=True),
    CrfSpec("end_of_study", EndOfStudy, EndOfStudyForm),
    CrfSpec("viral_load", ViralLoad, ViralLoadForm, repeating=True),
)


def register() -> None:
    for spec in FOLLOWUP_CRFS:
        register_crf(spec)
