"""The monitoring cycle of one form in a real browser, as four people do it: the monitor raises
a query on the weight, the investigator corrects it and answers, the monitor closes the query
and verifies the form against the source, the principal investigator signs the casebook and
the data manager locks it. The subject's audit trail then shows every step, the correction with
its old and new value."""

import re

import pytest
from playwright.sync_api import expect

from edc.roles import Role
from tests.browser.helpers import fill, log_in
from tests.edc.factories import MembershipFactory, UserFactory
from tests.screening.journeys import ct1192_subject

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "monitoring-Pass-2026"
VITALS = {"measured_on": "2026-04-21", "height_cm": "162", "weight_kg": "58"}
PEOPLE = {
    "inv_m": Role.INVESTIGATOR,
    "mon_m": Role.MONITOR,
    "pi_m": Role.PRINCIPAL_INVESTIGATOR,
    "dm_m": Role.DATA_MANAGER,
}


@pytest.fixture
def subject(live_server, transactional_db):
    subject = ct1192_subject()
    for username, role in PEOPLE.items():
        user = UserFactory(username=username, password=PASSWORD, first_name=username.upper())
        site = None if role == Role.DATA_MANAGER else subject.study_site
        MembershipFactory(user=user, study=subject.study, study_site=site, role=role)
    return subject


@pytest.fixture
def as_user(browser, live_server):
    """`as_user(name)`: a logged-in page of its own for each person."""
    pages = {}

    def page_of(username):
        if username not in pages:
            context = browser.new_context(locale="en-GB", timezone_id="Asia/Shanghai")
            pages[username] = context.new_page()
            pages[username].set_default_timeout(15_000)
            log_in(pages[username], live_server.url, username, PASSWORD)
        return pages[username]

    yield page_of
    for page in pages.values():
        page.context.close()


def test_query_correction_verification_signature_and_lock_are_all_on_the_trail(
    as_user, live_server, subject
):
    base = f"{live_server.url}/studies/CT1192/subjects/{subject.pk}"
    form = f"{base}/visits/SCR/vital_signs/"
    investigator = as_user("inv_m")
    investigator.goto(form)
    fill(investigator, VITALS)
    investigator.get_by_role("button", name="Save").click()

    monitor = as_user("mon_m")
    monitor.goto(form)
    monitor.get_by_test_id("raise-query-weight_kg").click()
    monitor.get_by_label("Question").fill("Source record says 60 kg.")
    monitor.get_by_role("button", name="Raise query").click()
    expect(monitor.get_by_test_id("query-status")).to_have_text("Open")

    investigator.goto(form)
    fill(investigator, {"weight_kg": "60", "reason": "Transcription error"})
    investigator.get_by_role("button", name="Save").click()
    investigator.goto(form)
    investigator.get_by_test_id("field-query-flag").click()
    investigator.get_by_label("Step").select_option("answer")
    investigator.get_by_label("Message").fill("Corrected to 60 kg from the source.")
    investigator.get_by_test_id("query-step").click()
    expect(investigator.get_by_test_id("query-status")).to_have_text("Answered")

    monitor.reload()
    monitor.get_by_label("Step").select_option("close")
    monitor.get_by_label("Message").fill("Confirmed against the source.")
    monitor.get_by_test_id("query-step").click()
    expect(monitor.get_by_test_id("query-status")).to_have_text("Closed")
    monitor.goto(form)
    monitor.get_by_test_id("verify-link").click()
    monitor.get_by_test_id("verify-whole").click()
    expect(monitor.get_by_test_id("sdv-done")).to_be_visible()

    pi = as_user("pi_m")
    pi.goto(f"{base}/")
    pi.get_by_test_id("sign-casebook").click()
    pi.get_by_label("Your password (electronic signature)").fill(PASSWORD)
    pi.get_by_test_id("sign-submit").click()
    expect(pi.get_by_test_id("casebook-signature")).to_contain_text(
        "I approve the data recorded in this casebook"
    )

    manager = as_user("dm_m")
    manager.goto(f"{live_server.url}/studies/CT1192/")
    manager.get_by_test_id("nav-data-locks").click()
    manager.get_by_label("What to lock").select_option("subject")
    manager.get_by_label("Site").select_option(index=1)
    manager.get_by_label("Subject (subject or screening number)").fill(subject.screening_number)
    manager.get_by_label("Reason for locking").fill("Database lock for the interim analysis")
    manager.get_by_role("button", name="Lock", exact=True).click()
    expect(manager.get_by_test_id("data-lock")).to_contain_text(subject.screening_number)

    monitor.goto(f"{base}/history/")
    trail = monitor.get_by_test_id("audit-trail")
    for step in ("data lock", "signature", "source-data verification", "Query closed"):
        expect(trail).to_contain_text(step)
    weight = trail.locator("tr", has_text="weight (kg)").filter(has_text="Transcription error")
    expect(weight).to_contain_text(re.compile(r"weight \(kg\)\s*58\s*60"))
