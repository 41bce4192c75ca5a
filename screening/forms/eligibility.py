"""Forms of the eligibility page."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ConfirmationForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    met = forms.TypedChoiceField(
        label=_("Investigator's judgement"),
        choices=[("yes", _("Met")), ("no", _("Not met"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    reason = forms.CharField(
        label=_("Reason for change"),
        required=False,
        help_text=_("Needed when you revise an earlier judgement."),
    )


class ScreenFailForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only when no criterion fails."),
    )
