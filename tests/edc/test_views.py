"""Core pages: what a user sees and what bad input does (a clear error, nothing saved)."""

import datetime as dt

import pytest
from django.urls import reverse

from edc.audit import audited_update
from edc.models import Subject, UserPreference
from edc.roles import Role
from tests.edc.factories import SubjectFactory


@pytest.fixture
def investigator(client, site_a, member):
    user = member(Role.INVESTIGATOR, study_site=site_a, username="inv_a")
    client.force_login(user)
    return user


def _registration(site, stratum, **overrides):
    return {
        "study_site": site.pk,
        "stratum": stratum.pk,
        "sex": "F",
        "date_of_birth": "1990-01-31",
        "initials": "LXM",
        "consent_date": "2026-04-20",
        "consent_version": "ICF v1.0",
        **overrides,
    }


def test_registration_redirects_to_the_new_casebook(client, study, site_a, stratum, investigator):
    url = reverse("edc:subject-register", args=[study.registry_id])
    response = client.post(url, _registration(site_a, stratum), follow=True)
    subject = Subject.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "edc:subject-detail", args=[study.registry_id, subject.pk]
    )
    assert "S01-001" in response.content.decode()


def test_registration_with_a_future_consent_shows_the_error_and_saves_nothing(
    client, study, site_a, stratum, investigator
):
    url = reverse("edc:subject-register", args=[study.registry_id])
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client.post(url, _registration(site_a, stratum, consent_date=future))
    assert response.status_code == 200
    assert "The consent date is in the future." in response.content.decode()
    assert not Subject.objects.exists()


def test_registration_at_another_sites_number_is_refused(
    client, study, site_a, site_b, stratum, investigator
):
    url = reverse("edc:subject-register", args=[study.registry_id])
    response = client.post(url, _registration(site_b, stratum))
    assert "Select a valid choice" in response.content.decode()
    assert not Subject.objects.exists()


def test_registration_keeps_the_typed_values_after_an_error(
    client, study, site_a, stratum, investigator
):
    url = reverse("edc:subject-register", args=[study.registry_id])
    response = client.post(url, _registration(site_a, stratum, initials="1", consent_version="X9"))
    assert 'value="X9"' in response.content.decode()


@pytest.fixture
def subject(site_a, stratum):
    return SubjectFactory(study_site=site_a, stratum=stratum)


def _correction(subject, **overrides):
    return {
        "stratum": subject.stratum_id,
        "sex": subject.sex,
        "date_of_birth": subject.date_of_birth.isoformat(),
        "initials": "XYZ",
        "consent_date": subject.consent_date.isoformat(),
        "consent_version": subject.consent_version,
        "version": subject.row_version,
        "reason": "Transcription error",
        **overrides,
    }


def test_correction_without_reason_is_refused_at_the_field(client, study, subject, investigator):
    url = reverse("edc:subject-correct", args=[study.registry_id, subject.pk])
    response = client.post(url, _correction(subject, reason=""))
    assert response.context["form"].errors["reason"] == ["This field is required."]
    subject.refresh_from_db()
    assert subject.initials == "ABC"


def test_stale_correction_shows_a_clear_message_and_saves_nothing(
    client, study, subject, investigator
):
    url = reverse("edc:subject-correct", args=[study.registry_id, subject.pk])
    client.post(url, _correction(subject, initials="FRST"))
    response = client.post(url, _correction(subject, initials="LATE"))
    assert "Someone else changed this record" in response.content.decode()
    subject.refresh_from_db()
    assert subject.initials == "FRST"


def test_audit_trail_page_shows_old_new_who_and_why(client, study, subject, investigator):
    url = reverse("edc:subject-correct", args=[study.registry_id, subject.pk])
    client.post(url, _correction(subject))
    page = client.get(reverse("edc:subject-history", args=[study.registry_id, subject.pk]))
    row = next(r for r in page.context["page"] if r.reason == "Transcription error")
    assert (row.user, list(row.changes)) == ("inv_a", [("initials", "ABC", "XYZ")])


