"""The safety app's CRFs, registered with the core by CRF code."""

from django.urls import reverse

from adverse_events import infections, pregnancies, services
from adverse_events.forms import (
    AdverseEventForm,
    InfectionForm,
    NewMalignancyForm,
    PregnancyReportForm,
)
from adverse_events.malignancy import new_malignancy_saved, new_malignancy_saved_message
from adverse_events.models import AdverseEvent, Infection, NewMalignancy, PregnancyReport
from adverse_events.sae import sae_saved_message
from edc.casebook import CasebookPage, register_casebook_page
from edc.crfs import CrfSpec, register_crf
from edc.models import Subject


def _episodes_url(subject: Subject, _visit_code: str) -> str:
    """The subject's CRS and ICANS episodes: an assessment is entered into its episode."""
    url = reverse("adverse_events:safety", args=[subject.study.registry_id, subject.pk])
    return f"{url}#episodes"


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
    register_crf(
        CrfSpec(
            "infection",
            Infection,
            InfectionForm,
            derive=infections.infection_derive,
            on_save=infections.infection_saved,
            repeating=True,
        )
    )
    register_crf(
        CrfSpec(
            "pregnancy_report",
            PregnancyReport,
            PregnancyReportForm,
            derive=pregnancies.pregnancy_derive,
            repeating=True,
        )
    )
    register_crf(
        CrfSpec(
            "new_malignancy",
            NewMalignancy,
            NewMalignancyForm,
            on_save=new_malignancy_saved,
            repeating=True,
            saved_message=new_malignancy_saved_message,
        )
    )
    # CRS and ICANS are graded on episode pages, opened when a sign appears; no visit form.
    for code in ("crs_assessment", "icans_assessment"):
        register_casebook_page(code, CasebookPage(url=_episodes_url))
