"""A saved form shows what was derived from it; a refused one moves focus to its errors."""

import pytest
from playwright.sync_api import expect

from edc.roles import Role
from tests.browser.helpers import fill, log_in
from tests.edc.factories import MembershipFactory, UserFactory
from tests.screening.journeys import ct1192_subject

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "journey-Pass-2026"
VITALS = {"measured_on": "2026-04-21", "height_cm": "162", "weight_kg": "58"}


@pytest.fixture
def base(live_server, page, transactional_db):
    subject = ct1192_subject()
    user = UserFactory(username="inv_forms", password=PASSWORD)
    MembershipFactory(
        user=user, study=subject.study, study_site=subject.study_site, role=Role.INVESTIGATOR
    )
    log_in(page, live_server.url, "inv_forms", PASSWORD)
    return f"{live_server.url}/studies/CT1192/subjects/{subject.pk}/visits/SCR"


def test_a_saved_lab_panel_shows_si_values_and_flags(page, base):
    page.goto(f"{base}/lab_panel/")
    fill(
        page,
        {"collected_on": "2026-04-21", "alt__value": "120.0", "alt__lln": "7", "alt__uln": "40"},
    )
    page.get_by_role("button", name="Save").click()
    page.goto(f"{base}/lab_panel/")
    expect(page.get_by_test_id("derived-values")).to_contain_text("High · 3 × ULN")
    expect(page.locator('[name="alt__value"]')).to_have_value("120")


def test_a_refused_form_moves_focus_to_its_errors_and_links_to_the_field(page, base):
    page.goto(f"{base}/vital_signs/")
    fill(page, {**VITALS, "systolic_bp_mmhg": "60", "diastolic_bp_mmhg": "120"})
    page.get_by_role("button", name="Save").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Diastolic BP (mmHg)").click()
    expect(page.locator('[name="diastolic_bp_mmhg"]')).to_be_focused()
