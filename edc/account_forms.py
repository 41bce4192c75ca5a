"""Forms of the account pages: the access log filter, the two-factor token, notifications, API
tokens."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from edc.access_log import AccessLog
from edc.forms import DateInput, _CrispyForm


class AccessLogFilterForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150, required=False)
    kind = forms.ChoiceField(
        label=_("Event"), choices=[("", _("All events")), *AccessLog.Kind.choices], required=False
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)


class TokenForm(forms.Form):
    """Six ASCII digits: int() would also take '1_000' or Arabic-Indic digits."""

    token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=6,
        validators=[RegexValidator(r"^[0-9]{6}\Z", _("Enter the 6 digits of the code."))],
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class NotificationSettingsForm(_CrispyForm):
    email_reminders = forms.BooleanField(
        label=_("Send me visit reminders by e-mail"),
        required=False,
        help_text=_("My tasks lists the reminders either way."),
    )


class ApiTokenForm(_CrispyForm):
    submit_label = _("Issue a token")

    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("What the token is for, e.g. the name of the script that uses it."),
    )
