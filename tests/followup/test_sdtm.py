"""SDTM SV and DS of a followed subject: visits done and missed with their study days, an
unscheduled visit numbered after the visit before it, consent and the end of study in DS."""

from __future__ import annotations

import datetime as dt

import pytest

from edc.crfs import crf_spec
from edc.sdtm import sdtm_dataset
from edc.services.crfs import crf_create
from followup.models import VisitInstance
from followup.services import unscheduled_visit_add, visit_mark_done, visit_mark_missed
from tests.adverse_events.journeys import DAY0
from tests.screening.journeys import CONSENT

pytestmark = pytest.mark.django_db


def _visit(subject, code) -> VisitInstance:
    return VisitInstance.objects.get(subject=subject, visit_code=code)


def _sv(subject) -> dict[str, dict]:
    return {row["VISIT"]: row for row in sdtm_dataset("SV", subject.study).rows}


def test_a_done_visit_has_its_date_and_study_day(subject, actor):
    d7 = _visit(subject, "D7")
    visit_mark_done(d7, done_on=DAY0 + dt.timedelta(days=7), actor=actor, expected_version=None)
    row = _sv(subject)["D7"]
    assert (row["SVOCCUR"], row["SVSTDTC"], row["SVSTDY"]) == (
        "Y", (DAY0 + dt.timedelta(days=7)).isoformat(), 8
    )  # fmt: skip


def test_a_missed_visit_did_not_occur_and_has_no_date(subject, actor):
    visit_mark_missed(
        _visit(subject, "D7"), reason="Flooded roads", actor=actor, expected_version=None
    )
    row = _sv(subject)["D7"]
    assert (row["SVPRESP"], row["SVOCCUR"], row["SVSTDTC"], row["SVSTDY"]) == ("Y", "N", "", None)
    assert "Flooded roads" not in str(row)


def test_open_visits_are_not_in_sv(subject):
    assert "M24" not in _sv(subject)


def test_an_unscheduled_visit_is_numbered_after_the_visit_before_it(subject, actor):
    d7 = _visit(subject, "D7")
    unscheduled_visit_add(
        subject, visit_date=d7.target_date + dt.timedelta(days=1), reason="Fever",
        crf_codes=["vital_signs"], actor=actor,
    )  # fmt: skip
    numbers = {row["VISIT"]: row["VISITNUM"] for row in sdtm_dataset("SV", subject.study).rows}
    visitnum = [n for visit, n in numbers.items() if visit.startswith("UNSCHEDULED")]
    scheduled = sorted(VisitInstance.objects.filter(subject=subject), key=lambda v: v.target_date)
    d7_number = [v.visit_code for v in scheduled].index("D7") + 1
    assert [float(n) for n in visitnum] == [d7_number + 0.01]


def test_ds_has_the_consent_milestone(subject):
    (row,) = sdtm_dataset("DS", subject.study).rows
    assert (row["DSDECOD"], row["DSCAT"], row["DSSTDTC"]) == (
        "INFORMED CONSENT OBTAINED", "PROTOCOL MILESTONE", CONSENT.isoformat()
    )  # fmt: skip


def test_ds_has_the_end_of_study_in_ncomplt_terms(subject, actor):
    end = DAY0 + dt.timedelta(days=20)
    crf_create(
        spec=crf_spec("end_of_study"),
        subject=subject,
        visit_code="M24",
        data={"ending": "withdrawn", "end_date": end, "withdrawal_reason": "Moved away",
              "death_date": None, "death_cause": ""},
        actor=actor,
    )  # fmt: skip
    rows = sdtm_dataset("DS", subject.study).rows
    assert [(r["DSSEQ"], r["DSCAT"]) for r in rows] == [
        (1, "PROTOCOL MILESTONE"), (2, "DISPOSITION EVENT")
    ]  # fmt: skip
    assert (rows[1]["DSTERM"], rows[1]["DSDECOD"], rows[1]["DSSTDY"]) == (
        "Moved away", "WITHDRAWAL BY SUBJECT", 21
    )  # fmt: skip
