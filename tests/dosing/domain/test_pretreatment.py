"""Checks before lymphodepletion (dosing.domain.pretreatment) against the CT1192 registration:
inclusion 5, "negative serum beta-hCG within 48 hours prior to screening and lymphodepletion"."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from dosing.domain.pretreatment import failing_checks, pretreatment_checks
from screening.domain.eligibility import Outcome
from tests.screening.domain.test_eligibility import CT, NCT, TZ, ct_patient, result

LD_DAY = date(2026, 3, 27)
NOW = datetime.combine(LD_DAY, time(8, 0), TZ)


def _checks(patient, stage="lymphodepletion"):
    return pretreatment_checks(
        definition=CT, stage=stage, snapshot=patient.snapshot(now=NOW), day=LD_DAY
    )


def _hcg(at: datetime):
    return result("pregnancy_serum_hcg", "negative", on=at.date(), at=at)


def test_the_screening_hcg_does_not_cover_lymphodepletion_a_week_later() -> None:
    results = _checks(ct_patient())
    assert [r.criterion_id for r in failing_checks(results)] == ["inc-5"]
    assert results[0].outcome is Outcome.MISSING_DATA


@pytest.mark.parametrize(
    ("hours_before", "expected"), [(24, Outcome.MET), (47, Outcome.MET), (72, Outcome.MISSING_DATA)]
)
def test_hcg_counts_back_48_hours_from_the_lymphodepletion_day(
    hours_before: int, expected: Outcome
) -> None:
    patient = ct_patient().with_(_hcg(NOW - timedelta(hours=hours_before)))
    by_id = {r.criterion_id: r.outcome for r in _checks(patient)}
    assert by_id["inc-5"] is expected


def test_positive_hcg_before_lymphodepletion_fails_the_check() -> None:
    at = NOW - timedelta(hours=5)
    patient = ct_patient().with_(result("pregnancy_serum_hcg", "positive", on=at.date(), at=at))
    assert [r.criterion_id for r in failing_checks(_checks(patient))] == ["inc-5"]


def test_infusion_checks_organ_function_but_not_the_hcg() -> None:
    ids = [r.criterion_id for r in _checks(ct_patient(), stage="infusion")]
    assert ids == ["inc-10a", "inc-10c", "inc-10d"]


def test_both_protocols_list_only_criteria_the_data_decide() -> None:
    for definition in (CT, NCT):
        listed = {*definition.pretreatment.lymphodepletion, *definition.pretreatment.infusion}
        assert listed
        assert all(not c.needs_confirmation for c in definition.eligibility if c.id in listed)
