"""Tests for screening.domain.eligibility against the two real protocol files (no database).

A fully eligible patient per stratum is the baseline; each test changes one thing. The table
`RULE_FAILURES` holds, per protocol, the change that makes a patient fail each criterion that has
a rule; a criterion added to a file without a row there fails `test_..._when_files_change`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from edc.domain.protocol import (
    AllRule,
    AnyRule,
    Criterion,
    JudgementRule,
    NotRule,
    ProtocolDefinition,
    Rule,
    load_protocol_file,
)
from screening.domain.eligibility import (
    NEVER,
    RULE_VERSION,
    Confirmation,
    EligibilityAssessment,
    EligibilityStatus,
    LabValue,
    MeasureValue,
    Outcome,
    ResultValue,
    ScreeningSnapshot,
    assess_eligibility,
    confirmation_keys,
    judgement_keys,
)

PROTOCOLS = Path(__file__).resolve().parents[3] / "protocols"
NCT, _ = load_protocol_file(PROTOCOLS / "nct07246096.yaml")
CT, _ = load_protocol_file(PROTOCOLS / "ct1192.yaml")
DEFINITIONS = {"nct07246096": NCT, "ct1192": CT}

TZ = ZoneInfo("Asia/Shanghai")
CONSENT = date(2026, 3, 2)
SCREENING = date(2026, 3, 3)
ENROLMENT = date(2026, 3, 20)
NOW = datetime(2026, 3, 20, 9, 0, tzinfo=TZ)  # the morning of enrolment

Item = LabValue | MeasureValue | ResultValue | Confirmation
MISSING, NOT = Outcome.MISSING_DATA, Outcome.NOT_MET


def lab(
    analyte: str,
    value: str,
    unit: str,
    *,
    uln: str | None = None,
    lln: str | None = None,
    on: date = SCREENING,
) -> LabValue:
    return LabValue(
        analyte=analyte,
        value=Decimal(value),
        unit=unit,
        lln=None if lln is None else Decimal(lln),
        uln=None if uln is None else Decimal(uln),
        collected_on=on,
    )


def measure(name: str, value: str | Decimal, *, on: date = SCREENING) -> MeasureValue:
    return MeasureValue(name=name, value=Decimal(value), measured_on=on)


def result(
    test: str, value: str, *, on: date = SCREENING, at: datetime | None = None
) -> ResultValue:
    return ResultValue(test=test, value=value, tested_on=on, tested_at=at)


def confirm(key: str, met: bool = True) -> Confirmation:
    return Confirmation(key=key, met=met, note="" if met else "recorded by the investigator")


def _judgement_parities(criterion: Criterion) -> list[bool]:
    """Per judgement node (depth-first), True when it sits under an odd number of `not`s."""
    parities: list[bool] = []

    def walk(rule: Rule, negated: bool) -> None:
        if isinstance(rule, JudgementRule):
            parities.append(negated)
        elif isinstance(rule, AllRule | AnyRule):
            for child in rule.rules:
                walk(child, negated)
        elif isinstance(rule, NotRule):
            walk(rule.rule, not negated)

    if criterion.rule is not None:
        walk(criterion.rule, False)
    return parities


def passing_confirmations(definition: ProtocolDefinition, stratum: str) -> dict[str, Confirmation]:
    """Every confirmation a stratum asks for, answered so that each criterion passes."""
    answers: dict[str, Confirmation] = {}
    for criterion in definition.criteria_for(stratum):
        if criterion.needs_confirmation:
            answers[criterion.id] = confirm(criterion.id)
        # A judgement is a finding: present helps an inclusion, absent helps an exclusion.
        wanted = criterion.kind == "inclusion"
        for (key, _), negated in zip(
            judgement_keys(criterion), _judgement_parities(criterion), strict=True
        ):
            answers[key] = confirm(key, wanted != negated)
    return answers


@dataclass(frozen=True)
class Patient:
    """A test-side builder: one subject's data keyed by name, so a change replaces one value."""

    definition: ProtocolDefinition
    stratum: str
    labs: Mapping[str, LabValue]
    measures: Mapping[str, MeasureValue]
    results: Mapping[str, ResultValue]
    confirmations: Mapping[str, Confirmation] = field(default_factory=dict)
    sex: str = "F"
    childbearing_potential: bool | None = True
    now: datetime = NOW

    def with_(self, *items: Item) -> Patient:
        labs, measures = dict(self.labs), dict(self.measures)
        results, confirmations = dict(self.results), dict(self.confirmations)
        for item in items:
            if isinstance(item, LabValue):
                labs[item.analyte] = item
            elif isinstance(item, MeasureValue):
                measures[item.name] = item
            elif isinstance(item, ResultValue):
                results[item.test] = item
            else:
                confirmations[item.key] = item
        return replace(
            self, labs=labs, measures=measures, results=results, confirmations=confirmations
        )

    def without(self, *names: str) -> Patient:
        def drop(values: Mapping[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in values.items() if k not in names}

        return replace(
            self,
            labs=drop(self.labs),
            measures=drop(self.measures),
            results=drop(self.results),
            confirmations=drop(self.confirmations),
        )

    def snapshot(self, **changes: Any) -> ScreeningSnapshot:
        fields: dict[str, Any] = {
            "stratum": self.stratum,
            "sex": self.sex,
            "childbearing_potential": self.childbearing_potential,
            "consent_date": CONSENT,
            "screening_date": SCREENING,
            "enrolment_date": ENROLMENT,
            "now": self.now,
            "labs": tuple(self.labs.values()),
            "measures": tuple(self.measures.values()),
            "results": tuple(self.results.values()),
            "confirmations": tuple(self.confirmations.values()),
        }
        fields.update(changes)
        return ScreeningSnapshot(**fields)

    def assess(self, **changes: Any) -> EligibilityAssessment:
        return assess_eligibility(definition=self.definition, snapshot=self.snapshot(**changes))

    def outcome(self, criterion_id: str) -> Outcome:
        return self.assess().result_for(criterion_id).outcome


# --------------------------------------------------------------------------- baselines

HCG_NCT_DAY = ENROLMENT - timedelta(days=4)


def nct_patient(stratum: str = "sle") -> Patient:
    """A female of childbearing potential meeting every NCT07246096 criterion of any stratum."""
    labs = [
        lab("neutrophils", "2.5", "10^9/L", lln="1.8", uln="6.3"),
        lab("hemoglobin", "118", "g/L", lln="115", uln="150"),
        lab("alt", "30", "U/L", uln="40"),
        lab("ast", "28", "U/L", uln="35"),
        lab("bilirubin", "12", "umol/L", uln="21"),
        lab("inr", "1.0", "", uln="1.2"),
        lab("pt", "12.5", "s", uln="13.5"),
        lab("crp", "25", "mg/L", uln="10"),
        lab("esr", "40", "mm/h", uln="20"),
    ]
    measures = [
        measure("age_at_consent_years", "45", on=CONSENT),
        measure("lvef_pct", "62"),
        measure("egfr_ckd_epi_2021", "90"),
        measure("days_since_other_trial_treatment", "400"),
        measure("sledai2k", "12"),
        measure("bilag_a_count", "1"),
        measure("bilag_b_count", "0"),
        measure("ana_titre_reciprocal", "160"),
        measure("fvc_pct_predicted", "65"),
        measure("dlco_pct_predicted", "60"),
        measure("essdai", "8"),
        measure("disease_duration_months", "24"),
        measure("sjc66", "8"),
        measure("tjc68", "10"),
        measure("acr_functional_class", "2"),
        measure("bvas", "18"),
    ]
    results = [
        result("pregnancy_serum_hcg", "negative", on=HCG_NCT_DAY),
        result("lactating", "no"),
        result("hbsag", "negative"),
        result("hbcab", "negative"),  # HBV DNA not needed: the all() is already False
        result("hcv_ab", "negative"),
        result("hiv_ab", "negative"),
        result("syphilis", "negative"),
        result("anti_dsdna", "positive"),
        result("anti_sm", "negative"),
        result("hrct_ground_glass", "present"),
        result("mpo_anca", "positive"),
        result("pr3_anca", "negative"),
    ]
    return Patient(
        definition=NCT,
        stratum=stratum,
        labs={x.analyte: x for x in labs},
        measures={x.name: x for x in measures},
        results={x.test: x for x in results},
        confirmations=passing_confirmations(NCT, stratum),
    )


HCG_CT_AT = datetime(2026, 3, 2, 10, 0, tzinfo=TZ)


def ct_patient(stratum: str = "sle") -> Patient:
    """A female of childbearing potential meeting every CT1192 criterion."""
    labs = [
        lab("neutrophils", "2.5", "10^9/L", lln="1.8", uln="6.3"),
        lab("hemoglobin", "118", "g/L", lln="115", uln="150"),
        lab("alt", "30", "U/L", uln="40"),
        lab("ast", "28", "U/L", uln="35"),
        lab("bilirubin", "12", "umol/L", uln="21"),
        lab("inr", "1.0", "", uln="1.2"),
        lab("aptt", "30", "s", uln="40"),
    ]
    measures = [
        measure("disease_duration_months", "24"),
        measure("age_at_consent_years", "35", on=CONSENT),
        measure("ana_titre_reciprocal", "320"),
        measure("sledai2k", "10"),
        measure("crcl_cockcroft_gault_ml_min", "95"),
        measure("days_since_transfusion", NEVER),
        measure("days_since_growth_factor", NEVER),
        measure("spo2_room_air_pct", "97"),
        measure("lvef_pct", "60", on=SCREENING - timedelta(days=10)),
        measure("glucocorticoid_combination_months", "6", on=CONSENT),
        measure("treatment_stable_days", "30", on=CONSENT),
        measure("on_immunosuppressant_or_biologic", "1", on=CONSENT),
        measure("prednisone_equivalent_mg_day", "5", on=CONSENT),
    ]
    results = [
        result("pregnancy_serum_hcg", "negative", on=HCG_CT_AT.date(), at=HCG_CT_AT),
        result("chest_imaging", "no_active_lesion"),
        result("tb_igra", "negative"),
        result("anti_dsdna", "positive"),
        result("anti_sm", "negative"),
    ]
    return Patient(
        definition=CT,
        stratum=stratum,
        labs={x.analyte: x for x in labs},
        measures={x.name: x for x in measures},
        results={x.test: x for x in results},
        confirmations=passing_confirmations(CT, stratum),
    )


BASELINES = {"nct07246096": nct_patient, "ct1192": ct_patient}


def patient_for(name: str, criterion_id: str) -> Patient:
    """The eligible baseline of a stratum that has the criterion (the first for a common one)."""
    definition = DEFINITIONS[name]
    group = next(c.group for c in definition.eligibility if c.id == criterion_id)
    return BASELINES[name](definition.stratum_codes()[0] if group == "common" else group)


CASES = [(name, s) for name, d in DEFINITIONS.items() for s in d.stratum_codes()]


# ------------------------------------------------------------------ one failure per rule

RULE_FAILURES: dict[str, dict[str, tuple[Item, ...]]] = {
    "nct07246096": {
        "inc-common-1": (measure("age_at_consent_years", "71", on=CONSENT),),
        "inc-common-2a": (lab("neutrophils", "0.99", "10^9/L", lln="1.8", uln="6.3"),),
        "inc-common-2b": (lab("alt", "121", "U/L", uln="40"),),
        "inc-common-2c": (lab("inr", "1.81", "", uln="1.2"),),
        "inc-common-2d": (measure("lvef_pct", "49"),),
        "inc-common-3": (result("lactating", "yes"),),
        "inc-sle-2": (measure("sledai2k", "7"),),
        "inc-sle-3": (measure("bilag_a_count", "0"), measure("bilag_b_count", "1")),
        "inc-sle-4": (
            measure("ana_titre_reciprocal", "40"),
            result("anti_dsdna", "negative"),
            result("anti_sm", "negative"),
        ),
        "inc-ssc-2": (measure("fvc_pct_predicted", "70"), measure("dlco_pct_predicted", "72")),
        "inc-pss-2": (measure("essdai", "4"),),
        "inc-ra-1": (measure("disease_duration_months", "5"),),
        "inc-ra-2": (measure("sjc66", "5"),),
        "inc-ra-3": (lab("crp", "9.9", "mg/L", uln="10"), lab("esr", "27", "mm/h", uln="20")),
        "inc-aav-2": (result("mpo_anca", "negative"), result("pr3_anca", "negative")),
        "inc-aav-3": (measure("bvas", "14"),),
        "inc-aav-4": (measure("egfr_ckd_epi_2021", "14.9"),),
        "exc-common-7": (measure("egfr_ckd_epi_2021", "14.9"),),
        "exc-common-8": (result("hbsag", "positive"),),
        "exc-common-10": (measure("days_since_other_trial_treatment", "182"),),
        "exc-common-11": (result("pregnancy_serum_hcg", "positive", on=HCG_NCT_DAY),),
        "exc-ra-1": (measure("acr_functional_class", "4"),),
        "exc-aav-1": (measure("egfr_ckd_epi_2021", "14.9"),),
    },
    "ct1192": {
        "inc-1": (measure("disease_duration_months", "5"),),
        "inc-2": (measure("age_at_consent_years", "61", on=CONSENT),),
        "inc-3": (result("chest_imaging", "active_lesion"),),
        "inc-5": (result("pregnancy_serum_hcg", "positive", on=HCG_CT_AT.date(), at=HCG_CT_AT),),
        "inc-6": (measure("glucocorticoid_combination_months", "2", on=CONSENT),),
        "inc-7": (
            measure("ana_titre_reciprocal", "40"),
            result("anti_dsdna", "negative"),
            result("anti_sm", "negative"),
        ),
        "inc-8": (measure("sledai2k", "6"), confirm("inc-8/judgement/0", met=False)),
        "inc-10a": (measure("crcl_cockcroft_gault_ml_min", "49.9"),),
        "inc-10b": (measure("days_since_transfusion", "7"),),
        "inc-10c": (lab("bilirubin", "42.1", "umol/L", uln="21"),),
        "inc-10d": (lab("inr", "1.81", "", uln="1.2"), lab("aptt", "60.1", "s", uln="40")),
        "inc-10e": (measure("spo2_room_air_pct", "91"),),
        "inc-10f": (measure("lvef_pct", "49", on=SCREENING - timedelta(days=10)),),
    },
}

# Criteria the files decide from the same data, so no patient can fail one alone (reported).
_EGFR_AAV = frozenset({"inc-aav-4", "exc-aav-1", "exc-common-7"})
OVERLAPS: dict[tuple[str, str, str], frozenset[str]] = {
    # A positive serum hCG excludes (exc-common-11) and fails the negative-hCG inclusion.
    **{
        ("nct07246096", s, "exc-common-11"): frozenset({"exc-common-11", "inc-common-3"})
        for s in NCT.stratum_codes()
    },
    # eGFR < 15 is excluded twice (common 7 and AAV 1) and fails AAV inclusion 4 (eGFR >= 15).
    **{("nct07246096", "aav", cid): _EGFR_AAV for cid in _EGFR_AAV},
}


def _rule_cases() -> list[Any]:
    return [
        pytest.param(name, stratum, c.id, id=f"{name}-{stratum}-{c.id}")
        for name, stratum in CASES
        for c in DEFINITIONS[name].criteria_for(stratum)
        if c.rule is not None
    ]


def _confirmation_cases() -> list[Any]:
    return [
        pytest.param(name, stratum, c.id, id=f"{name}-{stratum}-{c.id}")
        for name, stratum in CASES
        for c in DEFINITIONS[name].criteria_for(stratum)
        if c.needs_confirmation
    ]


@pytest.mark.parametrize(("name", "stratum"), CASES)
def test_patient_is_eligible_when_every_criterion_is_met(name: str, stratum: str) -> None:
    assessment = BASELINES[name](stratum).assess()

    assert assessment.status is EligibilityStatus.ELIGIBLE
    assert [r.outcome for r in assessment.results] == [Outcome.MET] * len(assessment.results)
    assert [r.criterion_id for r in assessment.results] == [
        c.id for c in DEFINITIONS[name].criteria_for(stratum)
    ]
    assert assessment.failed == ()
    assert assessment.rule_version == RULE_VERSION
    assert assessment.stratum == stratum


def test_failure_table_covers_every_rule_criterion_when_files_change() -> None:
    for name, definition in DEFINITIONS.items():
        with_rule = {c.id for c in definition.eligibility if c.rule is not None}
        assert set(RULE_FAILURES[name]) == with_rule, name


@pytest.mark.parametrize(("name", "stratum", "criterion_id"), _rule_cases())
def test_only_that_criterion_fails_when_patient_fails_one_rule(
    name: str, stratum: str, criterion_id: str
) -> None:
    patient = BASELINES[name](stratum).with_(*RULE_FAILURES[name][criterion_id])

    assessment = patient.assess()

    expected = OVERLAPS.get((name, stratum, criterion_id), frozenset({criterion_id}))
    assert assessment.status is EligibilityStatus.INELIGIBLE
    assert {r.criterion_id for r in assessment.failed} == expected
    assert all(r.outcome is Outcome.MET for r in assessment.results if r not in assessment.failed)
    assert assessment.result_for(criterion_id).reasons


@pytest.mark.parametrize(("name", "stratum", "criterion_id"), _confirmation_cases())
def test_only_that_criterion_fails_when_investigator_answers_not_met(
    name: str, stratum: str, criterion_id: str
) -> None:
    patient = BASELINES[name](stratum).with_(confirm(criterion_id, met=False))

    assessment = patient.assess()

    assert assessment.status is EligibilityStatus.INELIGIBLE
    assert [r.criterion_id for r in assessment.failed] == [criterion_id]
    assert "investigator confirmed: not met; recorded by the investigator" in (
        assessment.failed[0].reasons
    )


@pytest.mark.parametrize(("name", "stratum", "criterion_id"), _confirmation_cases())
def test_criterion_needs_confirmation_when_investigator_has_not_answered(
    name: str, stratum: str, criterion_id: str
) -> None:
    patient = BASELINES[name](stratum).without(criterion_id)

    assessment = patient.assess()

    outcome = assessment.result_for(criterion_id)
    assert assessment.status is EligibilityStatus.PENDING
    assert outcome.outcome is Outcome.NEEDS_CONFIRMATION
    assert outcome.unconfirmed_keys == (criterion_id,)
    assert any(f"awaiting investigator confirmation ({criterion_id})" in r for r in outcome.reasons)


# ---------------------------------------------------------------------------- time windows


@pytest.mark.parametrize(
    ("days_before_enrolment", "expected"),
    [
        (0, Outcome.MET),
        (7, Outcome.MET),  # "within 7 days before enrolment" includes day -7
        (8, Outcome.MISSING_DATA),  # outside: the test must be repeated, not a failure
        (-1, Outcome.MISSING_DATA),  # after enrolment: not a value for this assessment
    ],
)
def test_hcg_window_is_seven_days_before_enrolment_when_days_vary(
    days_before_enrolment: int, expected: Outcome
) -> None:
    on = ENROLMENT - timedelta(days=days_before_enrolment)
    patient = nct_patient().with_(result("pregnancy_serum_hcg", "negative", on=on))

    outcome = patient.assess().result_for("inc-common-3")

    assert outcome.outcome is expected
    hcg = next(e for e in outcome.evidence if e.name == "pregnancy_serum_hcg" and e.window)
    assert hcg.window in {
        "latest on or before enrolment (2026-03-20)",
        "within 7 days before enrolment (2026-03-13 to 2026-03-20)",
    }


def test_reason_names_the_window_when_hcg_is_eight_days_old() -> None:
    on = ENROLMENT - timedelta(days=8)
    patient = nct_patient().with_(result("pregnancy_serum_hcg", "negative", on=on))

    outcome = patient.assess().result_for("inc-common-3")

    assert (
        "pregnancy_serum_hcg: the latest value (2026-03-12) is outside the window within 7 days "
        "before enrolment (2026-03-13 to 2026-03-20)" in outcome.reasons
    )


SCREENING_MORNING = datetime(2026, 3, 3, 10, 0, tzinfo=TZ)


@pytest.mark.parametrize(
    ("now", "tested_on", "tested_at", "expected"),
    [
        # Assessed on the screening day: 48 hours back from now.
        (SCREENING_MORNING, date(2026, 3, 1), datetime(2026, 3, 1, 10, 0, tzinfo=TZ), "met"),
        (SCREENING_MORNING, date(2026, 3, 1), datetime(2026, 3, 1, 9, 59, tzinfo=TZ), "missing"),
        (SCREENING_MORNING, date(2026, 3, 3), datetime(2026, 3, 3, 9, 0, tzinfo=TZ), "met"),
        # A result timed after now is not yet a value.
        (SCREENING_MORNING, date(2026, 3, 3), datetime(2026, 3, 3, 11, 0, tzinfo=TZ), "missing"),
        # Date only: inside if the whole day is, outside if none of it is, else time needed.
        (SCREENING_MORNING, date(2026, 3, 2), None, "met"),
        (SCREENING_MORNING, date(2026, 3, 1), None, "missing"),
        (SCREENING_MORNING, date(2026, 2, 28), None, "missing"),
        # Assessed later: 48 hours back from the end of the screening day.
        (NOW, date(2026, 3, 2), datetime(2026, 3, 2, 0, 0, tzinfo=TZ), "met"),
        (NOW, date(2026, 3, 1), datetime(2026, 3, 1, 23, 59, tzinfo=TZ), "missing"),
    ],
)
def test_hcg_window_is_48_hours_before_screening_when_ct1192(
    now: datetime, tested_on: date, tested_at: datetime | None, expected: str
) -> None:
    patient = replace(ct_patient(), now=now).with_(
        result("pregnancy_serum_hcg", "negative", on=tested_on, at=tested_at)
    )

    outcome = patient.assess().result_for("inc-5").outcome

    assert outcome is {"met": Outcome.MET, "missing": Outcome.MISSING_DATA}[expected]


def test_reason_asks_for_the_time_when_hcg_has_only_a_date_across_the_window_start() -> None:
    patient = replace(ct_patient(), now=SCREENING_MORNING).with_(
        result("pregnancy_serum_hcg", "negative", on=date(2026, 3, 1))
    )

    reasons = patient.assess().result_for("inc-5").reasons

    assert any("without a time; its time is needed" in r for r in reasons), reasons


@pytest.mark.parametrize(
    ("days_before_screening", "expected"),
    [(0, Outcome.MET), (56, Outcome.MET), (57, Outcome.MISSING_DATA)],
)
def test_lvef_window_is_eight_weeks_before_screening_when_ct1192(
    days_before_screening: int, expected: Outcome
) -> None:
    on = SCREENING - timedelta(days=days_before_screening)
    patient = ct_patient().with_(measure("lvef_pct", "60", on=on))

    assert patient.outcome("inc-10f") is expected


@pytest.mark.parametrize(
    ("older", "newer", "expected"),
    [("0.5", "2.0", Outcome.MET), ("2.0", "0.5", Outcome.NOT_MET)],
)
def test_latest_value_decides_when_there_are_several(
    older: str, newer: str, expected: Outcome
) -> None:
    patient = nct_patient()
    snapshot = patient.snapshot(
        labs=(
            *[v for k, v in patient.labs.items() if k != "neutrophils"],
            lab("neutrophils", newer, "10^9/L", on=SCREENING + timedelta(days=5)),
            lab("neutrophils", older, "10^9/L", on=SCREENING),
            lab("neutrophils", "0.1", "10^9/L", on=ENROLMENT + timedelta(days=1)),  # ignored
        )
    )

    assessment = assess_eligibility(definition=NCT, snapshot=snapshot)

    assert assessment.result_for("inc-common-2a").outcome is expected


# ------------------------------------------------------------- thresholds, ULN, units


@pytest.mark.parametrize(
    ("alt", "uln", "expected", "threshold"),
    [
        ("119", "40", Outcome.MET, "3 x ULN = 120 U/L"),
        ("120", "40", Outcome.MET, "3 x ULN = 120 U/L"),  # exactly on the threshold
        ("120.01", "40", Outcome.NOT_MET, "3 x ULN = 120 U/L"),
        ("105", "35", Outcome.MET, "3 x ULN = 105 U/L"),  # another site lab's ULN
        ("106", "35", Outcome.NOT_MET, "3 x ULN = 105 U/L"),
    ],
)
def test_alt_is_compared_with_three_times_site_uln_when_nct(
    alt: str, uln: str, expected: Outcome, threshold: str
) -> None:
    patient = nct_patient().with_(lab("alt", alt, "U/L", uln=uln))

    outcome = patient.assess().result_for("inc-common-2b")

    assert outcome.outcome is expected
    evidence = next(e for e in outcome.evidence if e.name == "alt")
    assert evidence.threshold == threshold
    assert evidence.value == Decimal(alt)
    assert evidence.unit == "U/L"
    assert evidence.observed_on == SCREENING
    assert evidence.satisfied is (expected is Outcome.MET)


@pytest.mark.parametrize(
    ("bilirubin", "expected"),
    [("42", Outcome.MET), ("42.01", Outcome.NOT_MET)],  # 2 x ULN 21 umol/L = 42
)
def test_bilirubin_is_compared_with_twice_uln_when_ct1192(
    bilirubin: str, expected: Outcome
) -> None:
    patient = ct_patient().with_(lab("bilirubin", bilirubin, "umol/L", uln="21"))

    assert patient.outcome("inc-10c") is expected


def test_uln_rule_is_missing_data_when_site_uln_is_not_recorded() -> None:
    patient = nct_patient().with_(lab("alt", "30", "U/L", uln=None))

    outcome = patient.assess().result_for("inc-common-2b")

    assert outcome.outcome is Outcome.MISSING_DATA
    assert any("ULN" in r and "alt" in r for r in outcome.reasons), outcome.reasons


@pytest.mark.parametrize(
    ("criterion_id", "item", "expected"),
    [
        ("inc-common-2a", lab("neutrophils", "1.0", "10^9/L"), Outcome.MET),
        ("inc-common-2a", lab("neutrophils", "0.999", "10^9/L"), Outcome.NOT_MET),
        ("inc-common-2a", lab("hemoglobin", "60", "g/L"), Outcome.MET),
        ("inc-common-2a", lab("hemoglobin", "59.9", "g/L"), Outcome.NOT_MET),
        ("inc-common-2a", lab("hemoglobin", "6.0", "g/dL"), Outcome.MET),  # = 60 g/L
        ("inc-common-2a", lab("hemoglobin", "5.99", "g/dL"), Outcome.NOT_MET),
        ("inc-common-1", measure("age_at_consent_years", "18", on=CONSENT), Outcome.MET),
        ("inc-common-1", measure("age_at_consent_years", "70", on=CONSENT), Outcome.MET),
        ("inc-common-1", measure("age_at_consent_years", "17", on=CONSENT), Outcome.NOT_MET),
        ("inc-common-2d", measure("lvef_pct", "50"), Outcome.MET),
        ("inc-sle-2", measure("sledai2k", "8"), Outcome.MET),
        ("inc-ra-3", lab("crp", "1.0", "mg/dL"), Outcome.MET),  # = 10 mg/L
        ("exc-common-10", measure("days_since_other_trial_treatment", "183"), Outcome.MET),
        ("exc-common-10", measure("days_since_other_trial_treatment", "182"), Outcome.NOT_MET),
    ],
)
def test_value_exactly_on_threshold_is_decided_exactly_when_nct(
    criterion_id: str, item: Item, expected: Outcome
) -> None:
    patient = patient_for("nct07246096", criterion_id).with_(item)

    assert patient.outcome(criterion_id) is expected


@pytest.mark.parametrize(
    ("criterion_id", "item", "expected"),
    [
        ("inc-2", measure("age_at_consent_years", "60", on=CONSENT), Outcome.MET),
        ("inc-10a", measure("crcl_cockcroft_gault_ml_min", "50"), Outcome.MET),
        ("inc-10b", measure("days_since_transfusion", "8"), Outcome.MET),
        ("inc-10b", measure("days_since_growth_factor", "7"), Outcome.NOT_MET),
        ("inc-10b", measure("days_since_growth_factor", NEVER), Outcome.MET),
        ("inc-10e", measure("spo2_room_air_pct", "92"), Outcome.MET),
        ("inc-10f", measure("lvef_pct", "50", on=SCREENING), Outcome.MET),
        ("inc-8", measure("sledai2k", "7"), Outcome.MET),
    ],
)
def test_value_exactly_on_threshold_is_decided_exactly_when_ct1192(
    criterion_id: str, item: Item, expected: Outcome
) -> None:
    patient = ct_patient().with_(item)

    assert patient.outcome(criterion_id) is expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        ("1000", "/uL", Outcome.MET),  # exactly 1.0 x 10^9/L
        ("999", "/uL", Outcome.NOT_MET),
        ("1500", "/mm3", Outcome.MET),
    ],
)
def test_neutrophils_are_converted_to_canonical_unit_when_entered_per_microlitre(
    value: str, unit: str, expected: Outcome
) -> None:
    patient = nct_patient().with_(lab("neutrophils", value, unit))

    outcome = patient.assess().result_for("inc-common-2a")

    assert outcome.outcome is expected
    evidence = next(e for e in outcome.evidence if e.name == "neutrophils")
    assert evidence.value == Decimal(value) / 1000
    assert evidence.unit == "10^9/L"
    assert evidence.threshold == "1 10^9/L"
    assert evidence.note == f"entered as {value} {unit}"


