"""The kinetics page and the swimmer plot, and their SVG files: what they show, in both
languages, in a constant number of queries."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from lxml import etree

from adverse_events.models import ToxicityEpisode
from edc.audit import audited_create, system_user
from edc.roles import Role
from followup.models import EndOfStudy, ResponseAssessment, VisitInstance
from screening.models import ConcomitantMedication
from tests.edc.factories import SubjectFactory
from tests.followup.factories import DAY0, VisitInstanceFactory
from tests.followup.test_kinetics_selector import b_cells, igg, kinetics
from tests.queries import query_counts

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _utc(day: int) -> dt.datetime:
    return dt.datetime.combine(DAY0 + day * DAY, dt.time(8), tzinfo=dt.UTC)


@pytest.fixture
def sponsor(client, study, member):
    client.force_login(member(Role.SPONSOR))
    return client


def _treated(site, stratum, **fields):
    return SubjectFactory(study_site=site, stratum=stratum, day0_date=DAY0, **fields)


def _swimmer(client, study, lang="en", **query):
    url = reverse("followup:swimmer", args=[study.registry_id])
    response = client.get(url, query, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response


def _config(response, chart_id):
    """The Chart.js configuration the page hands to charts.js (json_script)."""
    match = re.search(rf'<script id="{chart_id}"[^>]*>(.*?)</script>', response.content.decode())
    return json.loads(match.group(1))


def _end(subject, ending, end_date, **fields):
    row = EndOfStudy(subject=subject, visit_code="EOS", ending=ending, end_date=end_date, **fields)
    return audited_create(row, actor=system_user())


def test_the_swimmer_plot_has_a_lane_per_treated_subject(sponsor, study, site_a, stratum):
    treated = _treated(site_a, stratum)
    SubjectFactory(study_site=site_a, stratum=stratum)  # not infused: no lane
    config = _config(_swimmer(sponsor, study), "swimmer-config")
    assert config["data"]["labels"] == [str(treated)]


def test_a_subject_who_ended_the_study_has_its_end_marker_and_no_arrow(
    sponsor, study, site_a, stratum
):
    subject = _treated(site_a, stratum)
    _end(subject, "withdrawn", DAY0 + 40 * DAY, withdrawal_reason="Consent withdrawn")
    datasets = {
        d["label"]: d
        for d in _config(_swimmer(sponsor, study), "swimmer-config")["data"]["datasets"]
    }
    assert datasets["Withdrawn"]["data"] == [{"x": 40, "y": str(subject), "label": "Withdrawn"}]
    assert datasets["On study (follow-up goes on)"]["data"] == []


def test_episodes_are_marked_at_onset_by_kind_and_grade(sponsor, study, site_a, stratum):
    subject = _treated(site_a, stratum)
    ToxicityEpisode.objects.create(subject=subject, kind="icans", onset_at=_utc(5), max_grade=3)
    datasets = _config(_swimmer(sponsor, study), "swimmer-config")["data"]["datasets"]
    icans = next(d for d in datasets if d.get("pointStyle") == "rectRot")
    assert icans["data"] == [{"x": 5, "y": str(subject), "label": "ICANS grade 3"}]


def test_visits_done_are_marked_on_the_day_done(sponsor, study, site_a, stratum):
    subject = _treated(site_a, stratum)
    VisitInstanceFactory(subject=subject, state=VisitInstance.State.DONE, done_on=DAY0 + 8 * DAY)
    datasets = _config(_swimmer(sponsor, study), "swimmer-config")["data"]["datasets"]
    assert datasets[1]["data"] == [{"x": 8, "y": str(subject), "label": "D7"}]


def _verdict(subject, definition, result, visit_code, study_day):
    row = ResponseAssessment(
        subject=subject,
        visit_code=visit_code,
        study_day=study_day,
        definition=definition,
        result=result,
        source="test",
    )
    return audited_create(row, actor=system_user())


def test_the_main_response_is_marked_where_it_was_first_met(sponsor, study, site_a, stratum):
    subject = _treated(site_a, stratum)  # SLE: the main definition is DORIS remission
    _verdict(subject, "doris_remission", "not_met", "D28", 28)
    _verdict(subject, "doris_remission", "met", "M2", 60)
    _verdict(subject, "doris_remission", "met", "M3", 90)
    _verdict(subject, "lldas", "met", "D28", 28)
    datasets = _config(_swimmer(sponsor, study), "swimmer-config")["data"]["datasets"]
    response = next(d for d in datasets if d.get("pointStyle") == "rectRounded")
    assert response["data"] == [{"x": 60, "y": str(subject), "label": "DORIS remission met (M2)"}]


def test_the_swimmer_plot_answers_in_constant_queries(sponsor, study, site_a, stratum):
    def add(n):
        for _ in range(n):
            subject = _treated(site_a, stratum)
            VisitInstanceFactory(subject=subject, state="done", done_on=DAY0 + 7 * DAY)
            ToxicityEpisode.objects.create(subject=subject, kind="crs", onset_at=_utc(1))
            _verdict(subject, "doris_remission", "met", "D28", 28)
            _end(subject, "completed", DAY0 + 30 * DAY)

    url = reverse("followup:swimmer", args=[study.registry_id])
    first, second = query_counts(sponsor, url, add)
    assert first == second


def test_the_swimmer_plot_is_bounded_to_a_page(sponsor, study, site_a, stratum, monkeypatch):
    monkeypatch.setattr("followup.views.SWIMMER_PER_PAGE", 2)
    for _ in range(3):
        _treated(site_a, stratum)
    config = _config(_swimmer(sponsor, study, page=2), "swimmer-config")
    assert len(config["data"]["labels"]) == 1


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "Swimmer plot: follow-up of the treated subjects"), ("zh-hans", "游泳图")],
)
def test_the_swimmer_svg_is_valid_xml_with_the_subject_ids_in_the_language(
    sponsor, study, site_a, stratum, lang, words
):
    subject = _treated(site_a, stratum)
    url = reverse("followup:swimmer-svg", args=[study.registry_id])
    response = sponsor.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response["Content-Type"] == "image/svg+xml"
    root = etree.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = response.content.decode()
    assert words in text
    assert str(subject) in text


# --- The kinetics page (an infused CT1192 subject, tests/followup/conftest.py) -----------------


def _kinetics_page(client, subject, lang="en"):
    url = reverse("followup:kinetics", args=[subject.study.registry_id, subject.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response


@pytest.fixture
def data_manager(client, subject):
    from tests.edc.factories import MembershipFactory, UserFactory

    user = UserFactory()
    MembershipFactory(user=user, study=subject.study, role=Role.DATA_MANAGER)
    client.force_login(user)
    return client


def test_the_kinetics_page_shows_the_nca_and_persistence(data_manager, subject):
    for day, copies in ((7, "1800"), (14, "600"), (28, None)):
        kinetics(subject, day, copies)
    table = (
        _kinetics_page(data_manager, subject).content.decode().split('data-testid="nca-table"')[1]
    )
    row = table.split("</tr>")[1]
    assert "1,800" in row
    assert "Day 14" in row
    assert "samples below the LLOQ after the first quantifiable one left out" in row


def test_the_kinetics_page_says_when_the_auc_is_truncated(data_manager, subject):
    kinetics(subject, 7, "1800")
    page = _kinetics_page(data_manager, subject).content.decode()
    assert 'data-testid="auc-truncated"' in page


def test_the_kinetics_page_gives_aplasia_and_reconstitution_days(data_manager, subject):
    for day, count in ((7, None), (90, "12"), (120, "40")):
        b_cells(subject, day, count)
    course = _kinetics_page(data_manager, subject).content.decode().split("b-cell-course")[1]
    assert "From day 7" in course
    assert "From day 90" in course


def test_low_igg_is_flagged_and_the_ivig_given_is_linked(data_manager, subject):
    igg(subject, 28, "3.2")
    ivig = audited_create(
        ConcomitantMedication(
            subject=subject, visit_code="D28", drug_name="IVIG 10%", start_date=DAY0,
            route="intravenous", indication="Hypogammaglobulinaemia", review_flag="ivig",
        ),
        actor=system_user(),
    )  # fmt: skip
    page = _kinetics_page(data_manager, subject).content.decode()
    assert 'data-testid="hypogammaglobulinaemia"' in page
    row_url = reverse(
        "edc:crf-row",
        args=[subject.study.registry_id, subject.pk, "D28", "concomitant_medication", ivig.pk],
    )
    assert row_url in page.split('data-testid="ivig"')[1]


def test_the_expansion_curve_marks_the_episodes_on_the_b_cell_course(data_manager, subject):
    b_cells(subject, 7, None)
    ToxicityEpisode.objects.create(
        subject=subject, kind="crs", onset_at=_at(subject, 1), resolved_at=_at(subject, 3)
    )
    course = _config(_kinetics_page(data_manager, subject), "course-config")
    box = course["options"]["plugins"]["annotation"]["annotations"]["episode0"]
    assert (box["xMin"], box["xMax"]) == (1, 3)


def _at(subject, day):
    return dt.datetime.combine(subject.day0_date + day * DAY, dt.time(8), tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "CAR-T expansion and persistence"), ("zh-hans", "CAR-T 扩增与持续")]
)
def test_the_expansion_svg_is_valid_xml_in_the_language(data_manager, subject, lang, words):
    for day, copies in ((7, "1800"), (28, None)):
        kinetics(subject, day, copies)
    url = reverse("followup:kinetics-expansion-svg", args=[subject.study.registry_id, subject.pk])
    response = data_manager.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response["Content-Disposition"].startswith("attachment;")
    etree.fromstring(response.content)
    assert words in response.content.decode()
