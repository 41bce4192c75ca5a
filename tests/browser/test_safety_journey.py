"""An investigator enters a CRS episode whose grade rises from 1 to 3 and lasts beyond 72 hours,
and sees the maximum grade and the DLT candidate on the safety timeline."""

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
    user = UserFactory(username="inv_safety", password=PASSWORD)
    subject = infused_subject(user)
    MembershipFactory(
        user=user, study=subject.study, study_site=subject.study_site, role=Role.INVESTIGATOR
    )
    return subject


def _assess(page, when: str, **values: str | bool) -> None:
    fill(page, {"assessed_at": when, **values})
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_role("alert")).to_contain_text("Saved.")


def test_crs_rising_to_grade_3_shows_the_maximum_and_the_dlt_candidate(live_server, page, subject):
    log_in(page, live_server.url, "inv_safety", PASSWORD)
    page.goto(f"{live_server.url}/studies/CT1192/subjects/{subject.pk}/safety/")
    fill(page, {"kind": "crs", "onset_at": "2026-05-07T08:00"})
    page.get_by_role("button", name="Open an episode").click()

    _assess(page, "2026-05-07T08:00", temperature_c="38.4")
    expect(page.get_by_test_id("episode-max-grade")).to_have_text("1")
    _assess(page, "2026-05-08T02:00", temperature_c="39.6", hypotension=True, vasopressors="1",
            oxygen_device="facemask")  # fmt: skip
    expect(page.get_by_test_id("episode-max-grade")).to_have_text("3")
    _assess(page, "2026-05-11T06:00", temperature_c="39.0", hypotension=True, vasopressors="1",
            oxygen_device="facemask")  # fmt: skip

    page.get_by_role("link", name="Back to the safety timeline").click()
    expect(page.get_by_test_id("episodes")).to_contain_text("3")
    expect(page.get_by_test_id("dlt-candidates")).to_contain_text("dlt-crs")