# ------------------------------------------------------------------ missing data, Kleene


@pytest.mark.parametrize(
    ("name", "criterion_id", "dropped", "named"),
    [
        ("nct07246096", "inc-common-2a", "neutrophils", "no neutrophils value on or before"),
        ("nct07246096", "inc-common-1", "age_at_consent_years", "no age_at_consent_years value"),
        ("nct07246096", "inc-common-3", "lactating", "no lactating value"),
        ("nct07246096", "exc-common-8", "syphilis", "no syphilis value"),
        ("ct1192", "inc-10b", "days_since_transfusion", "no days_since_transfusion value"),
        ("ct1192", "inc-5", "pregnancy_serum_hcg", "no pregnancy_serum_hcg value"),
    ],
)
def test_outcome_is_missing_data_naming_the_value_when_it_is_absent(
    name: str, criterion_id: str, dropped: str, named: str
) -> None:
    assessment = BASELINES[name]().without(dropped).assess()

    outcome = assessment.result_for(criterion_id)
    assert assessment.status is EligibilityStatus.PENDING
    assert outcome.outcome is Outcome.MISSING_DATA
    assert any(named in r for r in outcome.reasons), outcome.reasons
    assert [r.criterion_id for r in assessment.outstanding] == [criterion_id]


def test_status_is_ineligible_when_one_criterion_fails_and_another_lacks_data() -> None:
    patient = nct_patient().without("neutrophils").with_(measure("lvef_pct", "40"))

    assessment = patient.assess()

    assert assessment.status is EligibilityStatus.INELIGIBLE
    assert [r.criterion_id for r in assessment.failed] == ["inc-common-2d"]
    assert [r.criterion_id for r in assessment.outstanding] == ["inc-common-2a"]


