"""The safety app's CRFs, registered with the core by CRF code."""

from adverse_events import services
from adverse_events.forms import AdverseEventForm
from adverse_events.models import AdverseEvent
from adverse_events.sae import sae_saved_message
from edc.crfs import CrfSpec, register_crf


def register() -> None:
    register_crf(
        CrfSpec(
            "adverse_event",
            AdverseEvent,
            AdverseEventForm,
            derive=services.adverse_event_derive,
            on_save=services.adverse_event_saved,
            repeating=True,
            saved_message=sae_saved_message,
        )
    )
