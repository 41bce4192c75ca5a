"""The follow-up immune forms through the generic CRF page: B-cell count, immunoglobulins and
CAR-T cellular kinetics on an infused CT1192 subject."""

from decimal import Decimal

import pytest
from django.urls import reverse

from edc.audit import system_user
from followup.models import BCellCount, CarTKinetics, Immunoglobulins
from tests.adverse_events.journeys import infused_subject
from tests.hostile import log_in_investigator

B_CELLS = {"sampled_at": "2026-05-13T08:30", "cd19_cells_per_ul": "0.5"}
IMMUNOGLOBULINS = {
    "sampled_on": "2026-06-03",
    "igg_g_per_l": "3.2",
    "iga_g_per_l": "0.4",
    "igm_g_per_l": "0.2",
}
KINETICS = {
    "time_point": "end_of_infusion",
    "sampled_at": "2026-05-06T10:15",
    "transgene_copies_per_ug_dna": "1520",
    "car_cells_per_ul": "3.4",
}


@pytest.fixture
def subject(db, client):
    infused = infused_subject(system_user())
    log_in_investigator(client, infused)
    return infused


def _url(subject, visit, code, row=None):
    args = [subject.study.registry_id, subject.pk, visit, code]
    return reverse("edc:crf-row", args=[*args, row]) if row else reverse("edc:crf", args=args)


def test_a_b_cell_count_is_entered_at_day_7(client, subject):
    response = client.post(_url(subject, "D7", "b_cell_count"), B_CELLS)
    assert response.status_code == 302
    assert BCellCount.objects.get().cd19_cells_per_ul == Decimal("0.5")


def test_a_b_cell_count_below_lloq_is_kept_without_a_number(client, subject):
    client.post(
        _url(subject, "D7", "b_cell_count"),
        {**B_CELLS, "cd19_cells_per_ul": "", "cd19_below_lloq": "on"},
    )
    row = BCellCount.objects.get()
    assert (row.cd19_cells_per_ul, row.cd19_below_lloq) == (None, True)


def test_a_negative_b_cell_count_is_refused_on_its_field(client, subject):
    response = client.post(
        _url(subject, "D7", "b_cell_count"), {**B_CELLS, "cd19_cells_per_ul": "-1"}
    )
    assert "cd19_cells_per_ul" in response.context["form"].errors
    assert not BCellCount.objects.exists()


def test_a_b_cell_count_needs_a_number_or_below_lloq(client, subject):
    response = client.post(
        _url(subject, "D7", "b_cell_count"), {**B_CELLS, "cd19_cells_per_ul": ""}
    )
    assert "cd19_cells_per_ul" in response.context["form"].errors
    assert not BCellCount.objects.exists()


def test_igg_below_4_is_derived_as_hypogammaglobulinaemia(client, subject):
    client.post(_url(subject, "D28", "immunoglobulins"), IMMUNOGLOBULINS)
    assert Immunoglobulins.objects.get().hypogammaglobulinaemia is True


def test_the_hypogammaglobulinaemia_flag_cannot_be_typed(client, subject):
    client.post(
        _url(subject, "D28", "immunoglobulins"),
        {**IMMUNOGLOBULINS, "igg_g_per_l": "8.1", "hypogammaglobulinaemia": "on"},
    )
    assert Immunoglobulins.objects.get().hypogammaglobulinaemia is False


def test_correcting_igg_derives_the_flag_again(client, subject):
    url = _url(subject, "D28", "immunoglobulins")
    client.post(url, IMMUNOGLOBULINS)
    client.post(
        url, {**IMMUNOGLOBULINS, "igg_g_per_l": "6", "row_version": 1, "reason": "Lab re-run"}
    )
    assert Immunoglobulins.objects.get().hypogammaglobulinaemia is False


def test_a_negative_immunoglobulin_is_refused_on_its_field(client, subject):
    response = client.post(
        _url(subject, "D28", "immunoglobulins"), {**IMMUNOGLOBULINS, "iga_g_per_l": "-0.1"}
    )
    assert "iga_g_per_l" in response.context["form"].errors
    assert not Immunoglobulins.objects.exists()


def test_kinetics_samples_of_one_visit_are_rows_of_their_own(client, subject):
    url = _url(subject, "D0", "car_t_kinetics", "new")
    client.post(url, {**KINETICS, "time_point": "pre_infusion", "sampled_at": "2026-05-06T08:00"})
    client.post(url, KINETICS)
    page = client.get(_url(subject, "D0", "car_t_kinetics"))
    assert [r.time_point for r in page.context["page"]] == ["pre_infusion", "end_of_infusion"]


def test_a_kinetics_result_below_lloq_is_kept_as_such_not_as_zero(client, subject):
    client.post(
        _url(subject, "D0", "car_t_kinetics", "new"),
        {**KINETICS, "transgene_copies_per_ug_dna": "", "transgene_below_lloq": "on"},
    )
    row = CarTKinetics.objects.get()
    assert (row.transgene_copies_per_ug_dna, row.transgene_below_lloq) == (None, True)


def test_a_kinetics_result_with_a_number_and_below_lloq_is_refused(client, subject):
    response = client.post(
        _url(subject, "D0", "car_t_kinetics", "new"), {**KINETICS, "car_cells_below_lloq": "on"}
    )
    assert "car_cells_per_ul" in response.context["form"].errors
    assert not CarTKinetics.objects.exists()


def test_a_negative_transgene_copy_number_is_refused_on_its_field(client, subject):
    response = client.post(
        _url(subject, "D0", "car_t_kinetics", "new"),
        {**KINETICS, "transgene_copies_per_ug_dna": "-5"},
    )
    assert "transgene_copies_per_ug_dna" in response.context["form"].errors
    assert not CarTKinetics.objects.exists()