@pytest.mark.parametrize(
    ("name", "criterion_id", "change", "drop", "expected"),
    [
        # any(): one branch met, the other missing -> met
        ("ct1192", "inc-10d", (), ("aptt",), Outcome.MET),
        ("ct1192", "inc-10d", (lab("inr", "1.81", "", uln="1.2"),), ("aptt",), MISSING),
        ("nct07246096", "inc-ra-3", (), ("esr",), Outcome.MET),
        ("nct07246096", "inc-sle-4", (), ("ana_titre_reciprocal", "anti_sm"), Outcome.MET),
        # all(): one branch not met, the other missing -> not met
        ("nct07246096", "inc-common-2a", (lab("hemoglobin", "50", "g/L"),), ("neutrophils",), NOT),
        ("nct07246096", "inc-common-2b", (), ("bilirubin",), MISSING),
    ],
)
def test_kleene_logic_decides_when_a_branch_lacks_data(
    name: str,
    criterion_id: str,
    change: tuple[Item, ...],
    drop: tuple[str, ...],
    expected: Outcome,
) -> None:
    patient = patient_for(name, criterion_id).without(*drop).with_(*change)

    outcome = patient.outcome(criterion_id)

    assert outcome is expected


def test_judgement_needs_confirmation_when_data_does_not_meet_the_other_branch() -> None:
    patient = ct_patient().with_(measure("sledai2k", "6")).without("inc-8/judgement/0")

    outcome = patient.assess().result_for("inc-8")

    assert outcome.outcome is Outcome.NEEDS_CONFIRMATION
    assert outcome.unconfirmed_keys == ("inc-8/judgement/0",)
    assert any(
        "awaiting the investigator's judgement (inc-8/judgement/0)" in r for r in outcome.reasons
    )


