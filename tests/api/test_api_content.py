"""What each role reads: an investigator only their site's rows, sponsors and data managers the
de-identified view (USUBJID and age at consent, no initials, no date of birth), CRF fields with
their labels, the audit trail within the sites the user may audit."""

import pytest

from edc.api.pagination import ApiPagination
from edc.api_tokens import api_token_revoke, api_tokens_of
from tests.api.conftest import token_client
from tests.edc.factories import UserFactory

pytestmark = pytest.mark.django_db


def _list(client, study, path, **params):
    response = client.get(f"/api/v1/studies/{study.registry_id}/{path}", params)
    assert response.status_code == 200
    return response.json()["results"]


@pytest.mark.parametrize("path", ["subjects/", "visits/", "adverse-events/"])
def test_investigator_reads_only_the_rows_of_their_site(as_role, study, subjects, path):
    rows = _list(as_role("investigator@A"), study, path)
    ids = {row.get("subject", row.get("id")) for row in rows}
    assert ids == {str(subjects["A"].pk)}


def test_investigator_reads_only_their_sites_crf_rows(as_role, study, subjects):
    rows = _list(as_role("investigator@A"), study, "crfs/prior_therapy/rows/")
    assert {row["subject"] for row in rows} == {str(subjects["A"].pk)}


def test_data_manager_reads_every_site(as_role, study, subjects):
    rows = _list(as_role("data_manager"), study, "subjects/")
    assert {row["id"] for row in rows} == {str(s.pk) for s in subjects.values()}


def test_sponsor_reads_subjects_de_identified(as_role, study, subjects):
    (row, *_rest) = _list(as_role("sponsor"), study, "subjects/", site=subjects["A"].study_site_id)
    assert row["usubjid"] == f"{study.study_code}-S01-001"
    assert row["age_at_consent_years"] == 35
    assert not {"initials", "date_of_birth", "screening_number"} & row.keys()


def test_investigator_reads_the_personal_data_of_their_subjects(as_role, study, subjects):
    (row,) = _list(as_role("investigator@A"), study, "subjects/")
    assert (row["initials"], row["date_of_birth"]) == ("ABC", "1990-05-17")


def test_a_subject_filter_narrows_the_list(as_role, study, subjects):
    rows = _list(as_role("data_manager"), study, "adverse-events/", subject=subjects["B"].pk)
    assert [row["subject"] for row in rows] == [str(subjects["B"].pk)]


def test_a_bad_filter_is_a_400_not_a_500(as_role, study, subjects):
    client = as_role("data_manager")
    response = client.get(f"/api/v1/studies/{study.registry_id}/adverse-events/?grade=x")
    assert response.status_code == 400


def test_crf_rows_carry_each_field_with_its_label_and_coded_value(as_role, study, subjects):
    (row,) = _list(as_role("investigator@A"), study, "crfs/prior_therapy/rows/")
    fields = {f["name"]: f for f in row["values"]}
    assert fields["drug_name"]["value"] == "Prednisone"
    assert fields["kind"]["display"] == "Glucocorticoid"
    assert fields["drug_name"]["label"]


def test_the_forms_list_names_the_protocols_forms_the_product_implements(as_role, study):
    client = as_role("monitor@A")
    response = client.get(f"/api/v1/studies/{study.registry_id}/crfs/")
    assert [f["code"] for f in response.json()] == ["vital_signs", "prior_therapy"]


def test_a_form_the_protocol_lacks_is_not_found(as_role, study):
    client = as_role("monitor@A")
    response = client.get(f"/api/v1/studies/{study.registry_id}/crfs/adverse_event/rows/")
    assert response.status_code == 404


def test_investigators_audit_trail_holds_only_their_site(as_role, study, subjects):
    rows = _list(as_role("investigator@A"), study, "audit-trail/", page_size=100)
    assert rows
    assert {row["subject"] for row in rows} == {"S01-001"}


def _trail_pages(client, url):
    """Every page of the trail from `url` on, following the `next` links (older entries)."""
    pages = []
    while url:
        body = client.get(url).json()
        pages.append(body)
        url = body["next"]
    return pages


def test_the_audit_trail_pages_by_cursor_from_the_newest_entry(as_role, study, subjects):
    client = as_role("data_manager")
    url = f"/api/v1/studies/{study.registry_id}/audit-trail/"
    every = client.get(url, {"page_size": 100}).json()["results"]
    pages = _trail_pages(client, f"{url}?page_size=2")
    assert [row for page in pages for row in page["results"]] == every
    assert (pages[0]["previous"], pages[-1]["next"], len(pages)) == (
        None,
        None,
        -(-len(every) // 2),
    )


def test_the_audit_trails_previous_link_leads_to_the_newer_page(as_role, study, subjects):
    client = as_role("data_manager")
    first, second, *_rest = _trail_pages(
        client, f"/api/v1/studies/{study.registry_id}/audit-trail/?page_size=2"
    )
    back = client.get(second["previous"]).json()
    assert (back["results"], back["previous"]) == (first["results"], None)


def test_the_page_size_is_capped(as_role, study, subjects, monkeypatch):
    monkeypatch.setattr(ApiPagination, "max_page_size", 1)
    client = as_role("data_manager")
    response = client.get(f"/api/v1/studies/{study.registry_id}/subjects/?page_size=1000")
    assert (response.json()["count"], len(response.json()["results"])) == (2, 1)


def test_a_finished_export_links_its_download(as_role, study, export):
    (row,) = _list(as_role("sponsor"), study, "dataset-exports/")
    assert row["download_url"].endswith(f"/dataset-exports/{export.pk}/download/")


def test_the_download_is_the_stored_file(as_role, study, export):
    client = as_role("sponsor")
    url = f"/api/v1/studies/{study.registry_id}/dataset-exports/{export.pk}/download/"
    response = client.get(url)
    assert b"".join(response.streaming_content) == b"PK-api"


def test_a_revoked_token_is_refused(study, member):
    user = UserFactory()
    client = token_client(user)
    api_token_revoke(api_tokens_of(user).get(), actor=user)
    assert client.get("/api/v1/studies/").status_code == 401


def test_an_unknown_token_is_refused(client):
    response = client.get("/api/v1/studies/", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401


def test_a_deactivated_users_token_is_refused(study):
    user = UserFactory()
    client = token_client(user)
    user.is_active = False
    user._change_reason = "left"
    user.save()
    assert client.get("/api/v1/studies/").status_code == 401
