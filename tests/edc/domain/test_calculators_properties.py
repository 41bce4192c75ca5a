"""Properties of the clinical calculators: any input the domain accepts gives a finite number,
and anything else raises the domain's `ArgumentError`, never another exception."""

from __future__ import annotations

import math
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from edc.domain import calculators
from edc.domain.validation import ArgumentError

ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
)
HEIGHT = st.decimals(min_value=Decimal("0.1"), max_value=300, places=1)
WEIGHT = st.decimals(min_value=Decimal("0.1"), max_value=700, places=1)
AGE = st.integers(min_value=18, max_value=120)
# Creatinine as a laboratory reports it: 0.01 mg/dL to 30 mg/dL, 1 to 3000 umol/L.
CREATININE = st.one_of(
    st.tuples(st.decimals(min_value=Decimal("0.01"), max_value=30, places=2), st.just("mg/dL")),
    st.tuples(st.decimals(min_value=1, max_value=3000, places=0), st.just("umol/L")),
)
SEX = st.sampled_from(["F", "M"])


def _finite_or_domain_error(function, **arguments) -> None:
    try:
        result = function(**arguments)
    except ArgumentError:
        return
    assert math.isfinite(result), (arguments, result)


@given(height=HEIGHT, weight=WEIGHT)
def test_bsa_of_any_accepted_height_and_weight_is_finite_and_positive(height, weight):
    bsa = calculators.bsa_mosteller(height_cm=height, weight_kg=weight)
    assert math.isfinite(bsa)
    assert bsa > 0


@given(height=ANYTHING, weight=ANYTHING)
def test_bsa_of_anything_is_finite_or_the_domain_error(height, weight):
    _finite_or_domain_error(calculators.bsa_mosteller, height_cm=height, weight_kg=weight)


@given(age=AGE, creatinine=CREATININE, sex=SEX)
def test_egfr_of_a_reported_creatinine_is_finite_and_positive(age, creatinine, sex):
    value, unit = creatinine
    egfr = calculators.ckd_epi_2021(age_years=age, creatinine=value, creatinine_unit=unit, sex=sex)
    assert math.isfinite(egfr)
    assert egfr > 0


@given(age=AGE, creatinine=CREATININE, sex=SEX)
def test_a_higher_creatinine_never_raises_the_egfr(age, creatinine, sex):
    value, unit = creatinine
    lower = calculators.ckd_epi_2021(age_years=age, creatinine=value, creatinine_unit=unit, sex=sex)
    higher = calculators.ckd_epi_2021(
        age_years=age, creatinine=value * 2, creatinine_unit=unit, sex=sex
    )
    assert higher <= lower


@given(age=AGE, weight=WEIGHT, creatinine=CREATININE, sex=SEX)
def test_creatinine_clearance_of_reported_values_is_finite(age, weight, creatinine, sex):
    value, unit = creatinine
    clearance = calculators.cockcroft_gault(
        age_years=age, weight_kg=weight, creatinine=value, creatinine_unit=unit, sex=sex
    )
    assert math.isfinite(clearance)


@given(age=ANYTHING, creatinine=ANYTHING, unit=ANYTHING, sex=ANYTHING, weight=ANYTHING)
def test_renal_functions_of_anything_are_finite_or_the_domain_error(
    age, creatinine, unit, sex, weight
):
    _finite_or_domain_error(
        calculators.ckd_epi_2021, age_years=age, creatinine=creatinine, creatinine_unit=unit,
        sex=sex,
    )  # fmt: skip
    _finite_or_domain_error(
        calculators.cockcroft_gault, age_years=age, weight_kg=weight, creatinine=creatinine,
        creatinine_unit=unit, sex=sex,
    )  # fmt: skip


JOINTS = st.integers(min_value=0, max_value=28)
GLOBAL = st.integers(min_value=0, max_value=100)


@given(
    tjc=JOINTS,
    sjc=JOINTS,
    esr=st.decimals(min_value=1, max_value=150, places=0),
    crp=st.decimals(min_value=0, max_value=300, places=1),
    patient=GLOBAL,
)
def test_das28_of_valid_counts_is_finite(tjc, sjc, esr, crp, patient):
    esr_score = calculators.das28_esr(
        tjc28=tjc, sjc28=sjc, esr_mm_h=esr, patient_global_0_100=patient
    )
    crp_score = calculators.das28_crp(
        tjc28=tjc, sjc28=sjc, crp_mg_l=crp, patient_global_0_100=patient
    )
    assert math.isfinite(esr_score)
    assert math.isfinite(crp_score)


@given(tjc=JOINTS, sjc=JOINTS, patient=GLOBAL, extra=st.integers(min_value=1, max_value=28))
def test_more_tender_joints_never_lower_the_das28(tjc, sjc, patient, extra):
    worse = min(28, tjc + extra)
    scores = [
        calculators.das28_crp(tjc28=t, sjc28=sjc, crp_mg_l=5, patient_global_0_100=patient)
        for t in (tjc, worse)
    ]
    assert scores[1] >= scores[0]


@given(tjc=ANYTHING, sjc=ANYTHING, esr=ANYTHING, patient=ANYTHING)
def test_das28_of_anything_is_finite_or_the_domain_error(tjc, sjc, esr, patient):
    _finite_or_domain_error(
        calculators.das28_esr, tjc28=tjc, sjc28=sjc, esr_mm_h=esr, patient_global_0_100=patient
    )
    _finite_or_domain_error(
        calculators.das28_crp, tjc28=tjc, sjc28=sjc, crp_mg_l=esr, patient_global_0_100=patient
    )
