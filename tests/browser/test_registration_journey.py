"""An investigator logs in, registers a subject and finds it in the list and its casebook."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from edc.audit import system_user
from edc.models import StudySite
from edc.roles import Role
from edc.services.protocols import protocol_load
from tests.browser.helpers import log_in
from tests.edc.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROTOCOL = Path(__file__).resolve().parents[2] / "protocols" / "ct1192.yaml"
PASSWORD = "journey-Pass-2026"


@pytest.fixture
def investigator(transactional_db):
    study = protocol_load(path=PROTOCOL, actor=system_user()).protocol_version.study
    user = UserFactory(username="inv_journey", password=PASSWORD)
    MembershipFactory(
        user=user,
        study=study,
        study_site=StudySite.objects.get(study=study),
        role=Role.INVESTIGATOR,
    )
    return user


def test_investigator_registers_a_subject_and_sees_it_in_list_and_casebook(
    live_server, page, investigator
):
    log_in(page, live_server.url, "inv_journey", PASSWORD)

    page.get_by_role("link", name="Subjects").click()
    page.get_by_role("link", name="Register subject").click()
    page.get_by_label("Stratum").select_option(
        label="Moderate to severe refractory systemic lupus erythematosus"
    )
    page.get_by_label("Sex").select_option("F")
    page.get_by_label("Date of birth").fill("1990-01-31")
    page.get_by_label("Initials").fill("LXM")
    page.get_by_label("Consent date").fill("2026-04-20")
    page.get_by_label("Consent form version").fill("ICF v1.0")
    page.get_by_role("button", name="Register subject").click()

    header = page.get_by_test_id("subject-header")
    expect(header).to_contain_text("S01-001")
    expect(page.get_by_test_id("subject-status")).to_have_text("Screening")
    expect(page.get_by_test_id("casebook-grid")).to_contain_text("Screening")

    page.get_by_role("link", name="Subjects").click()
    expect(page.get_by_test_id("subject-table")).to_contain_text("S01-001")
