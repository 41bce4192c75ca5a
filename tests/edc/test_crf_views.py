"""The generic CRF page: enter, correct with a reason, refuse stale saves, read-only view."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from edc.audit import INITIAL_ENTRY
from edc.crfs import crf_spec
from edc.roles import Role
from edc.services.crfs import crf_update
from screening.models import VitalSigns
from tests.concurrency import race
from tests.edc.factories import SubjectFactory

VITALS = {"measured_on": "2026-04-21", "height_cm": "175", "weight_kg": "70"}


@pytest.fixture
def subject(site_a, stratum):
    return SubjectFactory(study_site=site_a, stratum=stratum)


def _url(subject, visit="SCR", crf="vital_signs"):
    return reverse("edc:crf", args=[subject.study.registry_id, subject.pk, visit, crf])


@pytest.fixture
def investigator(client, site_a, member):
    client.force_login(member(Role.INVESTIGATOR, study_site=site_a))


def test_new_form_is_saved_with_its_derived_values(client, subject, investigator):
    response = client.post(_url(subject), VITALS)
    assert response.status_code == 302
    assert str(VitalSigns.objects.get().bsa_m2) == "1.84"


def test_out_of_range_value_is_refused_at_the_field(client, subject, investigator):
    response = client.post(_url(subject), {**VITALS, "height_cm": "17.5"})
    assert "height_cm" in response.context["form"].errors
    assert not VitalSigns.objects.exists()


def test_correction_without_reason_is_refused(client, subject, investigator):
    client.post(_url(subject), VITALS)
    response = client.post(_url(subject), {**VITALS, "weight_kg": "72", "row_version": 1})
    assert response.context["reason_form"].errors["reason"] == ["This field is required."]
    assert VitalSigns.objects.get().weight_kg == 70


def test_correction_recomputes_the_derived_value(client, subject, investigator):
    client.post(_url(subject), VITALS)
    client.post(
        _url(subject), {**VITALS, "weight_kg": "80", "row_version": 1, "reason": "Scale error"}
    )
    vitals = VitalSigns.objects.get()
    assert (vitals.weight_kg, float(vitals.bsa_m2), vitals.row_version) == (80, 1.97, 2)


def test_stale_correction_is_refused_with_a_clear_message(client, subject, investigator):
    client.post(_url(subject), VITALS)
    client.post(_url(subject), {**VITALS, "weight_kg": "80", "row_version": 1, "reason": "a"})
    response = client.post(
        _url(subject), {**VITALS, "weight_kg": "90", "row_version": 1, "reason": "b"}
    )
    assert "Someone else changed this record" in response.content.decode()
    assert VitalSigns.objects.get().weight_kg == 80


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_first_entries_save_one_and_refuse_the_others(subject, site_a, member):
    investigator = member(Role.INVESTIGATOR, study_site=site_a)
    browsers = [Client(raise_request_exception=False) for _ in range(20)]
    for browser in browsers:
        browser.force_login(investigator)

    responses = race(
        lambda i: browsers[i].post(_url(subject), {**VITALS, "weight_kg": str(71 + i)}),
        len(browsers),
    )

    saved = [i for i, response in enumerate(responses) if response.status_code == 302]
    refused = [r for r in responses if "Someone else changed this record" in r.content.decode()]
    assert (len(saved), len(refused)) == (1, 19)
    assert VitalSigns.objects.get().weight_kg == 71 + saved[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_corrections_save_one_and_refuse_the_others(subject, site_a, member):
    investigator = member(Role.INVESTIGATOR, study_site=site_a)
    browsers = [Client() for _ in range(20)]
    for browser in browsers:
        browser.force_login(investigator)
    browsers[0].post(_url(subject), VITALS)

    responses = race(
        lambda i: browsers[i].post(
            _url(subject),
            {**VITALS, "weight_kg": str(71 + i), "row_version": 1, "reason": f"Scale {i}"},
        ),
        len(browsers),
    )

    saved = [i for i, response in enumerate(responses) if response.status_code == 302]
    refused = [r for r in responses if "Someone else changed this record" in r.content.decode()]
    vitals = VitalSigns.objects.get()
    assert (len(saved), len(refused)) == (1, 19)
    assert (vitals.weight_kg, vitals.row_version) == (71 + saved[0], 2)
    reasons = [h.history_change_reason for h in vitals.history.all()]
    assert reasons == [f"Scale {saved[0]}", INITIAL_ENTRY]


def test_monitor_sees_the_form_read_only(client, subject, site_a, member):
    client.force_login(member(Role.MONITOR, study_site=site_a))
    response = client.get(_url(subject))
    assert all(field.disabled for field in response.context["form"].fields.values())
    assert client.post(_url(subject), VITALS).status_code == 403


@pytest.mark.parametrize(("visit", "crf"), [("SCR", "lab_panel"), ("XX", "vital_signs")])
def test_form_not_scheduled_at_the_visit_is_not_found(client, subject, investigator, visit, crf):
    assert client.get(_url(subject, visit, crf)).status_code == 404


def test_other_sites_subject_form_is_not_found(client, site_b, stratum, investigator):
    other = SubjectFactory(study_site=site_b, stratum=stratum)
    assert client.get(_url(other)).status_code == 404


def test_casebook_shows_the_saved_forms_status(client, subject, investigator):
    client.post(_url(subject), VITALS)
    page = client.get(reverse("edc:subject-detail", args=[subject.study.registry_id, subject.pk]))
    cell = page.context["grid"][0].cells[0]
    assert (cell.crf_code, cell.status, cell.url) == ("vital_signs", "complete", _url(subject))


def test_locked_form_cannot_be_corrected(client, subject, investigator):
    client.post(_url(subject), VITALS)
    vitals = VitalSigns.objects.get()
    vitals.status = "locked"
    vitals._change_reason = "test: locked by the data manager"
    vitals.save()
    with pytest.raises(ValidationError, match="locked"):
        crf_update(
            vitals,
            spec=crf_spec("vital_signs"),
            data={"weight_kg": 80},
            reason="late correction",
            expected_version=vitals.row_version,
            actor=vitals.history.first().history_user,
        )
    assert client.get(_url(subject)).context["can_edit"] is False


def test_logout_ends_the_session(client, subject, investigator):
    response = client.post(reverse("logout"))
    assert response.url == reverse("login")
    assert client.get(_url(subject)).status_code == 302
