"""SDTM AE and SUPPAE from the AE log of an infused subject: grades, AESTDY counted from the
infusion as day 1, seriousness in CDISC NY terms, and the ASTCT grade of a CRS episode."""

import datetime as dt
from decimal import Decimal

import pytest

from adverse_events.services import episode_assessment_record, episode_open
from edc.audit import audited_update
from edc.sdtm import sdtm_dataset
from tests.adverse_events.journeys import DAY0, at, infused_subject
from tests.adverse_events.test_adverse_events import _report
from tests.edc.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def subject(actor):
    return infused_subject(actor)


def _ae(subject):
    return sdtm_dataset("AE", subject.study).rows


def test_an_event_10_days_after_the_infusion_is_on_study_day_11(subject, actor):
    _report(subject, actor)
    (row,) = _ae(subject)
    assert (row["AESTDTC"], row["AESTDY"]) == ((DAY0 + dt.timedelta(days=10)).isoformat(), 11)


def test_an_event_before_the_infusion_has_a_negative_day_and_no_day_0(subject, actor):
    _report(subject, actor, onset_date=DAY0 - dt.timedelta(days=1))
    assert _ae(subject)[0]["AESTDY"] == -1


def test_the_record_carries_its_ctcae_grade_term_and_causality(subject, actor):
    _report(subject, actor)
    (row,) = _ae(subject)
    assert row["USUBJID"] == f"CT1192-{subject.subject_identifier.removeprefix('CT1192-')}"
    assert (row["AETERM"], row["AEDECOD"], row["AEBODSYS"]) == (
        "Pneumonia", "Lung infection", "Infections and infestations"
    )  # fmt: skip
    assert (row["AETOXGR"], row["AESER"], row["AEREL"], row["AEOUT"]) == (
        "3", "N", "POSSIBLY RELATED", "RECOVERING/RESOLVING"
    )  # fmt: skip


def test_a_serious_event_names_its_criteria_in_ny_terms(subject, actor):
    _report(subject, actor, serious_hospitalisation=True, site_aware_at=at(10))
    (row,) = _ae(subject)
    assert (row["AESER"], row["AESHOSP"], row["AESDTH"]) == ("Y", "Y", "N")


def test_seq_follows_the_onset_dates(subject, actor):
    _report(subject, actor, onset_date=DAY0 + dt.timedelta(days=12), verbatim_term="Later")
    _report(subject, actor, onset_date=DAY0 + dt.timedelta(days=2), verbatim_term="Earlier")
    assert [(r["AESEQ"], r["AETERM"]) for r in _ae(subject)] == [(1, "Earlier"), (2, "Later")]


def test_suppae_holds_the_aesi_scale_and_lymphodepletion_causality(subject, actor):
    _report(subject, actor)
    supp = {r["QNAM"]: r["QVAL"] for r in sdtm_dataset("SUPPAE", subject.study).rows}
    assert supp == {"AETOXSCL": "CTCAE v5.0", "AESI": "INFECTION", "AERELLD": "POSSIBLY RELATED"}


def test_a_crs_event_is_graded_by_its_episodes_astct_maximum(subject, actor):
    ae = _report(
        subject, actor, verbatim_term="CRS", ctcae_term="cytokine_release_syndrome", grade=2,
        aesi="crs", onset_date=DAY0 + dt.timedelta(days=1),
    )  # fmt: skip
    episode = episode_open(subject=subject, kind="crs", onset_at=at(1), actor=actor)
    grade_3 = {
        "temperature_c": Decimal("39.5"), "hypotension": True, "vasopressors": 1,
        "oxygen_device": "nasal_cannula", "oxygen_flow_l_min": Decimal(4),
    }  # fmt: skip
    episode_assessment_record(episode, inputs={"assessed_at": at(2), **grade_3}, actor=actor)
    episode.refresh_from_db()
    audited_update(
        episode, actor=actor, reason="Linked", changes={"adverse_event": ae}, expected_version=None
    )
    (row,) = _ae(subject)
    supp = {r["QNAM"]: r["QVAL"] for r in sdtm_dataset("SUPPAE", subject.study).rows}
    assert (row["AETOXGR"], supp["AETOXSCL"], supp["AESI"]) == ("3", "ASTCT 2019 CRS", "CRS")
