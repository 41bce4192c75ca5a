"""Forms for the core pages; they shape input and hand cleaned data to services."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from edc.audit_trail import trail_user_name
from edc.datasets import DatasetExport
from edc.input_rules import ReasonField, StrictDateTimeField, StrictIntegerField
from edc.models import SUBJECT_STATUS_LABELS, Stratum, StudySite, Subject


class DateInput(forms.DateInput):
    """A date picker. Its value is ISO whatever the language: the browser's date input takes
    nothing else, so a Chinese user's saved date (2026/08/05 in zh-Hans) would come back blank."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class _DateTimeInput(forms.DateTimeInput):
    """A date-time picker, ISO for the same reason (`datetime-local` takes 2026-08-05T10:00)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


DateTimeInput = _DateTimeInput()


def _preselect_only_choice(field: forms.ModelChoiceField) -> None:
    """A site investigator has one site (a single-stratum study one stratum): choose it for them."""
    options = list(field.queryset[:2])
    if len(options) == 1:
        field.initial = options[0].pk
        field.empty_label = None


class _CrispyForm(forms.Form):
    submit_label = _("Save")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class SubjectFieldsForm(_CrispyForm):
    stratum = forms.ModelChoiceField(queryset=Stratum.objects.none(), label=_("Stratum"))
    sex = forms.ChoiceField(choices=Subject.Sex.choices, label=_("Sex"))
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput)
    initials = forms.CharField(
        label=_("Initials"), min_length=2, max_length=4, help_text=_("2 to 4 letters.")
    )
    consent_date = forms.DateField(label=_("Consent date"), widget=DateInput)
    consent_version = forms.CharField(label=_("Consent form version"), max_length=40)

    def __init__(self, *args, study, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stratum"].queryset = Stratum.objects.filter(study=study)
        _preselect_only_choice(self.fields["stratum"])


class SubjectRegistrationForm(SubjectFieldsForm):
    submit_label = _("Register subject")
    study_site = forms.ModelChoiceField(queryset=StudySite.objects.none(), label=_("Site"))
    field_order = ["study_site"]

    def __init__(self, *args, study, study_sites, **kwargs) -> None:
        super().__init__(*args, study=study, **kwargs)
        self.fields["study_site"].queryset = study_sites
        _preselect_only_choice(self.fields["study_site"])


class SubjectCorrectionForm(SubjectFieldsForm):
    submit_label = _("Save correction")
    version = StrictIntegerField(widget=forms.HiddenInput)
    reason = ReasonField()


class SubjectSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    site = forms.ModelChoiceField(
        queryset=StudySite.objects.none(), required=False, label=_("Site")
    )
    status = forms.ChoiceField(required=False, label=_("Status"))
    stratum = forms.ModelChoiceField(
        queryset=Stratum.objects.none(), required=False, label=_("Stratum")
    )

    def __init__(self, *args, study, study_sites, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = study_sites
        self.fields["stratum"].queryset = Stratum.objects.filter(study=study)
        self.fields["status"].choices = [("", "---------"), *SUBJECT_STATUS_LABELS.items()]


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: each message on its field when the form has that
    field, otherwise at the top, so no refusal can turn into an error page."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class DatasetExportForm(_CrispyForm):
    """Start an export: of the data as it is now, or as the database held it at a past moment."""

    submit_label = _("Start export")

    kind = forms.ChoiceField(
        label=_("Format"),
        choices=DatasetExport.Kind.choices,
        initial=DatasetExport.Kind.ANALYSIS_CSV,
        required=False,
    )
    as_of = StrictDateTimeField(
        label=_("Data as of (UTC)"),
        required=False,
        widget=DateTimeInput,
        help_text=_("Leave empty for the data as it is now; a past moment gives that data cut."),
    )
    audit_records = forms.BooleanField(
        label=_("With audit records and signatures (ODM only)"), required=False
    )

    def clean_kind(self) -> str:
        return self.cleaned_data["kind"] or DatasetExport.Kind.ANALYSIS_CSV


class AuditTrailFilterForm(forms.Form):
    """The audit-trail browser's filters; the field list follows the chosen form."""

    site = forms.ModelChoiceField(
        queryset=StudySite.objects.none(), required=False, label=_("Site")
    )
    subject = forms.CharField(label=_("Subject"), max_length=40, required=False)
    form = forms.ChoiceField(label=_("Form"), required=False)
    field = forms.ChoiceField(label=_("Field"), required=False)
    user = forms.ModelChoiceField(queryset=None, required=False, label=_("User"))
    action = forms.ChoiceField(label=_("Action"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args, study, study_sites, forms_, fields_for, actions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = study_sites
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(Q(memberships__study=study) | Q(username=settings.EDC_SYSTEM_USERNAME))
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        self.fields["user"].label_from_instance = trail_user_name
        self.fields["form"].choices = [("", "---------"), *forms_]
        chosen = self.data.get("form", "") if self.is_bound else ""
        self.fields["field"].choices = [("", "---------"), *fields_for(chosen)]
        self.fields["action"].choices = [("", "---------"), *actions]


class StudySiteFilterForm(forms.Form):
    """A page's site filter (the deviation list, the dashboard), among the sites the user sees."""

    site = forms.ModelChoiceField(
        queryset=StudySite.objects.none(),
        required=False,
        label=_("Site"),
    )

    def __init__(self, *args, study_sites, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = study_sites