@pytest.mark.parametrize(
    ("sledai", "judgement", "expected"),
    [
        ("10", None, Outcome.MET),  # the data branch decides; no judgement needed
        ("6", True, Outcome.MET),
        ("6", False, Outcome.NOT_MET),
        (None, None, Outcome.MISSING_DATA),  # missing data outranks the open judgement
        (None, True, Outcome.MET),
    ],
)
def test_judgement_branch_decides_when_sledai_does_not(
    sledai: str | None, judgement: bool | None, expected: Outcome
) -> None:
    patient = ct_patient().without("sledai2k", "inc-8/judgement/0")
    if sledai is not None:
        patient = patient.with_(measure("sledai2k", sledai))
    if judgement is not None:
        patient = patient.with_(confirm("inc-8/judgement/0", judgement))

    assert patient.outcome("inc-8") is expected


@pytest.mark.parametrize(
    ("lvef", "answer", "expected"),
    [
        ("62", None, Outcome.NEEDS_CONFIRMATION),
        ("62", True, Outcome.MET),
        ("62", False, Outcome.NOT_MET),
        ("40", True, Outcome.NOT_MET),
        (None, True, Outcome.MISSING_DATA),
        (None, False, Outcome.NOT_MET),
    ],
)
def test_rule_and_confirmation_must_both_be_met_when_criterion_has_confirm(
    lvef: str | None, answer: bool | None, expected: Outcome
) -> None:
    patient = nct_patient().without("lvef_pct", "inc-common-2d")
    if lvef is not None:
        patient = patient.with_(measure("lvef_pct", lvef))
    if answer is not None:
        patient = patient.with_(confirm("inc-common-2d", answer))

    assert patient.outcome("inc-common-2d") is expected


