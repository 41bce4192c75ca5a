"""CT1192 inclusion 6 decided from the prior-therapy rows (screening.domain.prior_therapy).

Source: the CT1192 registration's inclusion 6, copied verbatim in protocols/ct1192.yaml: a
glucocorticoid combined with immunosuppressants and/or biologics for at least 3 months, a stable
dose for at least 2 weeks; prednisone >= 7.5 mg/day if the glucocorticoid is used alone.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from screening.domain.eligibility import Outcome
from screening.domain.prior_therapy import TherapyCourse, steroid_regimen
from tests.screening.domain.test_eligibility import CONSENT, ct_patient, measure, result

ON = date(2026, 3, 2)


def steroid(mg: str, start: date, stop: date | None = None) -> TherapyCourse:
    return TherapyCourse("glucocorticoid", start, stop, Decimal(mg))


def drug(kind: str, start: date, stop: date | None = None) -> TherapyCourse:
    return TherapyCourse(kind, start, stop)


def test_glucocorticoid_with_mycophenolate_for_six_months_is_combined_for_six_months() -> None:
    regimen = steroid_regimen(
        courses=[steroid("10", date(2025, 9, 1)), drug("mycophenolate", date(2025, 9, 2))], on=ON
    )
    assert (regimen.combined, regimen.combination_months) == (True, 6)
    assert regimen.prednisone_mg_day == Decimal("10")


def test_hydroxychloroquine_leaves_the_glucocorticoid_alone() -> None:
    regimen = steroid_regimen(
        courses=[steroid("5", date(2025, 1, 1)), drug("antimalarial", date(2025, 1, 1))], on=ON
    )
    assert (regimen.combined, regimen.combination_months) == (False, 0)


def test_a_dose_change_within_two_weeks_makes_the_regimen_unstable() -> None:
    changed = ON - timedelta(days=13)
    regimen = steroid_regimen(
        courses=[
            steroid("20", date(2025, 6, 1), changed - timedelta(days=1)),
            steroid("15", changed),
            drug("tacrolimus", date(2025, 6, 1)),
        ],
        on=ON,
    )
    assert regimen.stable_days == 13
    assert regimen.prednisone_mg_day == Decimal("15")


def test_combination_months_count_the_longest_uninterrupted_stretch() -> None:
    regimen = steroid_regimen(
        courses=[
            steroid("10", date(2025, 1, 1)),
            drug("methotrexate", date(2025, 1, 1), date(2025, 2, 15)),
            drug("biologic", date(2025, 2, 16)),
        ],
        on=ON,
    )
    assert regimen.combination_months == 14


def test_nothing_running_at_consent_is_not_a_stable_regimen() -> None:
    regimen = steroid_regimen(courses=[steroid("10", date(2024, 1, 1), date(2025, 1, 1))], on=ON)
    assert (regimen.stable_days, regimen.prednisone_mg_day) == (0, Decimal(0))


def test_a_row_stopping_before_it_starts_is_refused_naming_the_argument() -> None:
    with pytest.raises(ValueError, match=r"^courses: "):
        steroid_regimen(courses=[steroid("10", ON, ON - timedelta(days=1))], on=ON)


# ------------------------------------------------------------------ the criterion itself


def _ct(**values: str):
    return ct_patient().with_(*(measure(name, v, on=CONSENT) for name, v in values.items()))


@pytest.mark.parametrize(("dose", "expected"), [("7.5", Outcome.MET), ("7.4", Outcome.NOT_MET)])
def test_glucocorticoid_alone_needs_at_least_7_5_mg_prednisone_when_ct1192_inclusion_6(
    dose: str, expected: Outcome
) -> None:
    patient = _ct(on_immunosuppressant_or_biologic="0", prednisone_equivalent_mg_day=dose)
    assert patient.outcome("inc-6") is expected


def test_glucocorticoid_combined_has_no_minimum_dose_when_ct1192_inclusion_6() -> None:
    patient = _ct(on_immunosuppressant_or_biologic="1", prednisone_equivalent_mg_day="2.5")
    assert patient.outcome("inc-6") is Outcome.MET


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"glucocorticoid_combination_months": "3"}, Outcome.MET),
        ({"glucocorticoid_combination_months": "2"}, Outcome.NOT_MET),
        ({"treatment_stable_days": "14"}, Outcome.MET),
        ({"treatment_stable_days": "13"}, Outcome.NOT_MET),
    ],
)
def test_three_months_combined_and_two_weeks_stable_are_decided_when_ct1192_inclusion_6(
    changes: dict[str, str], expected: Outcome
) -> None:
    assert _ct(**changes).outcome("inc-6") is expected


def test_investigator_confirms_only_the_active_disease_when_ct1192_inclusion_6() -> None:
    criterion = ct_patient().without("inc-6").assess().result_for("inc-6")
    assert criterion.outcome is Outcome.NEEDS_CONFIRMATION
    assert criterion.unconfirmed_keys == ("inc-6",)


def test_no_prior_therapy_recorded_is_missing_data_when_ct1192_inclusion_6() -> None:
    patient = ct_patient().without(
        "glucocorticoid_combination_months",
        "treatment_stable_days",
        "on_immunosuppressant_or_biologic",
        "prednisone_equivalent_mg_day",
    )
    assert patient.outcome("inc-6") is Outcome.MISSING_DATA


# ------------------------------------------------------------------ tuberculosis (inclusion 3)


def test_negative_igra_and_clear_chest_imaging_meet_ct1192_inclusion_3_tuberculosis() -> None:
    """CT1192 inclusion 3 names tuberculosis: the infection screen's IGRA and chest imaging."""
    assert ct_patient().outcome("inc-3") is Outcome.MET


def test_positive_igra_waits_for_the_investigator_to_exclude_active_tb_when_ct1192() -> None:
    patient = ct_patient().with_(result("tb_igra", "positive")).without("inc-3/judgement/0")
    assert patient.outcome("inc-3") is Outcome.NEEDS_CONFIRMATION


def test_no_tb_test_is_missing_data_when_ct1192_inclusion_3() -> None:
    patient = ct_patient().without("tb_igra", "inc-3/judgement/0")
    assert patient.outcome("inc-3") is Outcome.MISSING_DATA


def test_chest_imaging_older_than_two_weeks_before_screening_is_outside_the_window() -> None:
    old = CONSENT - timedelta(days=15)
    patient = ct_patient().with_(result("chest_imaging", "no_active_lesion", on=old))
    assert patient.assess(screening_date=CONSENT).result_for("inc-3").outcome is (
        Outcome.MISSING_DATA
    )
