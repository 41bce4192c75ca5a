"""The locking page, and how a lock shows (and holds) on the casebook, the CRF page, the subject
correction page and the admin."""

import datetime as dt

import pytest
from django.contrib.admin.sites import AdminSite
from django.test import RequestFactory
from django.urls import reverse

from edc.admin import AuditedAdmin
from edc.crfs import crf_spec
from edc.locking import DataLock, DataLocked
from edc.models import Subject
from edc.roles import Role
from edc.services.crfs import crf_create
from edc.services.locks import data_lock
from screening.models import VitalSigns
from tests.edc.factories import SubjectFactory, UserFactory
from tests.queries import query_counts

pytestmark = pytest.mark.django_db

VITALS = {"measured_on": "2026-03-02", "height_cm": "175", "weight_kg": "70"}


@pytest.fixture
def subject(site_a, stratum):
    return SubjectFactory(study_site=site_a, stratum=stratum)


@pytest.fixture
def data_manager(member):
    return member(Role.DATA_MANAGER, first_name="Dana", last_name="Manager")


@pytest.fixture
def investigator(client, site_a, member):
    client.force_login(member(Role.INVESTIGATOR, study_site=site_a))
    return client


def _crf_url(subject, crf="vital_signs"):
    return reverse("edc:crf", args=[subject.study.registry_id, subject.pk, "SCR", crf])


def _lock(subject, data_manager, scope="subject", **target):
    return data_lock(
        study=subject.study,
        scope=scope,
        study_site=subject.study_site,
        subject=subject,
        actor=data_manager,
        reason="Interim analysis",
        **target,
    )


def _vitals(subject):
    return crf_create(
        spec=crf_spec("vital_signs"),
        subject=subject,
        visit_code="SCR",
        data={"measured_on": dt.date(2026, 3, 2), "height_cm": 175, "weight_kg": 70},
        actor=UserFactory(),
    )


def test_data_manager_locks_a_subject_on_the_locking_page(client, subject, data_manager):
    client.force_login(data_manager)
    url = reverse("edc:data-locks", args=[subject.study.registry_id])
    response = client.post(
        url,
        {
            "scope": "subject",
            "study_site": subject.study_site_id,
            "subject_number": subject.screening_number,
            "reason": "Interim analysis",
        },
    )
    assert response.status_code == 302
    lock = DataLock.objects.get()
    assert (lock.scope, lock.subject, lock.locked_by) == ("subject", subject, data_manager)


def test_locking_page_refuses_a_lock_without_a_reason(client, subject, data_manager):
    client.force_login(data_manager)
    url = reverse("edc:data-locks", args=[subject.study.registry_id])
    response = client.post(url, {"scope": "site", "study_site": subject.study_site_id})
    assert "reason" in response.context["form"].errors
    assert not DataLock.objects.exists()


def test_unlock_page_lifts_the_lock_with_its_reason(client, subject, data_manager):
    lock = _lock(subject, data_manager)
    client.force_login(data_manager)
    url = reverse("edc:data-unlock", args=[subject.study.registry_id, lock.pk])
    client.post(url, {"reason": "Late lab result to enter"})
    lock.refresh_from_db()
    assert (lock.unlocked_by, lock.unlock_reason) == (data_manager, "Late lab result to enter")


def test_the_list_of_locks_runs_the_same_queries_for_few_and_many(
    client, site_a, stratum, data_manager
):
    def add(n):
        for _i in range(n):
            _lock(SubjectFactory(study_site=site_a, stratum=stratum), data_manager)

    client.force_login(data_manager)
    counts = query_counts(client, reverse("edc:data-locks", args=[site_a.study.registry_id]), add)
    assert counts[0] == counts[1]


def test_casebook_shows_the_lock_banner_and_locked_cells(investigator, subject, data_manager):
    _vitals(subject)
    _lock(subject, data_manager)
    page = investigator.get(
        reverse("edc:subject-detail", args=[subject.study.registry_id, subject.pk])
    )
    html = page.content.decode()
    assert "Casebook locked" in html
    assert "locked by Dana Manager" in html
    cell = next(c for row in page.context["grid"] for c in row.cells if c.crf_code == "vital_signs")
    assert cell.state == "locked"


def test_visit_lock_marks_the_visit_row(investigator, subject, data_manager):
    _lock(subject, data_manager, scope="visit", visit_code="SCR")
    page = investigator.get(
        reverse("edc:subject-detail", args=[subject.study.registry_id, subject.pk])
    )
    rows = {row.visit_code: row.lock for row in page.context["grid"]}
    assert rows["SCR"] is not None
    assert rows["D7"] is None


def test_locked_crf_page_is_read_only_with_the_lock_message(investigator, subject, data_manager):
    _vitals(subject)
    _lock(subject, data_manager)
    page = investigator.get(_crf_url(subject))
    assert not page.context["can_edit"]
    assert "ask the data manager to unlock it" in page.context["lock_message"]


def test_correction_on_the_locked_crf_page_is_refused(investigator, subject, data_manager):
    _vitals(subject)
    _lock(subject, data_manager)
    response = investigator.post(
        _crf_url(subject),
        {**VITALS, "weight_kg": "72", "row_version": 1, "reason": "Scale"},
        follow=True,
    )
    assert "This form is locked" in response.content.decode()
    assert VitalSigns.objects.get().weight_kg == 70


def test_entry_on_the_crf_page_of_a_locked_visit_is_refused(investigator, subject, data_manager):
    _lock(subject, data_manager, scope="visit", visit_code="SCR")
    response = investigator.post(_crf_url(subject), VITALS, follow=True)
    assert "This form is locked" in response.content.decode()
    assert not VitalSigns.objects.exists()


def test_subject_correction_page_shows_the_lock_and_saves_nothing(
    investigator, subject, data_manager
):
    _lock(subject, data_manager)
    url = reverse("edc:subject-correct", args=[subject.study.registry_id, subject.pk])
    response = investigator.post(
        url,
        {
            "stratum": subject.stratum_id,
            "sex": subject.sex,
            "date_of_birth": subject.date_of_birth.isoformat(),
            "initials": "XYZ",
            "consent_date": subject.consent_date.isoformat(),
            "consent_version": subject.consent_version,
            "version": subject.row_version,
            "reason": "Transcription error",
        },
    )
    assert "This form is locked" in response.content.decode()
    subject.refresh_from_db()
    assert subject.initials == "ABC"


def test_admin_save_of_a_locked_row_is_refused(subject, data_manager):
    """No subject-owned model is editable in the admin today; its audited save path would be
    refused all the same."""
    _lock(subject, data_manager)
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    model_admin = AuditedAdmin(Subject, AdminSite())
    form = model_admin.get_form(request, subject, change=True)(
        instance=subject, data={"initials": "XYZ"}
    )
    form.cleaned_data = {"reason": "Typo", "expected_version": subject.row_version}
    form.changed_data  # noqa: B018 - computed before the change, as the admin does
    subject.initials = "XYZ"
    with pytest.raises(DataLocked):
        model_admin.save_model(request, subject, form, change=True)
    assert Subject.objects.get(pk=subject.pk).initials == "ABC"
