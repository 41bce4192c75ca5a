"""Text and number rules on every write path: forms, services and the model itself."""

from __future__ import annotations

import importlib

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from edc.audit import audited_create, audited_update, system_user
from edc.domain.text_rules import REASON_LIMIT
from edc.input_rules import (
    ClinicalModelForm,
    StrictDateTimeField,
    StrictDecimalField,
    StrictIntegerField,
)
from edc.models import Study, Subject
from edc.roles import Role
from screening.models import PriorTherapy
from tests.edc.factories import SubjectFactory

ROW = {
    "kind": "glucocorticoid",
    "drug_name": "Prednisone",
    "dose": "10",
    "dose_unit": "mg/day",
    "start_date": "2025-01-01",
    "outcome": "ongoing",
}
FORM_MODULES = [
    "edc.forms",
    "edc.crf_views",
    "screening.forms.clinical",
    "screening.forms.eligibility",
    "screening.forms.history",
    "screening.forms.instruments",
    "screening.forms.labs",
    "dosing.forms",
    "adverse_events.forms",
]


@pytest.fixture
def subject(site_a, stratum):
    return SubjectFactory(study_site=site_a, stratum=stratum)


@pytest.fixture
def investigator(client, site_a, member):
    client.force_login(member(Role.INVESTIGATOR, study_site=site_a))


def _row_url(subject, row="new"):
    args = [subject.study.registry_id, subject.pk, "SCR", "prior_therapy", row]
    return reverse("edc:crf-row", args=args)


def _all_forms() -> list[type[forms.BaseForm]]:
    modules = [importlib.import_module(m) for m in FORM_MODULES]
    return [
        cls
        for module in modules
        for cls in vars(module).values()
        if isinstance(cls, type)
        and issubclass(cls, forms.BaseForm)
        and cls.__module__ == module.__name__
    ]


def test_every_model_form_of_the_apps_is_a_clinical_model_form():
    model_forms = [f for f in _all_forms() if issubclass(f, forms.BaseModelForm)]
    assert model_forms
    assert [f for f in model_forms if not issubclass(f, ClinicalModelForm)] == []


def test_no_form_declares_a_plain_django_number_or_date_time_field():
    plain = [
        f"{form.__name__}.{name}"
        for form in _all_forms()
        for name, field in form.base_fields.items()
        if (
            isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField)
            and not isinstance(field, StrictIntegerField | StrictDecimalField)
        )
        or (isinstance(field, forms.DateTimeField) and not isinstance(field, StrictDateTimeField))
    ]
    assert plain == []


@pytest.mark.parametrize("typed", ["٢٠٢٦-٠٥-٠١T10:00", "２０２６-０５-０１T10:00"])
def test_a_date_time_in_non_ascii_digits_is_refused(typed):
    from adverse_events.forms import AdverseEventForm

    with pytest.raises(ValidationError, match="ASCII digits"):
        AdverseEventForm.base_fields["site_aware_at"].clean(typed)


def test_the_admin_takes_numbers_in_ascii_digits_only(rf, admin_user):
    from django.contrib import admin

    request = rf.get("/")
    request.user = admin_user
    study_admin = admin.site._registry[Study]
    field = study_admin.get_form(request).base_fields["target_enrolment"]
    with pytest.raises(ValidationError, match="ASCII digits"):
        field.clean("1_000")


def test_free_text_areas_of_model_forms_carry_the_length_limit():
    from dosing.forms import InfusionForm

    assert InfusionForm.base_fields["deviation_reason"].max_length == 4000


@pytest.mark.parametrize("typed", ["1_0", "١٠", "１０", "NaN", "Infinity", "1e1"])
def test_a_number_that_is_not_plain_ascii_is_refused_at_its_field(
    client, subject, investigator, typed
):
    response = client.post(_row_url(subject), {**ROW, "dose": typed})
    assert response.context["form"].errors["dose"] == [
        "Enter the number with ASCII digits 0-9 and a decimal point, e.g. 1000 or 12.5."
    ]
    assert not PriorTherapy.objects.exists()


