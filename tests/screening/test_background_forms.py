"""Demographics and concomitant medications through the generic CRF page."""

import datetime as dt

import pytest
from django.urls import reverse

from screening.models import ConcomitantMedication, Demographics
from tests.hostile import log_in_investigator
from tests.screening.journeys import ct1192_subject

DEMOGRAPHICS = {"ethnicity": "not_hispanic_or_latino", "race": "asian", "ethnic_group": "Han"}
MEDICATION = {
    "drug_name": "Valaciclovir",
    "start_date": "2026-04-22",
    "dose": "500",
    "dose_unit": "mg",
    "route": "oral",
    "indication": "HSV/VZV prophylaxis",
}


@pytest.fixture
def subject(db, client):
    # Consent on 2026-04-20, the day before the 36th birthday.
    screened = ct1192_subject(born=dt.date(1990, 4, 21))
    log_in_investigator(client, screened)
    return screened


def _url(subject, code, row=None):
    args = [subject.study.registry_id, subject.pk, "SCR", code]
    return reverse("edc:crf-row", args=[*args, row]) if row else reverse("edc:crf", args=args)


def test_the_age_at_consent_is_derived_from_the_dates_of_birth_and_consent(client, subject):
    client.post(_url(subject, "demographics"), DEMOGRAPHICS)
    assert Demographics.objects.get().age_at_consent_years == 35


def test_the_age_cannot_be_typed(client, subject):
    client.post(_url(subject, "demographics"), {**DEMOGRAPHICS, "age_at_consent_years": "70"})
    assert Demographics.objects.get().age_at_consent_years == 35


def test_a_race_outside_the_controlled_terms_is_refused_on_its_field(client, subject):
    response = client.post(_url(subject, "demographics"), {**DEMOGRAPHICS, "race": "han"})
    assert "race" in response.context["form"].errors
    assert not Demographics.objects.exists()


def test_a_listed_medication_is_flagged_for_review(client, subject):
    client.post(_url(subject, "concomitant_medication", "new"), MEDICATION)
    row = ConcomitantMedication.objects.get()
    assert (row.drug_name, row.review_flag) == ("Valaciclovir", "antimicrobial_prophylaxis")


def test_an_unlisted_medication_has_no_flag(client, subject):
    client.post(
        _url(subject, "concomitant_medication", "new"),
        {**MEDICATION, "drug_name": "Paracetamol", "indication": "Fever"},
    )
    assert ConcomitantMedication.objects.get().review_flag == ""


def test_correcting_the_atc_code_flags_the_medication_again(client, subject):
    client.post(
        _url(subject, "concomitant_medication", "new"), {**MEDICATION, "drug_name": "Study X"}
    )
    row = ConcomitantMedication.objects.get()
    client.post(
        _url(subject, "concomitant_medication", row.pk),
        {**MEDICATION, "drug_name": "Study X", "atc_code": "L04AC07", "row_version": 1,
         "reason": "ATC coded"},
    )  # fmt: skip
    row.refresh_from_db()
    assert row.review_flag == "tocilizumab"


def test_a_malformed_atc_code_is_refused_on_its_field(client, subject):
    response = client.post(
        _url(subject, "concomitant_medication", "new"), {**MEDICATION, "atc_code": "L4AC7"}
    )
    assert "atc_code" in response.context["form"].errors
    assert not ConcomitantMedication.objects.exists()


def test_a_stop_before_the_start_is_refused_on_its_field(client, subject):
    response = client.post(
        _url(subject, "concomitant_medication", "new"), {**MEDICATION, "stop_date": "2026-04-21"}
    )
    assert "stop_date" in response.context["form"].errors
    assert not ConcomitantMedication.objects.exists()


def test_a_dose_needs_its_unit(client, subject):
    response = client.post(
        _url(subject, "concomitant_medication", "new"), {**MEDICATION, "dose_unit": ""}
    )
    assert "dose_unit" in response.context["form"].errors


def test_a_negative_dose_is_refused_on_its_field(client, subject):
    response = client.post(
        _url(subject, "concomitant_medication", "new"), {**MEDICATION, "dose": "-500"}
    )
    assert "dose" in response.context["form"].errors
    assert not ConcomitantMedication.objects.exists()
