"""A monitor verifies a form against the source; the principal investigator signs the casebook
with the password; the casebook shows the signature with printed name, time and meaning."""

import pytest
from playwright.sync_api import expect

from edc.models import Stratum, StudySite
from edc.roles import Role
from tests.browser.helpers import ct1192_with_member, log_in
from tests.edc.factories import MembershipFactory, SubjectFactory, UserFactory
from tests.edc.review_journeys import vitals

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "journey-Pass-2026"


@pytest.fixture
def subject(transactional_db):
    study = ct1192_with_member("monitor_sdv", PASSWORD, Role.MONITOR)
    site = StudySite.objects.get(study=study)
    pi = UserFactory(username="pi_sign", password=PASSWORD, first_name="Wei", last_name="Zhang")
    MembershipFactory(user=pi, study=study, study_site=site, role=Role.PRINCIPAL_INVESTIGATOR)
    subject = SubjectFactory(study_site=site, stratum=Stratum.objects.get(study=study, code="sle"))
    vitals(subject)
    return subject


def test_the_monitor_verifies_and_the_pi_signs_the_casebook(live_server, page, subject):
    casebook = f"{live_server.url}/studies/CT1192/subjects/{subject.pk}/"
    log_in(page, live_server.url, "monitor_sdv", PASSWORD)
    page.goto(casebook)
    page.locator('[data-visit="SCR"] [data-crf="vital_signs"]').click()
    page.get_by_test_id("verify-link").click()
    page.get_by_test_id("verify-whole").click()
    expect(page.get_by_test_id("sdv-done")).to_be_visible()
    page.get_by_role("link", name="Back to the form").click()
    expect(page.get_by_test_id("sdv-state")).to_contain_text("Verified")

    page.context.clear_cookies()
    log_in(page, live_server.url, "pi_sign", PASSWORD)
    page.goto(casebook)
    page.get_by_test_id("sign-casebook").click()
    expect(page.get_by_test_id("sign-meaning")).to_contain_text(
        "I approve the data recorded in this casebook"
    )
    page.get_by_label("Your password (electronic signature)").fill(PASSWORD)
    page.get_by_test_id("sign-submit").click()
    signature = page.get_by_test_id("casebook-signature")
    expect(signature.get_by_test_id("signature-name")).to_have_text("Wei Zhang")
    expect(signature.get_by_test_id("signature-time")).to_contain_text("UTC+08:00")
    expect(signature.get_by_test_id("signature-meaning")).to_contain_text(
        "I approve the data recorded in this casebook"
    )
    expect(page.locator('[data-visit="SCR"] [data-crf="vital_signs"]')).to_have_attribute(
        "data-state", "signed"
    )
