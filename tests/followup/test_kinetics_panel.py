"""The dashboard's kinetics panel: every treated subject's transgene expansion on one log axis,
with the LLOQ line, open markers below it, and each subject's Cmax, Tmax and last quantifiable
day, read in one query for all subjects."""

import pytest

from edc.roles import Role
from tests.dashboard_panels import panel
from tests.edc.factories import SubjectFactory
from tests.followup.test_kinetics_selector import DAY0, kinetics

pytestmark = pytest.mark.django_db


def _treated(site, stratum, **fields):
    return SubjectFactory(study_site=site, stratum=stratum, day0_date=DAY0, **fields)


@pytest.fixture
def expanded(site_a, stratum):
    """Two subjects: one expands to 5000 copies on Day 7 and falls below the LLOQ by Day 28."""
    first = _treated(site_a, stratum, subject_identifier="CT1192-01-001")
    second = _treated(site_a, stratum, subject_identifier="CT1192-01-002")
    for day, copies in ((1, "100"), (7, "5000"), (14, "800"), (28, None)):
        kinetics(first, day, copies)
    kinetics(second, 7, "300")
    return first, second


def test_each_treated_subject_is_a_line_on_a_log_axis(client, member, study, expanded):
    client.force_login(member(Role.SPONSOR))
    (chart,) = panel(client, study, "kinetics").charts
    datasets = chart.config["data"]["datasets"]
    assert [d["label"] for d in datasets] == [str(s) for s in expanded]
    assert chart.config["options"]["scales"]["y"]["type"] == "logarithmic"
    assert datasets[0]["data"][-1] == {"x": 28, "y": 0.1}  # below the LLOQ: drawn on it


def test_a_sample_below_the_lloq_is_an_open_marker(client, member, study, expanded):
    client.force_login(member(Role.SPONSOR))
    (chart,) = panel(client, study, "kinetics").charts
    first = chart.config["data"]["datasets"][0]
    assert first["pointBackgroundColor"][-1] != first["pointBackgroundColor"][0]


def test_the_table_gives_cmax_tmax_and_the_last_quantifiable_day(client, member, study, expanded):
    client.force_login(member(Role.SPONSOR))
    table = panel(client, study, "kinetics").tables[0]
    assert table.rows[0][1:] == ("5000", "7", "14")
    assert table.rows[1][1:] == ("300", "7", "7")


def test_without_samples_the_panel_has_no_chart(client, member, study, site_a, stratum):
    _treated(site_a, stratum)
    client.force_login(member(Role.SPONSOR))
    assert panel(client, study, "kinetics").charts == ()
