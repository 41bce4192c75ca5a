"""Forms of the follow-up CRFs, of the schedule (a visit done or missed, an unscheduled visit)
and the site calendar's filters."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from edc.forms import DateInput, DateTimeInput
from edc.input_rules import ClinicalModelForm, StrictIntegerField
from edc.models import Stratum, StudySite
from followup.models import (
    BCellCount,
    CarTKinetics,
    EndOfStudy,
    Immunoglobulins,
    UnscheduledVisit,
    VisitInstance,
)
from followup.viral_load import ViralLoad


class ViralLoadForm(ClinicalModelForm):
    class Meta:
        model = ViralLoad
        fields = ["analyte", "sampled_on", "result", "unit", "below_lloq"]
        widgets = {"sampled_on": DateInput}


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


class SiteCalendarForm(forms.Form):
    """The calendar's filters (a GET form): the site (the first one the user has when none is
    chosen), and optionally a stratum, a visit, a status and the first week shown."""

    site = forms.ModelChoiceField(
        queryset=StudySite.objects.none(), required=False, empty_label=None, label=_("Site")
    )
    stratum = forms.ModelChoiceField(
        queryset=Stratum.objects.none(), required=False, label=_("Stratum")
    )
    visit = forms.ChoiceField(required=False, label=_("Visit"))
    status = forms.ChoiceField(required=False, label=_("Status"))
    start = forms.DateField(required=False, widget=DateInput, label=_("From the week of"))

    def __init__(
        self,
        *args,
        study_sites: QuerySet[StudySite],
        strata: QuerySet[Stratum],
        visits: dict[str, str],
        statuses: dict[str, str],
        with_start: bool,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = study_sites
        self.fields["stratum"].queryset = strata
        self.fields["visit"].choices = [("", "---------"), *visits.items()]
        self.fields["status"].choices = [("", "---------"), *statuses.items()]
        if not with_start:  # the month view moves by month, in its address
            del self.fields["start"]


class _VisitStateForm(ClinicalModelForm):
    """A declaration on one visit; the version the user saw guards against a stale save."""

    row_version = StrictIntegerField(widget=forms.HiddenInput)
    required_field = ""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields[self.required_field].required = True
        if self.instance.pk and not self.is_bound:
            self.initial["row_version"] = self.instance.row_version


class VisitDoneForm(_VisitStateForm):
    required_field = "done_on"
    prefix = "done"

    class Meta:
        model = VisitInstance
        fields = ["done_on"]
        widgets = {"done_on": DateInput}


class VisitMissedForm(_VisitStateForm):
    required_field = "missed_reason"
    prefix = "missed"

    class Meta:
        model = VisitInstance
        fields = ["missed_reason"]
        widgets = {"missed_reason": forms.Textarea(attrs={"rows": 2})}


class UnscheduledVisitForm(ClinicalModelForm):
    crf_codes = forms.MultipleChoiceField(
        label=_("Forms for this visit"), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = UnscheduledVisit
        fields = ["visit_date", "reason", "crf_codes"]
        widgets = {"visit_date": DateInput, "reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, crf_choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["crf_codes"].choices = crf_choices