# ------------------------------------------------------------------- exclusion semantics


@pytest.mark.parametrize(
    ("acr_class", "expected"),
    [("4", Outcome.NOT_MET), ("3", Outcome.MET), (None, Outcome.MISSING_DATA)],
)
def test_exclusion_is_not_met_when_its_condition_holds(
    acr_class: str | None, expected: Outcome
) -> None:
    patient = nct_patient("ra").without("acr_functional_class")
    if acr_class is not None:
        patient = patient.with_(measure("acr_functional_class", acr_class))

    outcome = patient.assess().result_for("exc-ra-1")

    assert outcome.outcome is expected
    if expected is Outcome.NOT_MET:
        assert outcome.reasons[0] == "excluding condition present"
        assert outcome.evidence[0].satisfied is True  # the excluding condition holds


@pytest.mark.parametrize(
    ("hbcab", "hbv_dna", "expected"),
    [
        ("positive", "detectable", Outcome.NOT_MET),
        ("positive", "undetectable", Outcome.MET),
        ("positive", None, Outcome.MISSING_DATA),
        ("negative", None, Outcome.MET),  # all(False, unknown) is False: not excluded
        (None, "undetectable", Outcome.MET),
        (None, "detectable", Outcome.MISSING_DATA),
    ],
)
def test_hepatitis_b_exclusion_follows_kleene_logic_when_data_is_partial(
    hbcab: str | None, hbv_dna: str | None, expected: Outcome
) -> None:
    patient = nct_patient().without("hbcab")
    for test, value in (("hbcab", hbcab), ("hbv_dna_detectable", hbv_dna)):
        if value is not None:
            patient = patient.with_(result(test, value))

    assert patient.outcome("exc-common-8") is expected


