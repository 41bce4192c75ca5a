"""Issue 9 clinical corrections of the eligibility engine's windows and limits, each against the
wording it rests on (protocols/*.yaml `text`, the registration copied verbatim).

The real snapshot opens screening on the consent day (screening_date == consent_date), so these
tests assess with `screening_date=CONSENT` as `screening.snapshot` does.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from screening.domain.eligibility import Outcome
from tests.screening.domain.test_eligibility import (
    CONSENT,
    ENROLMENT,
    NOW,
    TZ,
    Item,
    ct_patient,
    lab,
    measure,
    nct_patient,
    result,
)


def test_lvef_done_during_screening_counts_when_ct1192_says_within_8_weeks_of_screening() -> None:
    """CT1192 inclusion 10f: "LVEF >= 50% ... by ECHO within the first 8 weeks of screening": an
    echocardiogram of screening day 10 is within the window, which runs to the assessment."""
    patient = ct_patient().with_(measure("lvef_pct", "60", on=CONSENT + timedelta(days=10)))

    assert patient.assess(screening_date=CONSENT).result_for("inc-10f").outcome is Outcome.MET


def test_lvef_after_the_assessment_is_not_yet_a_value_when_ct1192() -> None:
    patient = ct_patient().with_(measure("lvef_pct", "60", on=ENROLMENT + timedelta(days=1)))

    outcome = patient.assess(screening_date=CONSENT).result_for("inc-10f").outcome

    assert outcome is Outcome.MISSING_DATA


def test_lvef_eight_weeks_before_consent_still_counts_and_one_day_more_does_not_when_ct1192() -> (
    None
):
    inside = ct_patient().with_(measure("lvef_pct", "60", on=CONSENT - timedelta(days=56)))
    outside = ct_patient().with_(measure("lvef_pct", "60", on=CONSENT - timedelta(days=57)))

    assert inside.assess(screening_date=CONSENT).result_for("inc-10f").outcome is Outcome.MET
    assert outside.assess(screening_date=CONSENT).result_for("inc-10f").outcome is (
        Outcome.MISSING_DATA
    )


def test_hcg_on_screening_day_2_counts_when_ct1192_asks_within_48_hours_of_screening() -> None:
    """CT1192 inclusion 5: "negative serum beta-hCG within 48 hours prior to screening": a test on
    the second screening day is not missing (the window was cut at the end of the consent day)."""
    at = datetime.combine(CONSENT + timedelta(days=1), datetime.min.time(), TZ) + timedelta(hours=8)
    patient = ct_patient().with_(result("pregnancy_serum_hcg", "negative", on=at.date(), at=at))

    assert patient.assess(screening_date=CONSENT).result_for("inc-5").outcome is Outcome.MET


def test_hcg_timed_after_now_is_not_yet_a_value_when_ct1192() -> None:
    at = NOW + timedelta(hours=1)
    patient = ct_patient().with_(result("pregnancy_serum_hcg", "negative", on=at.date(), at=at))

    outcome = patient.assess(screening_date=CONSENT).result_for("inc-5").outcome

    assert outcome is Outcome.MISSING_DATA


# ------------------------------------------------------------------- INR without a ULN


@pytest.mark.parametrize(("inr", "expected"), [("1.5", Outcome.MET), ("1.51", Outcome.NOT_MET)])
def test_inr_without_uln_is_judged_against_1_5_absolute_when_nct_2c(
    inr: str, expected: Outcome
) -> None:
    """NCT07246096 common inclusion 2c: "INR <= 1.5x ULN"; labs often print INR with no range."""
    patient = nct_patient().with_(lab("inr", inr, "", uln=None))

    assert patient.outcome("inc-common-2c") is expected


def test_evidence_says_inr_was_judged_against_1_5_absolute_when_no_uln() -> None:
    patient = nct_patient().with_(lab("inr", "1.2", "", uln=None))

    evidence = next(
        e for e in patient.assess().result_for("inc-common-2c").evidence if e.name == "inr"
    )

    assert "no inr ULN recorded: judged against 1.5 absolute" in evidence.note


def test_inr_with_site_uln_uses_it_when_given() -> None:
    patient = nct_patient().with_(lab("inr", "1.7", "", uln="1.2"))  # 1.5 x 1.2 = 1.8

    assert patient.outcome("inc-common-2c") is Outcome.MET


# ------------------------------------------------------------------- "at screening" values

BEFORE_CONSENT = CONSENT - timedelta(days=1)

# The criteria whose wording says "at screening" / "during the screening period", each with its
# passing values dated the day before consent.
AT_SCREENING: list[tuple[str, str, str, tuple[Item, ...]]] = [
    ("nct07246096", "sle", "inc-sle-2", (measure("sledai2k", "12", on=BEFORE_CONSENT),)),
    (
        "nct07246096",
        "sle",
        "inc-sle-3",
        (
            measure("bilag_a_count", "1", on=BEFORE_CONSENT),
            measure("bilag_b_count", "0", on=BEFORE_CONSENT),
        ),
    ),
    (
        "nct07246096",
        "sle",
        "inc-sle-4",
        (
            measure("ana_titre_reciprocal", "160", on=BEFORE_CONSENT),
            result("anti_dsdna", "positive", on=BEFORE_CONSENT),
            result("anti_sm", "positive", on=BEFORE_CONSENT),
        ),
    ),
    (
        "nct07246096",
        "ra",
        "inc-ra-2",
        (measure("sjc66", "8", on=BEFORE_CONSENT), measure("tjc68", "10", on=BEFORE_CONSENT)),
    ),
    (
        "nct07246096",
        "ra",
        "inc-ra-3",
        (
            lab("crp", "25", "mg/L", uln="10", on=BEFORE_CONSENT),
            lab("esr", "40", "mm/h", uln="20", on=BEFORE_CONSENT),
        ),
    ),
    (
        "nct07246096",
        "aav",
        "inc-aav-2",
        (
            result("mpo_anca", "positive", on=BEFORE_CONSENT),
            result("pr3_anca", "positive", on=BEFORE_CONSENT),
        ),
    ),
    ("nct07246096", "aav", "inc-aav-3", (measure("bvas", "18", on=BEFORE_CONSENT),)),
    ("nct07246096", "aav", "inc-aav-4", (measure("egfr_ckd_epi_2021", "90", on=BEFORE_CONSENT),)),
    (
        "ct1192",
        "sle",
        "inc-7",
        (
            measure("ana_titre_reciprocal", "320", on=BEFORE_CONSENT),
            result("anti_dsdna", "positive", on=BEFORE_CONSENT),
            result("anti_sm", "positive", on=BEFORE_CONSENT),
        ),
    ),
]


@pytest.mark.parametrize(
    ("name", "stratum", "criterion_id", "items"),
    [pytest.param(*case, id=case[2] + "-" + case[0]) for case in AT_SCREENING],
)
def test_at_screening_criterion_ignores_values_from_before_consent(
    name: str, stratum: str, criterion_id: str, items: tuple[Item, ...]
) -> None:
    """The registration says "at screening" / "during the screening period": a value from before
    consent is not a screening value, so the criterion waits for one (missing data)."""
    baseline = (nct_patient if name == "nct07246096" else ct_patient)(stratum)
    patient = baseline.with_(*items)

    assert patient.outcome(criterion_id) is Outcome.MISSING_DATA


def test_at_screening_value_on_the_consent_day_counts_when_nct_sle() -> None:
    patient = nct_patient("sle").with_(measure("sledai2k", "12", on=CONSENT))

    assert patient.outcome("inc-sle-2") is Outcome.MET


def test_sledai_before_consent_does_not_meet_ct1192_inclusion_8_without_the_judgement() -> None:
    patient = ct_patient().with_(measure("sledai2k", "10", on=BEFORE_CONSENT))

    assert patient.without("inc-8/judgement/0").outcome("inc-8") is Outcome.MISSING_DATA
