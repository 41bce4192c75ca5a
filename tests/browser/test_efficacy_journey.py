"""An investigator enters the Day 28 SLEDAI-2K with the physician global assessment for a
treated lupus subject, and finds DORIS remission on the casebook and on the efficacy page."""

import pytest
from playwright.sync_api import expect

from edc.roles import Role
from tests.adverse_events.journeys import infused_subject
from tests.browser.helpers import fill, log_in
from tests.edc.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "journey-Pass-2026"


@pytest.fixture
def subject(transactional_db):
    user = UserFactory(username="inv_efficacy", password=PASSWORD)
    subject = infused_subject(user)
    MembershipFactory(
        user=user, study=subject.study, study_site=subject.study_site, role=Role.INVESTIGATOR
    )
    return subject


def test_a_follow_up_sledai_with_a_low_pga_shows_doris_remission(live_server, page, subject):
    log_in(page, live_server.url, "inv_efficacy", PASSWORD)
    page.goto(f"{live_server.url}/studies/CT1192/subjects/{subject.pk}/")
    page.locator('tr[data-visit="D28"] [data-crf="sledai2k"]').click()
    fill(page, {"assessed_on": "2026-06-03", "low_complement": True, "physician_global_0_3": "0.2"})
    page.get_by_role("button", name="Save").click()

    page.goto(f"{live_server.url}/studies/CT1192/subjects/{subject.pk}/")
    expect(page.locator('tr[data-visit="D28"]')).to_contain_text("DORIS remission: met")
    page.get_by_role("link", name="Efficacy").click()
    row = page.get_by_test_id("responses-D28").locator('tr[data-definition="doris_remission"]')
    expect(row.get_by_test_id("result")).to_have_text("Met")
    expect(row).to_contain_text("PGA 0.2, must be < 0.5")
    expect(page.locator("canvas[data-chart]")).to_have_attribute("data-chart-ready", "true")
