"""An investigator opens the schedule from the casebook, records Day 7 two days late (a protocol
deviation with a warning), adds an unscheduled visit, and finds both where they belong."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from edc.roles import Role
from followup.models import VisitInstance
from tests.adverse_events.journeys import infused_subject
from tests.browser.helpers import fill, log_in
from tests.edc.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "journey-Pass-2026"


@pytest.fixture
def subject(transactional_db):
    user = UserFactory(username="inv_visits", password=PASSWORD)
    subject = infused_subject(user)
    MembershipFactory(
        user=user, study=subject.study, study_site=subject.study_site, role=Role.INVESTIGATOR
    )
    return subject


def test_a_late_visit_and_an_unscheduled_one(live_server, page, subject):
    d7 = VisitInstance.objects.get(subject=subject, visit_code="D7")
    log_in(page, live_server.url, "inv_visits", PASSWORD)
    page.goto(f"{live_server.url}/studies/CT1192/subjects/{subject.pk}/")
    page.get_by_role("link", name="Visit schedule").click()
    page.locator('tr[data-visit="D7"]').get_by_role("link", name="Record").click()
    fill(page, {"done-done_on": str(d7.window_end + dt.timedelta(days=2))})
    page.get_by_role("button", name="Mark done").click()
    expect(page.get_by_role("alert").nth(1)).to_contain_text("2 days late")
    expect(page.locator('tr[data-visit="D7"]')).to_contain_text("Done")

    page.get_by_test_id("add-unscheduled").click()
    fill(page, {"visit_date": "2026-05-18", "reason": "Fever at home"})
    page.get_by_label("Vital signs").check()
    page.get_by_role("button", name="Add the visit").click()
    expect(page.get_by_test_id("unscheduled-visits")).to_contain_text("Fever at home")

    page.goto(f"{live_server.url}/studies/CT1192/deviations/")
    expect(page.get_by_test_id("deviation-table")).to_contain_text("2 days late")
