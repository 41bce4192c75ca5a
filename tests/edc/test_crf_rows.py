"""Repeating forms (prior therapies): a list of rows, each added or corrected on its own page."""

import pytest
from django.urls import reverse

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


@pytest.fixture
def subject(site_a, stratum):
    return SubjectFactory(study_site=site_a, stratum=stratum)


@pytest.fixture
def investigator(client, site_a, member):
    client.force_login(member(Role.INVESTIGATOR, study_site=site_a))


def _url(subject, row=None):
    args = [subject.study.registry_id, subject.pk, "SCR", "prior_therapy"]
    return reverse("edc:crf-row", args=[*args, row]) if row else reverse("edc:crf", args=args)


def test_rows_are_added_one_by_one(client, subject, investigator):
    client.post(_url(subject, "new"), ROW)
    client.post(_url(subject, "new"), {**ROW, "kind": "mycophenolate", "drug_name": "MMF"})
    page = client.get(_url(subject))
    assert [str(r.drug_name) for r in page.context["page"]] == ["Prednisone", "MMF"]


def test_a_row_is_corrected_with_a_reason(client, subject, investigator):
    client.post(_url(subject, "new"), ROW)
    row = PriorTherapy.objects.get()
    client.post(_url(subject, row.pk), {**ROW, "dose": "15", "row_version": 1, "reason": "Typo"})
    row.refresh_from_db()
    assert (row.dose, row.history.latest().history_change_reason) == (15, "Typo")


def test_stopped_treatment_needs_its_stop_date(client, subject, investigator):
    response = client.post(_url(subject, "new"), {**ROW, "outcome": "ineffective"})
    assert "stop_date" in response.context["form"].errors
    assert not PriorTherapy.objects.exists()


def test_another_subjects_row_is_not_found(client, subject, site_a, stratum, investigator):
    client.post(_url(subject, "new"), ROW)
    other = SubjectFactory(study_site=site_a, stratum=stratum)
    assert client.get(_url(other, PriorTherapy.objects.get().pk)).status_code == 404


def test_glucocorticoid_must_be_entered_in_mg_per_day(client, subject, investigator):
    response = client.post(_url(subject, "new"), {**ROW, "dose": "500", "dose_unit": "mg"})
    assert "dose_unit" in response.context["form"].errors
