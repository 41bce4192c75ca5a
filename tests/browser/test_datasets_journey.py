"""A sponsor exports the study's datasets in a real browser: start, follow, download, under the
Content-Security-Policy."""

import hashlib

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from edc.datasets import DatasetExport
from edc.roles import Role
from tests.browser.helpers import ct1192_with_member, log_in
from tests.edc.factories import MembershipFactory, UserFactory

User = get_user_model()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "ds-Pass-2026"


@pytest.fixture
def study(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    study = ct1192_with_member("pi_ds", PASSWORD, Role.PRINCIPAL_INVESTIGATOR)
    sponsor = UserFactory(username="sponsor_ds", password=PASSWORD)
    MembershipFactory(user=sponsor, study=study, study_site=None, role=Role.SPONSOR)
    return study


def test_a_sponsor_starts_an_export_and_downloads_the_recorded_file(live_server, page, study):
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    log_in(page, live_server.url, "sponsor_ds", PASSWORD)
    page.goto(f"{live_server.url}/studies/{study.registry_id}/")
    page.get_by_test_id("nav-datasets").click()
    page.get_by_role("button", name="Start export").click()

    expect(page.get_by_test_id("dataset-download")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("dataset-download").click()
    body = download.value.path().read_bytes()

    assert hashlib.sha256(body).hexdigest() == DatasetExport.objects.get().sha256
    assert violations == []


def test_a_running_export_draws_its_progress_bar_and_the_page_refreshes(live_server, page, study):
    DatasetExport.objects.create(
        study=study,
        requested_by=User.objects.get(username="sponsor_ds"),
        kind="analysis_csv",
        as_of=study.created_at,
        status="running",
        files_done=1,
        files_total=4,
    )
    log_in(page, live_server.url, "sponsor_ds", PASSWORD)
    page.goto(f"{live_server.url}/studies/{study.registry_id}/datasets/")

    bar = page.locator(".progress-bar")
    expect(bar).to_have_text("25%")
    assert bar.evaluate("e => e.style.width") == "25%"
    with page.expect_navigation(timeout=10_000):
        pass  # the page reloads itself while the export runs
