"""A monitor raises a query on a vital-signs weight, the investigator corrects the weight and
answers, the monitor closes it; the subject's audit trail shows the query and the correction."""

import re

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
def subject(live_server, transactional_db):
    subject = ct1192_subject()
    for username, role in (("inv_q", Role.INVESTIGATOR), ("mon_q", Role.MONITOR)):
        user = UserFactory(username=username, password=PASSWORD)
        MembershipFactory(user=user, study=subject.study, study_site=subject.study_site, role=role)
    return subject


@pytest.fixture
def monitor_page(browser):
    context = browser.new_context(locale="en-GB", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_query_is_raised_answered_with_a_correction_and_closed(
    page, monitor_page, live_server, subject
):
    base = f"{live_server.url}/studies/CT1192/subjects/{subject.pk}"
    log_in(page, live_server.url, "inv_q", PASSWORD)
    page.goto(f"{base}/visits/SCR/vital_signs/")
    fill(page, VITALS)
    page.get_by_role("button", name="Save").click()

    log_in(monitor_page, live_server.url, "mon_q", PASSWORD)
    monitor_page.goto(f"{base}/visits/SCR/vital_signs/")
    monitor_page.get_by_test_id("raise-query-weight_kg").click()
    monitor_page.get_by_label("Question").fill("Source record says 60 kg.")
    monitor_page.get_by_role("button", name="Raise query").click()
    expect(monitor_page.get_by_test_id("query-status")).to_have_text("Open")

    page.goto(f"{base}/visits/SCR/vital_signs/")
    expect(page.get_by_test_id("open-query-count")).to_have_text("1")
    fill(page, {"weight_kg": "60", "reason": "Transcription error"})
    page.get_by_role("button", name="Save").click()
    page.goto(f"{base}/visits/SCR/vital_signs/")
    page.get_by_test_id("field-query-flag").click()
    page.get_by_label("Step").select_option("answer")
    page.get_by_label("Message").fill("Corrected to 60 kg from the source.")
    page.get_by_test_id("query-step").click()
    expect(page.get_by_test_id("query-status")).to_have_text("Answered")

    monitor_page.reload()
    monitor_page.get_by_label("Step").select_option("close")
    monitor_page.get_by_label("Message").fill("Confirmed against the source.")
    monitor_page.get_by_test_id("query-step").click()
    expect(monitor_page.get_by_test_id("query-status")).to_have_text("Closed")
    expect(monitor_page.get_by_test_id("query-thread")).to_contain_text("Corrected to 60 kg")

    monitor_page.goto(f"{base}/history/")
    trail = monitor_page.get_by_test_id("audit-trail")
    expect(trail).to_contain_text("Query closed")
    weight = trail.locator("tr", has_text="weight (kg)").filter(has_text="Transcription error")
    expect(weight).to_contain_text(re.compile(r"weight \(kg\)\s*58\s*60"))
