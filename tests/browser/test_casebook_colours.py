"""The casebook's colours show in a real browser: a complete form is green, a missing one red,
and the legend uses the same colours (Bootstrap's light badge once painted them all black on
light grey)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from edc.audit import system_user
from edc.models import Subject
from edc.roles import Role
from tests.browser.helpers import ct1192_with_member, log_in
from tests.screening.journeys import CONSENT, ct1192_subject, screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "journey-Pass-2026"
GREEN, RED_SUBTLE = "rgb(25, 135, 84)", "rgb(248, 215, 218)"  # Bootstrap 5.3 success, danger-subtle


@pytest.fixture
def subject(transactional_db):
    ct1192_with_member("inv_colours", PASSWORD, Role.INVESTIGATOR)
    return screen(ct1192_subject(), system_user())


def _background(locator) -> str:
    return locator.evaluate("e => getComputedStyle(e).backgroundColor")


def test_complete_and_missing_forms_show_their_colours_and_the_legend_matches(
    live_server, page, subject: Subject
):
    assert subject.consent_date == CONSENT  # screening closed long ago: unentered forms missing
    log_in(page, live_server.url, "inv_colours", PASSWORD)
    page.goto(live_server.url + reverse("edc:subject-detail", args=["CT1192", subject.pk]))
    screening = page.locator('tr[data-visit="SCR"]')
    vitals = screening.locator('[data-crf="vital_signs"]')
    demographics = screening.locator('[data-crf="demographics"]')
    expect(vitals).to_have_attribute("data-state", "complete")
    expect(demographics).to_have_attribute("data-state", "missing")
    assert (_background(vitals), _background(demographics)) == (GREEN, RED_SUBTLE)
    legend = page.get_by_test_id("casebook-legend")
    assert _background(legend.locator(".cb-complete")) == GREEN
    assert _background(legend.locator(".cb-missing")) == RED_SUBTLE
