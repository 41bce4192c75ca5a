"""Properties of the toxicity grades: a worse observation never lowers a grade, and any input
either grades (0-4 or 0-5) or raises the domain's error, never another exception."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from adverse_events.domain.crs import grade_crs
from adverse_events.domain.ctcae import TERMS, Kind, grade_lab
from adverse_events.domain.icans import (
    CEREBRAL_EDEMA_GRADE,
    CONSCIOUSNESS_GRADE,
    MOTOR_GRADE,
    SEIZURE_GRADE,
    grade_icans,
)
from edc.domain.validation import ArgumentError

TEMPERATURE = st.decimals(min_value=30, max_value=45, places=1)
# Circulation from best to worst: (hypotension, non-vasopressin vasopressors, vasopressin).
CIRCULATION = [
    (False, 0, False),
    (True, 0, False),
    (True, 0, True),
    (True, 1, False),
    (True, 1, True),
    (True, 2, False),
    (True, 3, True),
]
# Oxygen support from least to most; nasal cannula by its flow.
OXYGEN = [
    ("none", None),
    ("blow_by", None),
    *(("nasal_cannula", Decimal(flow)) for flow in ("0.5", "2", "6", "6.5", "10", "15")),
    ("facemask", None),
    ("venturi", None),
    ("nonrebreather", None),
    ("high_flow_nasal_cannula", None),
    ("cpap", None),
    ("bipap", None),
    ("intubation", None),
]


def _ladder_pair(ladder):
    """Two rungs of `ladder`, the second at least as bad as the first."""
    return st.tuples(st.integers(0, len(ladder) - 1), st.integers(0, len(ladder) - 1)).map(
        lambda ij: (ladder[min(ij)], ladder[max(ij)])
    )


def _crs(temperature, circulation, oxygen, masked=False) -> int:
    hypotension, pressors, vasopressin = circulation
    device, flow = oxygen
    return grade_crs(
        temperature_c=temperature,
        fever_before_therapy=masked,
        hypotension=hypotension,
        vasopressors=pressors,
        vasopressin=vasopressin,
        oxygen_device=device,
        oxygen_flow_l_min=flow,
    ).grade


@given(TEMPERATURE, _ladder_pair(CIRCULATION), st.sampled_from(OXYGEN), st.booleans())
def test_worse_circulation_never_lowers_the_crs_grade(temperature, pair, oxygen, masked):
    better, worse = pair
    assert _crs(temperature, worse, oxygen, masked) >= _crs(temperature, better, oxygen, masked)


@given(TEMPERATURE, st.sampled_from(CIRCULATION), _ladder_pair(OXYGEN), st.booleans())
def test_more_oxygen_never_lowers_the_crs_grade(temperature, circulation, pair, masked):
    better, worse = pair
    assert _crs(temperature, circulation, worse, masked) >= _crs(
        temperature, circulation, better, masked
    )


@given(TEMPERATURE, TEMPERATURE, st.sampled_from(CIRCULATION), st.sampled_from(OXYGEN))
def test_a_higher_temperature_never_lowers_the_crs_grade(t1, t2, circulation, oxygen):
    low, high = sorted((t1, t2))
    assert _crs(high, circulation, oxygen) >= _crs(low, circulation, oxygen)


ANYTHING = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.decimals(), st.text(max_size=8)
)


@given(
    temperature=ANYTHING,
    hypotension=ANYTHING,
    pressors=ANYTHING,
    vasopressin=ANYTHING,
    device=st.one_of(st.sampled_from([o for o, _ in OXYGEN]), ANYTHING),
    flow=ANYTHING,
)
def test_crs_of_anything_grades_or_raises_the_domain_error(
    temperature, hypotension, pressors, vasopressin, device, flow
):
    try:
        grade = grade_crs(
            temperature_c=temperature,
            hypotension=hypotension,
            vasopressors=pressors,
            vasopressin=vasopressin,
            oxygen_device=device,
            oxygen_flow_l_min=flow,
        ).grade
    except ArgumentError:
        return
    assert grade in range(5)


CONSCIOUSNESS = list(CONSCIOUSNESS_GRADE)  # alert ... unarousable, in the table's order


def _icans(ice, consciousness, seizure="none", motor="none", edema="none") -> int:
    return grade_icans(
        ice_score=0 if consciousness == "unarousable" else ice,
        consciousness=consciousness,
        seizure=seizure,
        motor=motor,
        cerebral_edema=edema,
    ).grade


OTHER_DOMAINS = st.tuples(
    st.sampled_from(list(SEIZURE_GRADE)),
    st.sampled_from(list(MOTOR_GRADE)),
    st.sampled_from(list(CEREBRAL_EDEMA_GRADE)),
)


@given(
    st.integers(0, 10),
    st.integers(0, 10),
    st.sampled_from(CONSCIOUSNESS[:-1]),
    OTHER_DOMAINS,
)
def test_a_lower_ice_score_never_lowers_the_icans_grade(ice1, ice2, consciousness, others):
    low, high = sorted((ice1, ice2))
    assert _icans(low, consciousness, *others) >= _icans(high, consciousness, *others)


@given(st.integers(0, 10), _ladder_pair(CONSCIOUSNESS), OTHER_DOMAINS)
def test_worse_consciousness_never_lowers_the_icans_grade(ice, pair, others):
    better, worse = pair
    assert _icans(ice, worse, *others) >= _icans(ice, better, *others)


@given(
    ice=ANYTHING,
    consciousness=st.one_of(st.sampled_from(CONSCIOUSNESS), ANYTHING),
    seizure=st.one_of(st.sampled_from(list(SEIZURE_GRADE)), ANYTHING),
)
def test_icans_of_anything_grades_or_raises_the_domain_error(ice, consciousness, seizure):
    try:
        grade = grade_icans(ice_score=ice, consciousness=consciousness, seizure=seizure).grade
    except ArgumentError:
        return
    assert grade in range(5)


LOW_TERMS = sorted(t for t, r in TERMS.items() if r.kind in (Kind.LOW_COUNT, Kind.LOW_LLN_RATIO))
HIGH_TERMS = sorted(set(TERMS) - set(LOW_TERMS))
VALUE = st.decimals(min_value=0, max_value=10000, places=2)
LIMIT = st.decimals(min_value=Decimal("0.5"), max_value=200, places=1)


@given(st.sampled_from(LOW_TERMS), VALUE, VALUE, LIMIT)
def test_a_lower_count_never_lowers_the_ctcae_grade(term, v1, v2, lln):
    low, high = sorted((v1, v2))
    grades = [grade_lab(term=term, value=v, lln=lln).grade for v in (low, high)]
    assert grades[0] >= grades[1]


@given(st.sampled_from(HIGH_TERMS), VALUE, VALUE, LIMIT, st.one_of(st.none(), LIMIT), st.booleans())
def test_a_higher_value_never_lowers_the_ctcae_grade(term, v1, v2, uln, baseline, rule):
    low, high = sorted((v1, v2))
    grades = [
        grade_lab(
            term=term, value=v, uln=uln, baseline=baseline, creatinine_baseline_rule=rule
        ).grade
        for v in (low, high)
    ]
    assert grades[1] >= grades[0]


@given(
    term=st.one_of(st.sampled_from(sorted(TERMS)), ANYTHING),
    value=ANYTHING,
    unit=ANYTHING,
    lln=ANYTHING,
    uln=ANYTHING,
    baseline=ANYTHING,
)
def test_ctcae_of_anything_grades_or_raises_the_domain_error(term, value, unit, lln, uln, baseline):
    try:
        grade = grade_lab(
            term=term, value=value, unit=unit, lln=lln, uln=uln, baseline=baseline
        ).grade
    except ArgumentError:
        return
    assert grade in range(6)
