"""The data manager locks a subject's casebook in a real browser; the investigator then finds
the casebook marked locked and the form read-only with the lock message."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from edc.crfs import crf_spec
from edc.models import Stratum, StudySite
from edc.roles import Role
from edc.services.crfs import crf_create
from tests.browser.helpers import ct1192_with_member, log_in
from tests.edc.factories import MembershipFactory, SubjectFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "lock-Pass-2026"


@pytest.fixture
def subject(transactional_db):
    study = ct1192_with_member("inv_lock", PASSWORD, Role.INVESTIGATOR)
    manager = UserFactory(username="dm_lock", password=PASSWORD, first_name="Dana")
    MembershipFactory(user=manager, study=study, study_site=None, role=Role.DATA_MANAGER)
    subject = SubjectFactory(
        study_site=StudySite.objects.get(study=study),
        stratum=Stratum.objects.filter(study=study).first(),
        screening_number="S01-900",
    )
    crf_create(
        spec=crf_spec("vital_signs"),
        subject=subject,
        visit_code="SCR",
        data={"measured_on": dt.date(2026, 3, 2), "height_cm": 175, "weight_kg": 70},
        actor=manager,
    )
    return subject


def test_data_manager_locks_a_casebook_and_the_investigator_sees_it_read_only(
    live_server, browser, subject
):
    manager = browser.new_page()
    log_in(manager, live_server.url, "dm_lock", PASSWORD)
    manager.goto(f"{live_server.url}/studies/CT1192/")
    manager.get_by_test_id("nav-data-locks").click()
    manager.get_by_label("What to lock").select_option("subject")
    manager.get_by_label("Site").select_option(index=1)
    manager.get_by_label("Subject (subject or screening number)").fill("S01-900")
    manager.get_by_label("Reason for locking").fill("Interim analysis")
    manager.get_by_role("button", name="Lock", exact=True).click()
    expect(manager.get_by_test_id("data-lock")).to_contain_text("casebook of S01-900")

    investigator = browser.new_page()
    log_in(investigator, live_server.url, "inv_lock", PASSWORD)
    investigator.goto(f"{live_server.url}/studies/CT1192/subjects/{subject.pk}/")
    expect(investigator.get_by_test_id("casebook-locked")).to_contain_text("Casebook locked")
    investigator.locator('[data-visit="SCR"] [data-crf="vital_signs"]').click()
    expect(investigator.get_by_test_id("form-locked")).to_contain_text(
        "ask the data manager to unlock it"
    )
    expect(investigator.get_by_label("Weight (kg)")).to_be_disabled()
    expect(investigator.get_by_role("button", name="Save")).to_have_count(0)