def test_subject_list_filters_by_status(client, study, site_a, stratum, investigator):
    SubjectFactory(study_site=site_a, stratum=stratum, screening_number="S01-101")
    SubjectFactory(
        study_site=site_a, stratum=stratum, screening_number="S01-102", status="screen_failed"
    )
    url = reverse("edc:subject-list", args=[study.registry_id])
    page = client.get(url, {"status": "screen_failed"}).content.decode()
    assert "S01-102" in page
    assert "S01-101" not in page


def test_subject_list_searches_by_number(client, study, site_a, stratum, investigator):
    for n in (201, 202):
        SubjectFactory(study_site=site_a, stratum=stratum, screening_number=f"S01-{n}")
    page = client.get(reverse("edc:subject-list", args=[study.registry_id]), {"q": "202"})
    assert [s.screening_number for s in page.context["page"]] == ["S01-202"]


def test_subject_list_paginates_at_25(client, study, site_a, stratum, investigator):
    SubjectFactory.create_batch(30, study_site=site_a, stratum=stratum)
    url = reverse("edc:subject-list", args=[study.registry_id])
    assert len(client.get(url).context["page"]) == 25
    assert len(client.get(url, {"page": 2}).context["page"]) == 5


def test_study_home_counts_enrolment_against_targets(client, study, site_a, stratum, investigator):
    SubjectFactory(study_site=site_a, stratum=stratum, status="enrolled")
    SubjectFactory(study_site=site_a, stratum=stratum)
    response = client.get(reverse("edc:study-home", args=[study.registry_id]))
    row = response.context["by_site"][0]
    assert (row.screened, row.enrolled, row.target, row.percent) == (2, 1, 6, 17)


def test_casebook_lists_the_protocol_visits_with_windows(client, study, subject, investigator):
    response = client.get(reverse("edc:subject-detail", args=[study.registry_id, subject.pk]))
    screening, day7 = response.context["grid"]
    assert (screening.visit_code, screening.window.latest) == ("SCR", dt.date(2026, 3, 29))
    assert (day7.day_label, day7.window) == ("D+7", None)


def test_language_choice_is_kept_per_user(client, investigator):
    client.post(reverse("edc:language-set"), {"language": "zh-hans", "next": "/"})
    assert UserPreference.objects.get(user=investigator).language == "zh-hans"


def test_language_switch_ignores_an_offsite_next(client, investigator):
    response = client.post(
        reverse("edc:language-set"), {"language": "en", "next": "https://evil.example"}
    )
    assert response.url == "/"


def test_study_list_redirects_a_single_study_member_to_the_study(client, study, investigator):
    response = client.get(reverse("edc:study-list"))
    assert response.url == reverse("edc:study-home", args=[study.registry_id])


def test_a_refused_registration_opens_with_a_summary_linking_to_the_field(
    client, study, site_a, stratum, investigator
):
    url = reverse("edc:subject-register", args=[study.registry_id])
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    html = client.post(url, _registration(site_a, stratum, consent_date=future)).content.decode()
    assert "data-error-summary" in html
    assert 'href="#id_consent_date"' in html


def test_study_home_shows_the_chinese_title_and_strata_to_a_chinese_user(
    client, study, stratum, investigator
):
    for row, field, chinese in (
        (study, "short_title_zh", "测试研究"),
        (stratum, "name_zh", "狼疮"),
    ):
        audited_update(
            row,
            actor=investigator,
            reason="Chinese",
            changes={field: chinese},
            expected_version=None,
        )
    client.force_login(investigator)
    client.post(reverse("edc:language-set"), {"language": "zh-hans", "next": "/"})
    response = client.get(reverse("edc:study-home", args=[study.registry_id]))
    assert '<h1 class="h3">测试研究</h1>' in response.content.decode()
    assert [row.label for row in response.context["by_stratum"]] == ["狼疮"]
