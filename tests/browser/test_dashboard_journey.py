"""The sponsor opens the study dashboard in English and in Chinese: every chart is drawn by
static/edc/charts.js (which marks its canvas data-chart-ready) under the strict CSP, with no
violation and no script error."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from edc.audit import system_user
from edc.models import Membership, StudySite
from edc.roles import Role
from edc.services.protocols import protocol_load
from followup.models import VisitInstance
from tests.adverse_events.factories import ToxicityEpisodeFactory
from tests.browser.helpers import PROTOCOL, log_in
from tests.dosing.factories import DltAssessmentFactory, InfusionFactory
from tests.edc.factories import UserFactory
from tests.followup.factories import VisitInstanceFactory
from tests.screening.factories import EligibilityDecisionFactory, ScreenFailureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "dash-Pass-2026"


@pytest.fixture
def study(transactional_db):
    """CT1192 with a sponsor at all sites, two treated subjects (one DLT, CRS of grades 1 and
    2), a missed Day-7 visit and a screen failure."""
    study = protocol_load(path=PROTOCOL, actor=system_user()).protocol_version.study
    Membership.objects.create(
        user=UserFactory(username="sponsor_dash", password=PASSWORD),
        study=study,
        role=Role.SPONSOR,
    )
    site = StudySite.objects.get(study=study)
    stratum = study.strata.get()
    on = {"subject__study_site": site, "subject__stratum": stratum}
    for grade in (1, 2):
        subject = InfusionFactory(**on).subject
        EligibilityDecisionFactory(subject=subject)
        DltAssessmentFactory(subject=subject, had_dlt=grade == 2)
        ToxicityEpisodeFactory(
            subject=subject, max_grade=grade, resolved_at=dt.datetime(2026, 4, 5, tzinfo=dt.UTC)
        )
        VisitInstanceFactory(subject=subject, state=VisitInstance.State.MISSED, missed_reason="x")
    criterion = study.protocol_versions.get().definition["eligibility"][0]["id"]
    ScreenFailureFactory(**on, failed_criteria=[criterion])
    return study


@pytest.fixture
def problems(page):
    """Console messages reporting a blocked resource, and uncaught script errors."""
    found = []
    page.on(
        "console",
        lambda m: found.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def _every_chart_drawn(page) -> int:
    canvases = page.locator("canvas[data-chart]")
    count = canvases.count()
    for i in range(count):
        expect(canvases.nth(i)).to_have_attribute("data-chart-ready", "true")
    return count


def test_the_sponsor_sees_every_chart_drawn_in_english_and_chinese(
    live_server, page, study, problems
):
    log_in(page, live_server.url, "sponsor_dash", PASSWORD)
    page.goto(f"{live_server.url}/studies/{study.registry_id}/")
    page.get_by_test_id("nav-dashboard").click()
    expect(page.get_by_role("heading", name="Study dashboard")).to_be_visible()
    # Every chart the server configured is drawn: one canvas per Chart.js configuration.
    charts = page.locator("script[type='application/json']").count()
    assert _every_chart_drawn(page) == charts >= 8
    expect(page.get_by_role("img", name="Enrolment by site")).to_be_visible()

    page.get_by_label("Language").select_option("zh-hans")
    expect(page.get_by_role("heading", name="研究仪表板")).to_be_visible()
    assert _every_chart_drawn(page) == charts
    expect(page.get_by_role("img", name="按标准统计的筛选失败")).to_be_visible()
    assert problems == []
