"""The forms of the query pages: the list's filters, raising a query, and a step in its thread."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from edc.data_queries import QUERY_ORIGIN_LABELS, QUERY_STATUS_LABELS
from edc.domain.query_workflow import QueryAction
from edc.input_rules import StrictIntegerField

ACTION_LABELS = {
    QueryAction.ANSWER: _("Answer"),
    QueryAction.CLOSE: _("Close the query"),
    QueryAction.REOPEN: _("Reopen the query"),
    QueryAction.MESSAGE: _("Add a message"),
}


class QueryFilterForm(forms.Form):
    study_site = forms.ModelChoiceField(queryset=None, required=False, label=_("Site"))
    subject = forms.CharField(required=False, max_length=40, label=_("Subject"))
    status = forms.ChoiceField(
        required=False,
        label=_("Status"),
        choices=[("", _("Any")), *QUERY_STATUS_LABELS.items()],
    )
    origin = forms.ChoiceField(
        required=False,
        label=_("Origin"),
        choices=[("", _("Any")), *QUERY_ORIGIN_LABELS.items()],
    )
    older_than_days = StrictIntegerField(
        required=False, min_value=0, max_value=3650, label=_("Raised at least (days) ago")
    )

    def __init__(self, *args, study_sites, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["study_site"].queryset = study_sites


class QueryRaiseForm(forms.Form):
    field_name = forms.ChoiceField(label=_("Field"))
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, fields: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field_name"].choices = fields


class QueryStepForm(forms.Form):
    action = forms.ChoiceField(label=_("Step"))
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, actions: list[QueryAction], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a.value, ACTION_LABELS[a]) for a in actions]
