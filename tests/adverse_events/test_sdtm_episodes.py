"""SDTM CE and FA of a CRS episode: one CE record per episode with its maximum ASTCT grade and a
link to its AE, one FA record per assessment per test linked to the CE record; keys, --SEQ,
ISO 8601 times at the site's clock and study days with no day 0."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from adverse_events.services import episode_assessment_record, episode_open, episode_resolve
from edc.audit import audited_update
from edc.sdtm import sdtm_dataset
from tests.adverse_events.journeys import DAY0, at, infused_subject
from tests.adverse_events.test_adverse_events import _report
from tests.edc.factories import UserFactory

pytestmark = pytest.mark.django_db

GRADE_3 = {
    "temperature_c": Decimal("39.5"), "hypotension": True, "vasopressors": 1,
    "oxygen_device": "nasal_cannula", "oxygen_flow_l_min": Decimal(4),
}  # fmt: skip
GRADE_1 = {"temperature_c": Decimal("38.4")}


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def episode(actor):
    subject = infused_subject(actor)
    episode = episode_open(subject=subject, kind="crs", onset_at=at(1), actor=actor)
    episode_assessment_record(episode, inputs={"assessed_at": at(1, 9), **GRADE_1}, actor=actor)
    episode_assessment_record(episode, inputs={"assessed_at": at(2), **GRADE_3}, actor=actor)
    episode.refresh_from_db()
    return episode


def _rows(domain, episode) -> list[dict]:
    return sdtm_dataset(domain, episode.subject.study).rows


def test_ce_has_one_record_per_episode_with_its_maximum_astct_grade(episode):
    [row] = _rows("CE", episode)
    assert (row["CETERM"], row["CETOXGR"], row["CETOXSCL"], row["CESEQ"]) == (
        "CYTOKINE RELEASE SYNDROME", "3", "ASTCT 2019 CRS", 1
    )  # fmt: skip


def test_ce_start_is_the_onset_at_the_sites_clock_on_study_day_2(episode):
    [row] = _rows("CE", episode)
    # 08:00 UTC is 16:00 in Wuhan (UTC+8), on the day after the infusion.
    assert (row["CESTDTC"], row["CESTDY"]) == (
        (DAY0 + dt.timedelta(days=1)).isoformat() + "T16:00",
        2,
    )


def test_ce_end_is_blank_until_the_episode_resolves(episode, actor):
    assert _rows("CE", episode)[0]["CEENDTC"] == ""
    episode_resolve(episode, resolved_at=at(4), actor=actor)
    assert _rows("CE", episode)[0]["CEENDY"] == 5


def test_ce_links_to_the_ae_reporting_the_episode(episode, actor):
    ae = _report(
        episode.subject, actor, verbatim_term="CRS", ctcae_term="cytokine_release_syndrome",
        grade=2, aesi="crs", onset_date=DAY0 + dt.timedelta(days=1),
    )  # fmt: skip
    audited_update(
        episode, actor=actor, reason="Linked", changes={"adverse_event": ae}, expected_version=None
    )
    aespid = sdtm_dataset("AE", episode.subject.study).rows[0]["AESPID"]
    assert _rows("CE", episode)[0]["CELNKID"] == aespid


def test_fa_has_the_grade_of_each_assessment_linked_to_the_ce_record(episode):
    grades = [row for row in _rows("FA", episode) if row["FATESTCD"] == "ASTCTGR"]
    assert [(row["FAORRES"], row["FASTRESN"]) for row in grades] == [("1", 1), ("3", 3)]
    cespid = _rows("CE", episode)[0]["CESPID"]
    assert {row["FALNKID"] for row in grades} == {cespid}
    assert {row["FAOBJ"] for row in grades} == {"CYTOKINE RELEASE SYNDROME"}


def test_fa_seq_follows_the_assessment_times(episode):
    rows = _rows("FA", episode)
    assert [row["FASEQ"] for row in rows] == list(range(1, len(rows) + 1))
    assert [row["FADTC"] for row in rows] == sorted(row["FADTC"] for row in rows)
