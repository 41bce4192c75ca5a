"""The casebook at a glance: each form coloured by its state with a legend, done / due / missing
counts per visit, only the forms of the subject's stratum, and no link to a page that is not
there."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from edc.audit import system_user
from edc.crfs import crf_spec
from edc.domain.casebook import CellState
from edc.models import Stratum, Study, StudySite
from edc.roles import Role
from edc.services.crfs import crf_create
from edc.services.protocols import protocol_load
from tests.edc.casebook_html import parse
from tests.edc.factories import (
    MembershipFactory,
    StratumFactory,
    StudyFactory,
    SubjectFactory,
    minimal_definition,
)
from tests.screening.journeys import PROTOCOLS

pytestmark = pytest.mark.django_db

IN_SCREENING = dt.datetime(2026, 3, 10, 4, tzinfo=dt.UTC)  # consent 2026-03-01, window 28 days
AFTER_SCREENING = dt.datetime(2026, 4, 5, 4, tzinfo=dt.UTC)


@pytest.fixture
def study(db):
    """A study whose screening visit holds a form of each kind: a CRF, a log, an SLE-only
    instrument, a form on its own page (eligibility) and one the product lacks."""
    definition = minimal_definition(registry_id="NCT09000001", study_code="CBK")
    definition["strata"].append({"code": "ssc", "name": "SSc"})
    definition["crfs"] += [
        {"code": "sledai2k", "name": "SLEDAI-2K", "strata": ["sle"]},
        {"code": "eligibility", "name": "Eligibility", "name_zh": "入选/排除标准"},
        {"code": "future_form", "name": "Future form"},
    ]
    definition["visits"][0]["crfs"] += ["sledai2k", "eligibility", "future_form"]
    return StudyFactory(registry_id="NCT09000001", study_code="CBK", protocol=definition)


@pytest.fixture
def subject(site_a, stratum):
    return SubjectFactory(study_site=site_a, stratum=stratum)


@pytest.fixture
def investigator(client, site_a, member):
    user = member(Role.INVESTIGATOR, study_site=site_a)
    client.force_login(user)
    return user


def _page(client, subject, user, at=IN_SCREENING):
    """The casebook as it reads on a day of the study (logged in that day: sessions are timed)."""
    with time_machine.travel(at, tick=False):
        client.force_login(user)
        response = client.get(
            reverse("edc:subject-detail", args=[subject.study.registry_id, subject.pk])
        )
    assert response.status_code == 200
    return response


def _vitals(subject):
    crf_create(
        spec=crf_spec("vital_signs"),
        subject=subject,
        visit_code="SCR",
        data={"measured_on": dt.date(2026, 3, 2), "height_cm": 175, "weight_kg": 70},
        actor=system_user(),
    )


def _cells(response, visit: str = "SCR") -> dict[str, object]:
    """The cells of one visit's row, by form."""
    return {c.crf: c for c in parse(response.content.decode()).cells if c.visit == visit}


def test_a_saved_form_is_coloured_by_its_state_not_by_bootstraps_light_badge(
    client, subject, investigator
):
    _vitals(subject)
    vitals = _cells(_page(client, subject, investigator))["vital_signs"]
    assert (vitals.state, "cb-complete" in vitals.classes) == ("complete", True)
    assert not any(c.startswith("text-bg-") for c in vitals.classes)


def test_a_form_not_entered_in_its_window_is_due_and_after_it_missing(
    client, subject, investigator
):
    during = _cells(_page(client, subject, investigator))
    after = _cells(_page(client, subject, investigator, AFTER_SCREENING))
    assert during["sledai2k"].classes >= {"cb-due"}
    assert after["sledai2k"].classes >= {"cb-missing"}


def test_the_legend_shows_every_state_in_its_colour(client, subject, investigator):
    legend = parse(_page(client, subject, investigator).content.decode()).legend
    shown = [c for classes in legend for c in classes if c.startswith("cb-")]
    assert sorted(shown) == sorted(f"cb-{state}" for state in CellState)


def test_each_visit_counts_its_done_due_and_missing_forms(client, subject, investigator):
    _vitals(subject)
    during = _page(client, subject, investigator).context["grid"][0].counts
    after = _page(client, subject, investigator, AFTER_SCREENING).context["grid"][0].counts
    # SLEDAI-2K and the eligibility decision are outstanding; the empty log and the form the
    # product lacks count towards nothing.
    assert during == {"done": 1, "due": 2, "missing": 0}
    assert after == {"done": 1, "due": 0, "missing": 2}


def test_the_counts_are_on_the_page(client, subject, investigator):
    html = _page(client, subject, investigator, AFTER_SCREENING).content.decode()
    # Vital signs, SLEDAI-2K and eligibility, none entered by the end of screening.
    assert 'data-testid="count-missing">3</td>' in html


def test_a_form_the_product_lacks_is_shown_as_such_and_not_linked(client, subject, investigator):
    cell = _cells(_page(client, subject, investigator))["future_form"]
    assert (cell.tag, cell.href, cell.state) == ("span", None, "unavailable")


def test_a_form_on_its_own_page_links_to_that_page(client, subject, investigator):
    cell = _cells(_page(client, subject, investigator))["eligibility"]
    assert cell.href == reverse(
        "screening:eligibility", args=[subject.study.registry_id, subject.pk]
    )


def test_a_subject_is_offered_only_the_forms_of_its_stratum(client, study, site_a, investigator):
    ssc = SubjectFactory(study_site=site_a, stratum=StratumFactory(study=study, code="ssc"))
    assert "sledai2k" not in _cells(_page(client, ssc, investigator))


def test_another_stratums_form_is_not_found(client, study, site_a, investigator):
    ssc = SubjectFactory(study_site=site_a, stratum=StratumFactory(study=study, code="ssc"))
    url = reverse("edc:crf", args=[study.registry_id, ssc.pk, "SCR", "sledai2k"])
    assert client.get(url).status_code == 404


def test_the_casebook_speaks_chinese(client, subject, investigator):
    client.post(reverse("edc:language-set"), {"language": "zh-hans", "next": "/"})
    html = _page(client, subject, investigator).content.decode()
    assert all(text in html for text in ("缺失（窗口期已过）", "待填写", "图例：", "入选/排除标准"))


@pytest.fixture
def nct():
    return protocol_load(path=PROTOCOLS / "nct07246096.yaml", actor=system_user()).protocol_version


def _nct_casebook(client, code):
    study = Study.objects.get(registry_id="NCT07246096")
    study_site = StudySite.objects.filter(study=study).first()
    member = MembershipFactory(study=study, study_site=study_site, role=Role.INVESTIGATOR)
    stratum = Stratum.objects.get(study=study, code=code)
    subject = SubjectFactory(study_site=study_site, stratum=stratum, screening_number=f"S-{code}")
    return _page(client, subject, member.user)


SLE_ONLY = {"sledai2k", "bilag2004", "lupus_serology"}
OTHER_DISEASES = {"mrss", "essdai", "joint_counts", "bvas", "anca_serology"}


def test_an_nct07246096_lupus_subject_is_not_offered_other_diseases_instruments(client, nct):
    offered = set(_cells(_nct_casebook(client, "sle")))
    assert offered >= SLE_ONLY
    assert not OTHER_DISEASES & offered


def test_an_nct07246096_ssc_subject_gets_the_skin_score_and_no_lupus_forms(client, nct):
    offered = set(_cells(_nct_casebook(client, "ssc")))
    assert "mrss" in offered
    assert not (SLE_ONLY | OTHER_DISEASES - {"mrss"}) & offered
