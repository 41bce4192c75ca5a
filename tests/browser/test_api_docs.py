"""The Swagger page of the read API renders under the strict Content-Security-Policy (no inline
script or style) and lists the API's operations from its schema."""

import pytest
from playwright.sync_api import expect

from edc.roles import Role
from tests.browser.helpers import ct1192_with_member, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "docs-Pass-2026"


def test_the_api_docs_render_with_no_policy_violation(live_server, page):
    ct1192_with_member("sponsor_docs", PASSWORD, Role.SPONSOR)
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    log_in(page, live_server.url, "sponsor_docs", PASSWORD)
    page.get_by_test_id("current-user").click()
    page.get_by_role("link", name="API documentation").click()
    expect(page.get_by_text("/api/v1/studies/{registry_id}/subjects/").first).to_be_visible()
    assert violations == []
