"""Forms of the safety app."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from adverse_events.followup_records import Infection, PregnancyReport
from adverse_events.models import (
    RELATIONSHIP,
    AdverseEvent,
    EpisodeAssessment,
    EpisodeTreatment,
    NewMalignancy,
    SafetyContact,
    ToxicityEpisode,
)
from adverse_events.services import CRS_INPUTS, ICANS_INPUTS, ICE_ITEMS
from edc.forms import DateInput, DateTimeInput
from edc.input_rules import ClinicalModelForm, ReasonField, StrictIntegerField


class AdverseEventForm(ClinicalModelForm):
    class Meta:
        model = AdverseEvent
        fields = [
            "verbatim_term",
            "ctcae_term",
            "onset_date",
            "resolution_date",
            "grade",
            *AdverseEvent.SERIOUS_FIELDS,
            "site_aware_at",
            "relationship_cart",
            "relationship_lymphodepletion",
            "action_taken",
            "outcome",
            "aesi",
        ]
        widgets = {
            "onset_date": DateInput,
            "resolution_date": DateInput,
            "site_aware_at": DateTimeInput,
        }


class NewMalignancyForm(ClinicalModelForm):
    class Meta:
        model = NewMalignancy
        fields = [
            "malignancy_type",
            "type_detail",
            "diagnosis_date",
            "site_aware_at",
            "biopsy_done",
            "biopsy_result",
            "transgene_tested",
            "transgene_result",
            "grade",
            "relationship_cart",
            "relationship_lymphodepletion",
            "action_taken",
            "outcome",
            "notes",
        ]
        widgets = {"diagnosis_date": DateInput, "site_aware_at": DateTimeInput}


class EpisodeOpenForm(ClinicalModelForm):
    class Meta:
        model = ToxicityEpisode
        fields = ["kind", "onset_at"]
        widgets = {"onset_at": DateTimeInput}


class AssessmentForm(ClinicalModelForm):
    """The bedside observations of one assessment; only the episode kind's fields are shown."""

    class Meta:
        model = EpisodeAssessment
        fields = ["assessed_at", *CRS_INPUTS, *(f"ice_{i}" for i in ICE_ITEMS), *ICANS_INPUTS]
        widgets = {"assessed_at": DateTimeInput}

    def __init__(self, *args, kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        other = {*(f"ice_{i}" for i in ICE_ITEMS), *ICANS_INPUTS} if kind == "crs" else CRS_INPUTS
        for name in other:
            del self.fields[name]
        if kind == "crs":
            self.fields["temperature_c"].required = True


class OverrideForm(forms.Form):
    assessment = forms.UUIDField(widget=forms.HiddenInput)
    grade = forms.TypedChoiceField(
        label=_("Investigator's grade"), coerce=int, choices=[(g, g) for g in range(0, 6)]
    )
    reason = ReasonField(label=_("Why the grade differs"), help_text="")


class TreatmentForm(ClinicalModelForm):
    class Meta:
        model = EpisodeTreatment
        fields = ["agent", "detail", "given_at"]
        widgets = {"given_at": DateTimeInput}


class LabToxicityDecisionForm(forms.Form):
    """Confirm a proposed lab toxicity as an AE (with the AE's judgements) or dismiss it."""

    toxicity = forms.UUIDField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("confirm", _("Confirm as an adverse event")), ("dismiss", _("Dismiss"))],
    )
    relationship_cart = forms.ChoiceField(
        label=_("Relationship to the CAR-T product"), choices=RELATIONSHIP, required=False
    )
    relationship_lymphodepletion = forms.ChoiceField(
        label=_("Relationship to lymphodepletion"), choices=RELATIONSHIP, required=False
    )
    action_taken = forms.ChoiceField(
        label=_("Action taken"), choices=AdverseEvent.Action.choices, required=False
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=AdverseEvent.Outcome.choices, required=False
    )
    reason = ReasonField(label=_("Why dismissed"), required=False, help_text="")

    def clean(self):
        data = super().clean()
        if data.get("decision") == "confirm":
            for name in ("relationship_cart", "relationship_lymphodepletion", "action_taken",
                         "outcome"):  # fmt: skip
                if not data.get(name):
                    self.add_error(name, _("Required to confirm the adverse event."))
        return data


class SaeReportForm(forms.Form):
    adverse_event = forms.UUIDField(widget=forms.HiddenInput)
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    narrative = forms.CharField(label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 3}))


class SafetyContactForm(ClinicalModelForm):
    class Meta:
        model = SafetyContact
        fields = ["name", "email"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class SafetyContactDeactivateForm(forms.Form):
    contact = forms.UUIDField(widget=forms.HiddenInput)
    row_version = StrictIntegerField(widget=forms.HiddenInput)
    reason = ReasonField(label=_("Reason"))


class InfectionForm(ClinicalModelForm):
    class Meta:
        model = Infection
        fields = [
            "pathogen_class",
            "organism",
            "site",
            "ctcae_term",
            "grade",
            "onset_date",
            *Infection.TREATMENT_FIELDS,
            "outcome",
            "serious",
            "site_aware_at",
            "relationship_cart",
            "relationship_lymphodepletion",
        ]
        widgets = {"onset_date": DateInput, "site_aware_at": DateTimeInput}


class PregnancyReportForm(ClinicalModelForm):
    """The report when the site learns of it (outcome ongoing), and later its outcome, entered
    as a correction of the same report."""

    class Meta:
        model = PregnancyReport
        fields = [
            "who",
            "lmp_date",
            "conception_date",
            "site_aware_at",
            "reported_on",
            "outcome",
            "outcome_date",
            "congenital_anomaly",
        ]
        widgets = {
            "lmp_date": DateInput,
            "conception_date": DateInput,
            "site_aware_at": DateTimeInput,
            "reported_on": DateInput,
            "outcome_date": DateInput,
        }