@pytest.mark.parametrize(
    ("egfr", "answer", "expected"),
    [
        ("90", True, Outcome.MET),
        ("90", False, Outcome.NOT_MET),  # on dialysis, per the investigator
        ("14.9", True, Outcome.NOT_MET),
        ("15", None, Outcome.NEEDS_CONFIRMATION),
    ],
)
def test_exclusion_with_confirmation_needs_both_parts_when_end_stage_renal_failure(
    egfr: str, answer: bool | None, expected: Outcome
) -> None:
    patient = nct_patient().without("exc-common-7").with_(measure("egfr_ckd_epi_2021", egfr))
    if answer is not None:
        patient = patient.with_(confirm("exc-common-7", answer))

    assert patient.outcome("exc-common-7") is expected


@pytest.mark.parametrize(
    ("days", "expected"), [(NEVER, Outcome.MET), (Decimal(10), Outcome.NOT_MET)]
)
def test_never_counts_as_long_ago_when_no_other_trial_treatment(
    days: Decimal, expected: Outcome
) -> None:
    patient = nct_patient().with_(measure("days_since_other_trial_treatment", days))

    assert patient.outcome("exc-common-10") is expected


# ------------------------------------------------------------------------ applicability


@pytest.mark.parametrize(
    ("name", "criterion_id", "sex", "childbearing_potential", "who"),
    [
        ("nct07246096", "exc-common-11", "M", None, "a male subject"),
        ("nct07246096", "exc-common-11", "F", False, "a female not of childbearing potential"),
        ("ct1192", "inc-5", "M", False, "a male subject"),
        ("ct1192", "inc-5", "F", False, "a female not of childbearing potential"),
    ],
)
def test_childbearing_criteria_are_skipped_when_subject_cannot_bear_children(
    name: str, criterion_id: str, sex: str, childbearing_potential: bool | None, who: str
) -> None:
    patient = replace(
        BASELINES[name](), sex=sex, childbearing_potential=childbearing_potential
    ).without("pregnancy_serum_hcg", "lactating")
    if name == "nct07246096":  # inc-common-3 reads the hCG as not applicable for them
        patient = patient.with_(result("pregnancy_serum_hcg", "not_applicable"))

    assessment = patient.assess()

    outcome = assessment.result_for(criterion_id)
    assert assessment.status is EligibilityStatus.ELIGIBLE
    assert outcome.outcome is Outcome.MET
    assert outcome.applicable is False
    assert outcome.confirmation_keys == ()
    assert outcome.reasons[0].startswith(f"not applicable to {who}")


