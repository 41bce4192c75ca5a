"""An investigator enters a partner's pregnancy from the casebook, finds it on My tasks, and
follows the task to enter the pregnancy's outcome, which clears the task."""

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
    user = UserFactory(username="inv_pregnancy", password=PASSWORD)
    subject = infused_subject(user)
    MembershipFactory(
        user=user, study=subject.study, study_site=subject.study_site, role=Role.INVESTIGATOR
    )
    return subject


def test_a_pregnancy_report_and_its_outcome_open_and_close_a_task(live_server, page, subject):
    log_in(page, live_server.url, "inv_pregnancy", PASSWORD)
    page.goto(f"{live_server.url}/studies/CT1192/subjects/{subject.pk}/")
    expect(page.get_by_test_id("casebook-notes")).to_contain_text(
        "Contraception required until 2027-05-06 (1 year after infusion)"
    )
    page.locator('tr[data-visit="M3"] [data-crf="pregnancy_report"]').click()
    page.get_by_role("link", name="Add").click()
    fill(page, {"who": "partner", "lmp_date": "2026-06-25", "site_aware_at": "2026-08-04T09:00",
                "reported_on": "2026-08-04"})  # fmt: skip
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Form saved.")

    page.get_by_test_id("my-tasks-link").click()
    task = page.get_by_test_id("task-row").filter(has_text="enter the pregnancy outcome")
    expect(task).to_have_count(1)
    task.get_by_role("link", name="Open the report").click()
    outcome = {
        "outcome": "spontaneous_abortion",
        "outcome_date": "2026-09-10",
        "congenital_anomaly": "false",
        "reason": "Outcome reported by the partner",
    }
    fill(page, outcome)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Form saved.")

    page.get_by_test_id("my-tasks-link").click()
    expect(page.get_by_test_id("task-row").filter(has_text="pregnancy")).to_have_count(0)
