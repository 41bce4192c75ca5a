"""An investigator reminded of visits logs in, sees the count in the navigation bar, opens My
tasks and follows a task to the subject's schedule."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from edc.roles import Role
from followup.models import VisitInstance
from followup.reminders import visit_reminders_send
from tests.adverse_events.journeys import infused_subject
from tests.browser.helpers import log_in
from tests.edc.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "journey-Pass-2026"


@pytest.fixture
def subject(transactional_db):
    """An infused subject (Day 0 in May 2026): by today its first visits are overdue."""
    user = UserFactory(username="inv_tasks", password=PASSWORD, email="inv@changhai.cn")
    subject = infused_subject(user)
    MembershipFactory(
        user=user, study=subject.study, study_site=subject.study_site, role=Role.INVESTIGATOR
    )
    visit_reminders_send(now=timezone.now())
    return subject


def test_the_nav_badge_counts_the_tasks_and_my_tasks_leads_to_the_schedule(
    live_server, page, subject
):
    open_visits = VisitInstance.objects.filter(subject=subject, reminders__isnull=False).distinct()
    log_in(page, live_server.url, "inv_tasks", PASSWORD)
    expect(page.get_by_test_id("task-count")).to_have_text(str(open_visits.count()))
    page.get_by_test_id("my-tasks-link").click()
    expect(page.get_by_role("heading", name="My tasks")).to_be_visible()
    rows = page.get_by_test_id("task-row")
    expect(rows).to_have_count(min(open_visits.count(), 25))
    expect(rows.first).to_contain_text("Overdue")
    rows.first.get_by_role("link", name="Open schedule").click()
    expect(page).to_have_url(f"{live_server.url}/studies/CT1192/subjects/{subject.pk}/schedule/")
