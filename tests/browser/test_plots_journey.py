"""A sponsor opens a subject's kinetics page from the casebook and the study's swimmer plot from
the study home: Chart.js draws every canvas under the Content-Security-Policy."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from adverse_events.models import ToxicityEpisode
from edc.audit import system_user
from edc.models import Stratum, StudySite
from edc.roles import Role
from edc.services.protocols import protocol_load
from tests.adverse_events.journeys import DAY0, at
from tests.browser.helpers import PROTOCOL, log_in
from tests.edc.factories import MembershipFactory, SubjectFactory, UserFactory
from tests.followup.test_kinetics_selector import b_cells, igg, kinetics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "plots-Pass-2026"


@pytest.fixture
def subject(transactional_db):
    study = protocol_load(path=PROTOCOL, actor=system_user()).protocol_version.study
    MembershipFactory(
        user=UserFactory(username="sponsor_plots", password=PASSWORD),
        study=study,
        role=Role.SPONSOR,
    )
    subject = SubjectFactory(
        study_site=StudySite.objects.get(study=study),
        stratum=Stratum.objects.filter(study=study).first(),
        consent_date=DAY0 - dt.timedelta(days=20),
        day0_date=DAY0,
    )
    for day, copies in ((1, "900"), (7, "45000"), (14, "8000"), (60, None)):
        kinetics(subject, day, copies)
    for day, count in ((7, None), (28, "2.4"), (60, "36")):
        b_cells(subject, day, count)
    igg(subject, 28, "3.6")
    ToxicityEpisode.objects.create(
        subject=subject, kind="crs", onset_at=at(1), resolved_at=at(3), max_grade=2
    )
    return subject


@pytest.fixture
def violations(page):
    found = []
    page.on(
        "console",
        lambda m: found.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return found


def _drawn(page, count):
    charts = page.locator("canvas[data-chart]")
    expect(charts).to_have_count(count)
    for i in range(count):
        expect(charts.nth(i)).to_have_attribute("data-chart-ready", "true")


def test_the_sponsor_sees_the_kinetics_and_the_swimmer_plot_drawn(
    live_server, page, subject, violations
):
    log_in(page, live_server.url, "sponsor_plots", PASSWORD)
    base = f"{live_server.url}/studies/{subject.study.registry_id}"
    page.goto(f"{base}/subjects/{subject.pk}/")
    page.get_by_test_id("kinetics-link").click()
    expect(page.get_by_test_id("nca-table")).to_contain_text("45,000")
    _drawn(page, 2)
    page.goto(f"{base}/")
    page.get_by_test_id("home-swimmer").click()
    _drawn(page, 1)
    assert violations == []