@pytest.mark.parametrize(
    ("name", "criterion_id"), [("nct07246096", "exc-common-11"), ("ct1192", "inc-5")]
)
def test_childbearing_criterion_is_missing_data_when_potential_is_not_recorded(
    name: str, criterion_id: str
) -> None:
    patient = replace(BASELINES[name](), childbearing_potential=None)

    outcome = patient.assess().result_for(criterion_id)

    assert outcome.outcome is Outcome.MISSING_DATA
    assert "childbearing potential is not recorded" in outcome.reasons[0]


# ------------------------------------------------------------------------- helpers, input


def test_judgement_keys_list_the_judgement_items_when_a_rule_has_them() -> None:
    criteria = {c.id: c for c in CT.eligibility}

    keys = judgement_keys(criteria["inc-8"])

    assert [k for k, _ in keys] == ["inc-8/judgement/0"]
    assert keys[0][1].startswith("Significant organ dysfunction")
    assert judgement_keys(criteria["inc-10a"]) == []
    assert confirmation_keys(criteria["inc-1"]) == ("inc-1",)
    assert confirmation_keys(criteria["inc-8"]) == ("inc-8/judgement/0",)


def test_evidence_states_what_was_compared_when_hcg_is_in_window() -> None:
    outcome = nct_patient().assess().result_for("inc-common-3")

    windowed = [e for e in outcome.evidence if e.window and e.window.startswith("within")]
    assert len(windowed) == 1
    assert windowed[0].name == "pregnancy_serum_hcg"
    assert windowed[0].value == "negative"
    assert windowed[0].observed_on == HCG_NCT_DAY
    assert windowed[0].window == "within 7 days before enrolment (2026-03-13 to 2026-03-20)"
    assert windowed[0].satisfied is True
    assert outcome.evidence[-1].kind == "confirmation"