def test_the_number_message_is_translated(client, subject, investigator):
    client.cookies["django_language"] = "zh-hans"
    response = client.post(_row_url(subject), {**ROW, "dose": "1_0"}, HTTP_ACCEPT_LANGUAGE="zh")
    assert "ASCII" in response.context["form"].errors["dose"][0]
    assert "Enter the number" not in response.context["form"].errors["dose"][0]


def test_a_right_to_left_override_is_refused_at_its_field(client, subject, investigator):
    response = client.post(_row_url(subject), {**ROW, "drug_name": "Predni\u202esone"})
    assert "U+202E" in response.context["form"].errors["drug_name"][0]
    assert not PriorTherapy.objects.exists()


def test_a_formula_is_refused_at_its_field(client, subject, investigator):
    typed = '=HYPERLINK("http://evil.example","Prednisone")'
    response = client.post(_row_url(subject), {**ROW, "drug_name": typed})
    assert "spreadsheet formula" in response.context["form"].errors["drug_name"][0]
    assert not PriorTherapy.objects.exists()


def test_clinical_text_with_a_leading_sign_is_saved_as_typed(client, subject, investigator):
    client.post(_row_url(subject), {**ROW, "drug_name": "-2 kg since last visit"})
    assert PriorTherapy.objects.get().drug_name == "-2 kg since last visit"


def test_an_oversized_reason_for_change_is_refused_on_the_page(client, subject, investigator):
    client.post(_row_url(subject), ROW)
    row = PriorTherapy.objects.get()
    typed = {**ROW, "dose": "15", "row_version": 1, "reason": "x" * (REASON_LIMIT + 1)}
    response = client.post(_row_url(subject, row.pk), typed)
    assert "reason" in response.context["reason_form"].errors
    assert (PriorTherapy.objects.get().dose, row.history.count()) == (10, 1)


def test_the_service_refuses_text_with_a_bidi_control_on_its_field(subject):
    with pytest.raises(ValidationError) as info:
        audited_update(
            subject,
            actor=system_user(),
            reason="Typo",
            changes={"consent_version": "ICF \u2066v2"},
            expected_version=subject.row_version,
        )
    assert list(info.value.error_dict) == ["consent_version"]
    assert Subject.objects.get().consent_version == "ICF v1.0"


def test_the_service_trims_surrounding_whitespace(subject):
    audited_update(
        subject,
        actor=system_user(),
        reason="Typo",
        changes={"consent_version": "  ICF v2.0 \t"},
        expected_version=subject.row_version,
    )
    assert Subject.objects.get().consent_version == "ICF v2.0"


def test_the_service_refuses_an_oversized_reason_and_writes_no_history(subject):
    before = subject.history.count()
    with pytest.raises(ValidationError) as info:
        audited_update(
            subject,
            actor=system_user(),
            reason="r" * (REASON_LIMIT + 1),
            changes={"consent_version": "ICF v2.0"},
            expected_version=subject.row_version,
        )
    assert list(info.value.error_dict) == ["reason"]
    assert (Subject.objects.get().consent_version, subject.history.count()) == (
        "ICF v1.0",
        before,
    )


def test_a_reason_with_a_formula_is_refused(subject):
    with pytest.raises(ValidationError, match="spreadsheet formula"):
        audited_update(
            subject,
            actor=system_user(),
            reason="@SUM(1+1)",
            changes={"consent_version": "ICF v2.0"},
            expected_version=subject.row_version,
        )


def test_a_direct_save_cannot_bypass_the_reason_rules(subject):
    subject._change_reason = "why\u202e"
    with pytest.raises(ValidationError):
        subject.save()


def test_free_text_without_a_limit_is_refused_beyond_4000_characters(db):
    with pytest.raises(ValidationError) as info:
        audited_create(Study(registry_id="NCT0", title="t" * 4001), actor=system_user())
    assert info.value.error_dict["title"][0].code == "too_long"
