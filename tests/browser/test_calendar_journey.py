"""An investigator opens the site calendar from the navigation, filters it to one visit and
switches to the month grid, where today's visit sits on today's cell."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from edc.models import Stratum, StudySite
from edc.roles import Role
from followup.selectors import site_local_date
from tests.browser.helpers import ct1192_with_member, log_in
from tests.edc.factories import SubjectFactory
from tests.followup.factories import VisitInstanceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "journey-Pass-2026"


@pytest.fixture
def today(transactional_db) -> dt.date:
    """Two subjects at the CT1192 site, 14 days after Day 0: Day 7 late, Day 14 due today,
    Day 21 next week."""
    study = ct1192_with_member("inv_calendar", PASSWORD, Role.INVESTIGATOR)
    site = StudySite.objects.get(study=study)
    today = site_local_date(site, timezone.now())
    for number in (1, 2):
        subject = SubjectFactory(
            study_site=site,
            stratum=Stratum.objects.get(study=study),
            subject_identifier=f"CT1192-01-00{number}",
        )
        for code, day in (("D7", 7), ("D14", 14), ("D21", 21)):
            VisitInstanceFactory(
                subject=subject, visit_code=code, target_date=today + dt.timedelta(day - 14)
            )
    return today


def test_the_calendar_filters_and_shows_the_month(live_server, page, today):
    log_in(page, live_server.url, "inv_calendar", PASSWORD)
    page.goto(f"{live_server.url}/studies/CT1192/")
    page.get_by_test_id("nav-calendar").click()
    expect(page.get_by_test_id("overdue-count")).to_have_text("2 overdue visits")
    rows = page.locator("[data-testid=calendar-list] tr[data-visit]")
    expect(rows).to_have_count(6)

    page.get_by_label("Visit").select_option("D14")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(2)
    expect(page.locator("tr[data-visit=D14] [data-testid=visit-status]").first).to_have_text(
        "Due (in window)"
    )

    page.get_by_test_id("month-view-link").click()
    expect(page.get_by_test_id("month-title")).to_have_text(f"{today:%B %Y}")
    cell = page.locator(f"td[data-day='{today.isoformat()}']")
    expect(cell.get_by_test_id("today")).to_be_visible()
    expect(cell.locator("[data-visit=D14]")).to_have_count(2)
    expect(page.locator("[data-visit=D7]")).to_have_count(0)  # the visit filter holds

    page.get_by_test_id("next-month").click()
    following = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    expect(page.get_by_test_id("month-title")).to_have_text(f"{following:%B %Y}")