def _naive(s: ScreeningSnapshot) -> ScreeningSnapshot:
    hcg = result("pregnancy_serum_hcg", "negative", on=date(2026, 3, 2), at=datetime(2026, 3, 2))
    return replace(s, results=(*[r for r in s.results if r.test != hcg.test], hcg))


@pytest.mark.parametrize(
    ("name", "change", "argument"),
    [
        ("nct07246096", lambda s: replace(s, stratum="gout"), "snapshot.stratum"),
        ("nct07246096", lambda s: replace(s, sex="X"), "snapshot.sex"),
        (
            "nct07246096",
            lambda s: replace(s, sex="M", childbearing_potential=True),
            "snapshot.childbearing_potential",
        ),
        (
            "nct07246096",
            lambda s: replace(s, screening_date=CONSENT - timedelta(days=1)),
            "snapshot.screening_date",
        ),
        (
            "nct07246096",
            lambda s: replace(s, enrolment_date=SCREENING - timedelta(days=1)),
            "snapshot.enrolment_date",
        ),
        (
            "nct07246096",
            lambda s: replace(s, labs=(*s.labs, lab("neutrophils", "1.5", "g/L"))),
            "snapshot.labs",
        ),
        (
            "nct07246096",
            lambda s: replace(s, labs=(*s.labs, lab("vitamin_d", "50", "nmol/L"))),
            "snapshot.labs",
        ),
        (
            "nct07246096",
            lambda s: replace(
                s,
                labs=(LabValue("alt", 30.0, "U/L", None, None, SCREENING),),  # type: ignore[arg-type]
            ),
            "snapshot.labs",
        ),
        (
            "nct07246096",
            lambda s: replace(s, labs=(lab("alt", "30", "U/L", lln="50", uln="40"),)),
            "snapshot.labs",
        ),
        (
            "nct07246096",
            lambda s: replace(s, measures=(measure("weight_kg", "70"),)),
            "snapshot.measures",
        ),
        (
            "nct07246096",
            lambda s: replace(s, measures=(measure("lvef_pct", NEVER),)),
            "snapshot.measures",
        ),
        (
            "nct07246096",
            lambda s: replace(s, results=(result("hbsag", "reactive"),)),
            "snapshot.results",
        ),
        (
            "nct07246096",
            lambda s: replace(s, results=(result("pregnancy_serum_hcg", "not_applicable"),)),
            "snapshot.results",
        ),
        (
            "nct07246096",
            lambda s: replace(
                s,
                results=(
                    result(
                        "hbsag", "negative", on=SCREENING, at=datetime(2026, 3, 4, 9, tzinfo=TZ)
                    ),
                ),
            ),
            "snapshot.results",
        ),
        ("ct1192", _naive, "snapshot.results"),
        (
            "nct07246096",
            lambda s: replace(s, confirmations=(confirm("inc-common-99"),)),
            "snapshot.confirmations",
        ),
        (
            "nct07246096",
            lambda s: replace(s, confirmations=(confirm("inc-common-4"), confirm("inc-common-4"))),
            "snapshot.confirmations",
        ),
    ],
)
def test_bad_input_raises_value_error_naming_argument_when_given(
    name: str, change: Any, argument: str
) -> None:
    snapshot = change(BASELINES[name]().snapshot())

    with pytest.raises(ValueError, match=rf"^{argument}: ") as info:
        assess_eligibility(definition=DEFINITIONS[name], snapshot=snapshot)

    assert info.value.argument == argument  # type: ignore[attr-defined]
