"""Under the Content-Security-Policy the main pages run without a single violation, and the
behaviour moved out of inline handlers (static/edc/edc.js) still works."""

import pytest
from playwright.sync_api import expect

from edc.roles import Role
from tests.browser.helpers import ct1192_with_member, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "csp-Pass-2026"


@pytest.fixture
def study(transactional_db):
    return ct1192_with_member("pi_csp", PASSWORD, Role.PRINCIPAL_INVESTIGATOR)


@pytest.fixture
def violations(page):
    """Console messages in which chromium reports a blocked script, style or image."""
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def test_main_pages_show_no_policy_violation(live_server, page, study, violations):
    log_in(page, live_server.url, "pi_csp", PASSWORD)
    base = f"{live_server.url}/studies/{study.registry_id}"
    for path in ("/", "/subjects/", "/screening-log/", "/escalation/", "/saes/"):
        page.goto(base + path)
        page.wait_for_load_state("load")
    page.goto(f"{live_server.url}/account/two-factor/enrol/")
    expect(page.get_by_test_id("totp-qr").locator("svg")).to_be_visible()
    assert violations == []


def test_the_language_menu_switches_the_page_to_chinese(live_server, page, study, violations):
    log_in(page, live_server.url, "pi_csp", PASSWORD)
    page.get_by_label("Language").select_option("zh-hans")
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    assert violations == []
