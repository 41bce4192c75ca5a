"""The dosing app's CRFs, registered with the core by CRF code."""

from dosing import derived_values, services
from dosing.forms import DltAssessmentForm, InfusionForm, LymphodepletionForm
from dosing.models import DltAssessment, Infusion, LymphodepletionCourse
from edc.crfs import CrfSpec, register_crf

DOSING_CRFS = (
    CrfSpec(
        "lymphodepletion",
        LymphodepletionCourse,
        LymphodepletionForm,
        derive=services.lymphodepletion_derive,
        save_children=services.lymphodepletion_doses_save,
        on_create=services.lymphodepletion_started,
        derived_values=derived_values.lymphodepletion,
    ),
    CrfSpec(
        "infusion",
        Infusion,
        InfusionForm,
        derive=services.infusion_derive,
        on_create=services.infusion_recorded,
        on_save=services.infusion_date_follow,
    ),
    CrfSpec("dlt_assessment", DltAssessment, DltAssessmentForm),
)


def register() -> None:
    for spec in DOSING_CRFS:
        register_crf(spec)
