"""The dashboard's swimmer-plot panel: the swimmer page's first page of lanes, built by the same
builders, for the subjects the dashboard shows, with a link to the full page."""

import pytest
from django.urls import reverse

from edc.roles import Role
from followup import charts, plot_data
from tests.dashboard_panels import dashboard_url, panel
from tests.edc.factories import SubjectFactory
from tests.followup.factories import DAY0

pytestmark = pytest.mark.django_db


def _treated(site, stratum, **fields):
    return SubjectFactory(study_site=site, stratum=stratum, day0_date=DAY0, **fields)


def test_the_panel_draws_the_swimmer_pages_configuration(client, member, study, site_a, stratum):
    treated = _treated(site_a, stratum)
    SubjectFactory(study_site=site_a, stratum=stratum)  # not infused: no lane
    client.force_login(member(Role.SPONSOR))
    (chart,) = panel(client, study, "swimmer").charts
    expected = charts.swimmer_config(plot_data.swimmer_figure([treated], lang="en"))
    assert chart.config == expected


def test_the_panel_keeps_to_the_site_filter(client, member, study, site_a, site_b, stratum):
    _treated(site_a, stratum)
    other = _treated(site_b, stratum)
    client.force_login(member(Role.DATA_MANAGER))
    table = panel(client, study, "swimmer", site=site_b.pk).tables[0]
    assert [row[0] for row in table.rows] == [str(other)]


def test_the_panel_shows_no_more_lanes_than_the_pages_first_page(
    client, member, study, site_a, stratum, monkeypatch
):
    for _ in range(3):
        _treated(site_a, stratum)
    monkeypatch.setattr(plot_data, "SWIMMER_PER_PAGE", 2)
    client.force_login(member(Role.SPONSOR))
    assert len(panel(client, study, "swimmer").tables[0].rows) == 2


def test_the_panel_links_to_the_full_swimmer_plot(client, member, study, site_a, stratum):
    _treated(site_a, stratum)
    client.force_login(member(Role.SPONSOR))
    html = client.get(dashboard_url(study)).content.decode()
    assert f'href="{reverse("followup:swimmer", args=[study.registry_id])}"' in html


def test_without_treated_subjects_the_panel_has_no_chart(client, member, study):
    client.force_login(member(Role.SPONSOR))
    assert panel(client, study, "swimmer").charts == ()
