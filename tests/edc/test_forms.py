"""A service's refusal always lands on the form, never on an error page."""

from django import forms
from django.core.exceptions import ValidationError

from edc.forms import add_service_errors


class _Form(forms.Form):
    weight_kg = forms.IntegerField()


def test_error_on_a_known_field_stays_on_that_field():
    form = _Form({"weight_kg": "70"})
    form.is_valid()
    add_service_errors(form, ValidationError({"weight_kg": "Too heavy for this dose."}))
    assert form.errors["weight_kg"] == ["Too heavy for this dose."]


def test_error_on_a_field_the_form_lacks_goes_to_the_top():
    form = _Form({"weight_kg": "70"})
    form.is_valid()
    add_service_errors(form, ValidationError({"infusion_date": "Before lymphodepletion."}))
    assert form.non_field_errors() == ["Before lymphodepletion."]
