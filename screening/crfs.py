"""The screening app's CRFs, registered with the core by CRF code (the codes of protocols/)."""

import uuid
from collections.abc import Iterable

from django.urls import reverse

from edc.casebook import CasebookPage, register_casebook_page
from edc.crfs import CrfSpec, register_crf
from edc.domain.protocol import ProtocolDefinition
from edc.models import Subject
from edc.sdv import SdvRecords, register_sdv_records
from screening import derive, derive_instruments, derived_values
from screening.forms.background import ConcomitantMedicationForm, DemographicsForm
from screening.forms.clinical import EchocardiographyForm, PulmonaryFunctionForm, VitalSignsForm
from screening.forms.history import (
    MedicalHistoryForm,
    PriorTherapyForm,
    TransfusionGrowthFactorForm,
)
from screening.forms.instruments import (
    AncaSerologyForm,
    Bilag2004Form,
    BvasForm,
    EssdaiForm,
    JointCountsForm,
    LupusSerologyForm,
    MrssForm,
    Sledai2kForm,
)
from screening.forms.labs import InfectionScreenForm, LabPanelForm, PregnancyTestForm
from screening.models import (
    AncaSerology,
    Bilag2004,
    Bvas,
    ConcomitantMedication,
    Demographics,
    Echocardiography,
    EligibilityDecision,
    Essdai,
    InfectionScreen,
    JointCounts,
    LabPanel,
    LupusSerology,
    MedicalHistory,
    Mrss,
    PregnancyTest,
    PriorTherapy,
    PulmonaryFunction,
    Sledai2k,
    TransfusionGrowthFactor,
    VitalSigns,
)
from screening.services.labs import lab_results_save

SCREENING_CRFS = (
    CrfSpec("demographics", Demographics, DemographicsForm, derive=derive.demographics),
    CrfSpec(
        "concomitant_medication",
        ConcomitantMedication,
        ConcomitantMedicationForm,
        derive=derive.concomitant_medication,
        repeating=True,
    ),
    CrfSpec("vital_signs", VitalSigns, VitalSignsForm, derive=derive.vital_signs),
    CrfSpec("echocardiography", Echocardiography, EchocardiographyForm),
    CrfSpec("pulmonary_function", PulmonaryFunction, PulmonaryFunctionForm),
    CrfSpec(
        "lab_panel",
        LabPanel,
        LabPanelForm,
        save_children=lab_results_save,
        derived_values=derived_values.lab_panel,
    ),
    CrfSpec("infection_screen", InfectionScreen, InfectionScreenForm),
    CrfSpec("pregnancy_test", PregnancyTest, PregnancyTestForm),
    CrfSpec("medical_history", MedicalHistory, MedicalHistoryForm),
    CrfSpec("prior_therapy", PriorTherapy, PriorTherapyForm, repeating=True),
    CrfSpec("transfusion_growth_factor", TransfusionGrowthFactor, TransfusionGrowthFactorForm),
    CrfSpec("sledai2k", Sledai2k, Sledai2kForm, derive=derive_instruments.sledai2k),
    CrfSpec("bilag2004", Bilag2004, Bilag2004Form, derive=derive_instruments.bilag2004),
    CrfSpec("lupus_serology", LupusSerology, LupusSerologyForm),
    CrfSpec("mrss", Mrss, MrssForm, derive=derive_instruments.mrss),
    CrfSpec("essdai", Essdai, EssdaiForm, derive=derive_instruments.essdai),
    CrfSpec(
        "joint_counts",
        JointCounts,
        JointCountsForm,
        derive=derive_instruments.joint_counts,
        derived_values=derived_values.joint_counts,
    ),
    CrfSpec("bvas", Bvas, BvasForm, derive=derive_instruments.bvas),
    CrfSpec("anca_serology", AncaSerology, AncaSerologyForm),
)


def _eligibility_url(subject: Subject, _visit_code: str) -> str:
    return reverse("screening:eligibility", args=[subject.study.registry_id, subject.pk])


def _eligibility_decided(subject: Subject) -> bool:
    """The eligibility form is done once the subject is enrolled or screen-failed."""
    return subject.eligibility_decisions.exists()


def _eligibility_records(definition: ProtocolDefinition, subject_ids: Iterable[uuid.UUID]):
    """The eligibility decisions, at the visit whose forms list the eligibility form."""
    visit = next(
        (v.code for v in definition.visits if "eligibility" in definition.scheduled_crfs(v)), ""
    )
    return [
        (pk, subject_id, visit, version)
        for pk, subject_id, version in EligibilityDecision.objects.filter(
            subject_id__in=subject_ids
        ).values_list("pk", "subject_id", "row_version")
    ]


def register() -> None:
    for spec in SCREENING_CRFS:
        register_crf(spec)
    # The protocol's eligibility form is the eligibility page: criteria, judgements, decision.
    register_casebook_page(
        "eligibility", CasebookPage(url=_eligibility_url, done=_eligibility_decided)
    )
    # The monitor verifies the decision (its criteria and evidence) on that page.
    register_sdv_records(
        "eligibility",
        SdvRecords(
            model=EligibilityDecision,
            rows=_eligibility_records,
            page=lambda subject: _eligibility_url(subject, ""),
        ),
    )
