"""An investigator logs in, registers a subject and finds it in the list and its casebook."""

import pytest
from playwright.sync_api import expect

from edc.roles import Role
from tests.browser.helpers import ct1192_with_member, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "journey-Pass-2026"


@pytest.fixture
def investigator(transactional_db):
    return ct1192_with_member("inv_journey", PASSWORD, Role.INVESTIGATOR)


def test_investigator_registers_a_subject_and_sees_it_in_list_and_casebook(
    live_server, page, investigator
):
    log_in(page, live_server.url, "inv_journey", PASSWORD)

    page.get_by_role("link", name="Subjects", exact=True).first.click()
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

    page.get_by_role("link", name="Subjects", exact=True).first.click()
    expect(page.get_by_test_id("subject-table")).to_contain_text("S01-001")
