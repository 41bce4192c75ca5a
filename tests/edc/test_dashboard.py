"""The study dashboard page (edc/views.py `study_dashboard`, edc/dashboards.py): the panels the
apps register, drawn as Chart.js canvases with their tables, a site filter for those who see
several sites, links from the study home and the navigation, and a constant number of queries
whatever the number of subjects."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from edc.dashboards import Panel, register_dashboard_panel
from edc.roles import Role
from followup.models import VisitInstance
from tests.adverse_events.factories import ToxicityEpisodeFactory
from tests.dashboard_panels import dashboard_url
from tests.dosing.factories import DltAssessmentFactory, InfusionFactory
from tests.edc.query_helpers import raise_query
from tests.followup.factories import VisitInstanceFactory
from tests.queries import query_counts
from tests.screening.factories import EligibilityDecisionFactory, ScreenFailureFactory

pytestmark = pytest.mark.django_db

PANELS = [
    "enrolment",
    "screen_failures",
    "dose_levels",
    "crs_timing",
    "visit_compliance",
    "swimmer",
    "kinetics",
    "query_ageing",
]


def _codes(response) -> list[str]:
    return [p.code for p in response.context["panels"]]


def test_the_dashboard_shows_every_registered_panel_in_order(client, member, study):
    client.force_login(member(Role.SPONSOR))
    assert _codes(client.get(dashboard_url(study))) == PANELS


def test_every_chart_is_a_canvas_with_its_configuration_beside_it(client, member, study):
    client.force_login(member(Role.SPONSOR))
    response = client.get(dashboard_url(study))
    html = response.content.decode()
    charts = [c for p in response.context["panels"] for c in p.charts]
    assert len(charts) == 9
    for chart in charts:
        assert f'<canvas data-chart="{chart.id}" role="img"' in html
        assert f'<script id="{chart.id}" type="application/json">' in html
    assert "chart.umd.min.js" in html
    assert "edc/charts.js" in html


def test_every_chart_has_a_table_of_its_numbers_beneath(client, member, study):
    client.force_login(member(Role.SPONSOR))
    for p in client.get(dashboard_url(study)).context["panels"]:
        assert p.tables, p.code


def test_a_panel_code_cannot_be_registered_twice_with_another_builder():
    with pytest.raises(ValueError, match="already registered"):
        register_dashboard_panel("enrolment", lambda scope: Panel("x", "x"), order=10)


def test_the_site_filter_is_offered_to_whom_sees_several_sites(
    client, member, study, site_a, site_b
):
    client.force_login(member(Role.DATA_MANAGER))
    assert b'data-testid="dashboard-filter"' in client.get(dashboard_url(study)).content


def test_no_site_filter_for_whom_sees_one_site(client, member, study, site_a, site_b):
    client.force_login(member(Role.INVESTIGATOR, study_site=site_a))
    assert b'data-testid="dashboard-filter"' not in client.get(dashboard_url(study)).content


def test_a_site_the_user_does_not_see_is_refused_by_the_filter(
    client, member, study, site_a, site_b, stratum
):
    InfusionFactory(subject__study_site=site_b, subject__stratum=stratum)
    client.force_login(member(Role.MONITOR, study_site=site_a))
    response = client.get(dashboard_url(study, site=site_b.pk))
    treated = next(p for p in response.context["panels"] if p.code == "dose_levels").tables[0]
    assert treated.rows[0][1] == 0  # the invalid filter falls back to the user's own sites
    assert response.context["form"].errors


def test_the_study_home_links_to_the_dashboard(client, member, study):
    client.force_login(member(Role.PRINCIPAL_INVESTIGATOR, study_site=None))
    response = client.get(reverse("edc:study-home", kwargs={"registry_id": study.registry_id}))
    assert dashboard_url(study).encode() in response.content
    assert b'data-testid="home-dashboard"' in response.content
    assert b'data-testid="nav-dashboard"' in response.content


def test_the_administrator_is_not_offered_the_dashboard(client, member, study):
    client.force_login(member(Role.ADMINISTRATOR))
    response = client.get(reverse("edc:study-home", kwargs={"registry_id": study.registry_id}))
    assert b'data-testid="nav-dashboard"' not in response.content


def test_the_dashboard_speaks_chinese(client, member, study):
    user = member(Role.SPONSOR)
    client.force_login(user)
    client.post(reverse("edc:language-set"), {"language": "zh-hans", "next": "/"})
    response = client.get(dashboard_url(study))
    titles = [p.title for p in response.context["panels"]]
    with translation.override("zh-hans"):
        assert titles[0] == translation.gettext("Enrolment over time") != "Enrolment over time"
    assert "研究仪表板" in response.content.decode()


def test_the_whole_page_runs_the_same_queries_for_few_and_many_subjects(
    client, member, study, site_a, site_b, stratum
):
    client.force_login(member(Role.DATA_MANAGER))

    def add(n):
        for i in range(n):
            site = site_a if i % 2 else site_b
            subject = InfusionFactory(subject__study_site=site, subject__stratum=stratum).subject
            EligibilityDecisionFactory(subject=subject)
            DltAssessmentFactory(subject=subject, had_dlt=i == 0)
            ToxicityEpisodeFactory(
                subject=subject, resolved_at=dt.datetime(2026, 4, 5, tzinfo=dt.UTC)
            )
            ToxicityEpisodeFactory(subject=subject, kind="icans", max_grade=2)
            VisitInstanceFactory(
                subject=subject, state=VisitInstance.State.MISSED, missed_reason="x"
            )
            ScreenFailureFactory(subject__study_site=site, failed_criteria=["IN-1"])
            raise_query(subject)

    counts = query_counts(client, dashboard_url(study), add)
    assert counts[0] == counts[1]
