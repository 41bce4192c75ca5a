"""Forms of the eligibility page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from edc.input_rules import ReasonField


class ConfirmationForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    met = forms.TypedChoiceField(
        label=_("Investigator's judgement"),
        choices=[("yes", _("Met")), ("no", _("Not met"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    reason = ReasonField(
        required=False,
        widget=forms.TextInput,
        help_text=_("Needed when you revise an earlier judgement."),
    )


class ScreenFailForm(forms.Form):
    reason = ReasonField(
        label=_("Reason"), required=False, help_text=_("Needed only when no criterion fails.")
    )
