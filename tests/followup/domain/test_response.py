"""Response per disease (followup.domain.response), at every boundary of its definition.

Each expected value is worked by hand from the rule text of clinical-rules.md §13 (the section is
named in each test's docstring); the shared vectors are in test_vectors.py.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from followup.domain.response import (
    BILAG_SYSTEMS,
    AavAssessment,
    aav_course,
    aav_remission,
    acr_criss,
    boolean_remission,
    cdai_remission,
    change_from_baseline,
    doris_remission,
    drug_free_remission,
    essdai_response,
    esspri_response,
    eular_response,
    lldas,
    mrss_improvement,
    sdai_remission,
    serological_response,
    sri4,
)


def bilag(**letters: str) -> dict[str, str]:
    """All nine BILAG-2004 systems D, except those given."""
    return {system: letters.get(system, "D") for system in BILAG_SYSTEMS}


def sri4_call(**overrides: Any) -> Any:
    kwargs: dict[str, Any] = {
        "sledai_baseline": 10,
        "sledai_now": 6,
        "bilag_baseline": bilag(),
        "bilag_now": bilag(),
        "pga_baseline": 1.0,
        "pga_now": 1.0,
    }
    return sri4(**{**kwargs, **overrides})


# --- SRI-4 ------------------------------------------------------------------------------------


def test_sri4_is_met_when_sledai_falls_by_exactly_4() -> None:
    """§13.1 (Furie 2009): a fall of >= 4; 10 -> 6 is a fall of exactly 4."""
    result = sri4_call()
    assert result.met is True
    assert result.criteria[0].evidence == "SLEDAI-2K 10 -> 6: fall 4, needs >= 4"


def test_sri4_is_not_met_when_sledai_falls_by_3() -> None:
    """§13.1: 10 -> 7 is a fall of 3 < 4."""
    assert sri4_call(sledai_now=7).met is False


def test_sri4_fails_when_pga_rises_by_exactly_0_3() -> None:
    """§13.1 and §13 preamble: PGA 2.0 -> 2.3 is a rise of exactly 0.3 (not a float 0.2999...),
    and a rise of >= 0.3 fails criterion (c)."""
    result = sri4_call(pga_baseline=2.0, pga_now=2.3)
    assert result.met is False
    assert result.criteria[2].evidence == "PGA 2 -> 2.3: rise 0.3, must be < 0.3"


def test_sri4_allows_a_pga_rise_of_0_29() -> None:
    """§13.1: 2.0 -> 2.29 is a rise of 0.29 < 0.3."""
    assert sri4_call(pga_baseline=2.0, pga_now=2.29).met is True


def test_sri4_fails_with_two_new_bilag_b() -> None:
    """§13.1: at most one new B; renal and haematological D -> B are two."""
    result = sri4_call(bilag_now=bilag(renal="B", haematological="B"))
    assert result.met is False


def test_sri4_does_not_count_a_to_b_as_a_new_b() -> None:
    """§13.1: A -> B is an improvement, not a new B (two systems A -> B, one E -> B)."""
    before = bilag(renal="A", musculoskeletal="A", haematological="E")
    after = bilag(renal="B", musculoskeletal="B", haematological="B")
    assert sri4_call(bilag_baseline=before, bilag_now=after).met is True


def test_sri4_does_not_count_a_persisting_a_as_new() -> None:
    """§13.1: a new A is A now and not A at baseline; A -> A is not new."""
    before, after = bilag(renal="A"), bilag(renal="A")
    assert sri4_call(bilag_baseline=before, bilag_now=after).met is True


def test_sri4_accepts_the_calculators_spelling_of_haematological() -> None:
    """edc.domain.calculators spells the system "hematological"; it is the same system."""
    now = {**bilag(), "hematological": "A"}
    del now["haematological"]
    assert sri4_call(bilag_now=now).met is False


def test_sri4_names_the_missing_input_instead_of_deciding() -> None:
    """Issue 11: what cannot be computed says which input is missing."""
    result = sri4_call(pga_now=None)
    assert (result.met, result.missing, result.computable) == (None, ("pga_now",), False)


def test_sri4_is_not_met_when_a_known_criterion_fails_despite_a_missing_input() -> None:
    """A fall of 2 fails (a); no PGA value could make SRI-4 met."""
    result = sri4_call(sledai_now=8, pga_now=None)
    assert (result.met, result.missing) == (False, ("pga_now",))


def test_sri4_refuses_a_bilag_map_without_every_system() -> None:
    """domain-api.md: bad input raises ValueError naming the argument."""
    incomplete = bilag()
    del incomplete["renal"]
    with pytest.raises(ValueError, match=r"^bilag_now: missing BILAG-2004 systems renal"):
        sri4_call(bilag_now=incomplete)


# --- LLDAS ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("present", "met"),
    [
        (["arthritis"], True),  # 4, not major-organ
        (["arthritis", "rash"], False),  # 6 > 4
        (["fever"], False),  # 1, but fever is a major-organ item
        (["pleurisy"], False),  # cardiopulmonary
        (["low_complement", "increased_dna_binding"], True),  # serology 4 counts in the total
        ([], True),
    ],
)
def test_lldas_criterion_1_needs_sledai_le_4_without_major_organ_activity(
    present: list[str], met: bool
) -> None:
    """§13.2 (Franklyn 2016) criterion 1."""
    assert lldas(sledai_present=present, pga=0.5, prednisone_mg_day=5).met is met


@pytest.mark.parametrize(("pga", "met"), [(1.0, True), (1.01, False)])
def test_lldas_pga_at_most_1(pga: float, met: bool) -> None:
    """§13.2 criterion 3: PGA <= 1."""
    assert lldas(sledai_present=[], pga=pga, prednisone_mg_day=0).met is met


@pytest.mark.parametrize(("prednisone", "met"), [(7.5, True), (7.6, False)])
def test_lldas_prednisone_at_most_7_5(prednisone: float, met: bool) -> None:
    """§13.2 criterion 4: prednisone <= 7.5 mg/day."""
    assert lldas(sledai_present=[], pga=0, prednisone_mg_day=prednisone).met is met


@pytest.mark.parametrize(
    "flag", [{"haemolytic_anaemia": True}, {"gi_activity": True}, {"maintenance_tolerated": False}]
)
def test_lldas_fails_on_each_flag(flag: dict[str, bool]) -> None:
    """§13.2 criteria 1 (haemolytic anaemia, GI activity) and 5 (maintenance tolerated)."""
    assert lldas(sledai_present=[], pga=0, prednisone_mg_day=0, **flag).met is False


def test_lldas_says_a_flag_not_captured_is_missing() -> None:
    result = lldas(sledai_present=[], pga=0, prednisone_mg_day=0, gi_activity=None)
    assert (result.met, result.missing) == (None, ("gi_activity",))


# --- DORIS and drug-free remission ------------------------------------------------------------


@pytest.mark.parametrize(("prednisone", "met"), [(5, True), (5.0, True), (5.1, False)])
def test_doris_prednisone_5_is_remission_and_5_1_is_not(prednisone: float, met: bool) -> None:
    """§13.3 (van Vollenhoven 2021): prednisone <= 5 mg/day."""
    assert doris_remission(sledai_present=[], pga=0, prednisone_mg_day=prednisone).met is met


@pytest.mark.parametrize(("pga", "met"), [(0.49, True), (0.5, False)])
def test_doris_pga_strictly_below_0_5(pga: float, met: bool) -> None:
    """§13.3: PGA < 0.5."""
    assert doris_remission(sledai_present=[], pga=pga, prednisone_mg_day=0).met is met


def test_doris_ignores_serology_in_the_clinical_sledai() -> None:
    """§13.3: clinical SLEDAI-2K leaves out low complement and increased DNA binding."""
    present = ["low_complement", "increased_dna_binding"]
    assert doris_remission(sledai_present=present, pga=0, prednisone_mg_day=0).met is True


def test_doris_without_pga_is_not_computable() -> None:
    result = doris_remission(sledai_present=[], pga=None, prednisone_mg_day=0)
    assert (result.met, result.missing) == (None, ("pga",))


def test_drug_free_remission_needs_prednisone_0() -> None:
    """§13.3: DORIS allows 2.5 mg/day; drug-free remission needs prednisone 0."""
    kwargs: dict[str, Any] = {"sledai_present": [], "pga": 0, "prednisone_mg_day": 2.5}
    assert doris_remission(**kwargs).met is True
    result = drug_free_remission(**kwargs, on_immunosuppressant=False, on_biologic=False)
    assert result.met is False


def test_drug_free_remission_excludes_a_biologic() -> None:
    """§13.3: no biologic."""
    result = drug_free_remission(
        sledai_present=[], pga=0, prednisone_mg_day=0, on_immunosuppressant=False, on_biologic=True
    )
    assert result.met is False


# --- Serological response ---------------------------------------------------------------------


def serology(**overrides: Any) -> Any:
    kwargs: dict[str, Any] = {
        "anti_dsdna_negative": True,
        "c3_g_l": 0.9,
        "c3_lln_g_l": 0.9,
        "c4_g_l": 0.2,
        "c4_lln_g_l": 0.1,
    }
    return serological_response(**{**kwargs, **overrides})


def test_serological_response_with_c3_at_its_lower_limit() -> None:
    """Issue 11: anti-dsDNA negative and complement normal; C3 equal to the LLN is normal."""
    assert serology().met is True


def test_serological_response_fails_with_c3_below_its_lower_limit() -> None:
    assert serology(c3_g_l=0.89).met is False


def test_serological_response_fails_with_anti_dsdna_positive() -> None:
    assert serology(anti_dsdna_negative=False).met is False


def test_serological_response_names_a_missing_complement() -> None:
    result = serology(c4_g_l=None)
    assert (result.met, result.missing) == (None, ("c4_g_l",))


# --- EULAR, Boolean, CDAI, SDAI ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "now", "response"),
    [
        (4.5, 3.2, "good"),  # D 1.3 > 1.2, now 3.2 <= 3.2
        (4.51, 3.21, "moderate"),  # D 1.3 > 1.2, now > 3.2
        (4.4, 3.2, "moderate"),  # D exactly 1.2: 0.6 < D <= 1.2 and now <= 5.1
        (5.8, 5.1, "moderate"),  # D 0.7, now 5.1 <= 5.1
        (5.81, 5.11, "none"),  # D 0.7, now > 5.1
        (6.71, 5.5, "moderate"),  # D 1.21 > 1.2 with now > 5.1
        (5.2, 4.6, "none"),  # D exactly 0.6
        (5.21, 4.6, "moderate"),  # D 0.61
        (3.0, 3.0, "none"),
    ],
)
def test_eular_response_table_cells(baseline: float, now: float, response: str) -> None:
    """§13.4 (van Gestel 1996): each cell of the EULAR table, on and either side of its edges,
    with the improvement computed at two decimals."""
    result = eular_response(das28_baseline=baseline, das28_now=now)
    assert (result.response, result.met) == (response, response != "none")


def test_eular_response_rounds_a_computed_das28_to_two_decimals() -> None:
    """§13: a DAS28 of 3.2000000000000002 out of the formula is recorded as 3.20."""
    result = eular_response(das28_baseline=4.5, das28_now=3.2000000000000002)
    assert (result.response, result.improvement) == ("good", Decimal("1.30"))


def test_eular_response_without_baseline_says_so() -> None:
    result = eular_response(das28_baseline=None, das28_now=3.0)
    assert (result.response, result.met, result.missing) == (None, None, ("das28_baseline",))


@pytest.mark.parametrize(
    ("change", "met"),
    [
        ({}, True),  # 1, 1, 1 mg/dL, 2: every limit exactly
        ({"tjc28": 2}, False),
        ({"sjc28": 2}, False),
        ({"crp_mg_dl": 1.01}, False),
        ({"patient_global_0_10": 2.1}, False),
    ],
)
def test_boolean_2_0_limits(change: dict[str, Any], met: bool) -> None:
    """§13.4 (Studenic 2023): TJC28 <= 1, SJC28 <= 1, CRP <= 1 mg/dL, PtGA <= 2."""
    kwargs: dict[str, Any] = {"tjc28": 1, "sjc28": 1, "crp_mg_dl": 1, "patient_global_0_10": 2}
    assert boolean_remission(**{**kwargs, **change}).met is met


def test_boolean_remission_without_crp_is_not_computable() -> None:
    result = boolean_remission(tjc28=0, sjc28=0, crp_mg_dl=None, patient_global_0_10=0)
    assert (result.met, result.missing) == (None, ("crp_mg_dl",))


@pytest.mark.parametrize(("evaluator", "met"), [(1.4, True), (1.5, False)])
def test_cdai_remission_at_2_8(evaluator: float, met: bool) -> None:
    """§7.3: CDAI remission <= 2.8 (0 + 0 + 1.4 + 1.4 = 2.8; 2.9 is not)."""
    result = cdai_remission(
        tjc28=0, sjc28=0, patient_global_0_10=1.4, evaluator_global_0_10=evaluator
    )
    assert result.met is met


@pytest.mark.parametrize(("crp", "met"), [(1.3, True), (1.4, False)])
def test_sdai_remission_at_3_3(crp: float, met: bool) -> None:
    """§7.3: SDAI remission <= 3.3 (0 + 0 + 1 + 1 + 1.3 = 3.3; 3.4 is not)."""
    result = sdai_remission(
        tjc28=0, sjc28=0, patient_global_0_10=1, evaluator_global_0_10=1, crp_mg_dl=crp
    )
    assert result.met is met


def test_sdai_remission_without_crp_is_not_computable() -> None:
    result = sdai_remission(
        tjc28=0, sjc28=0, patient_global_0_10=1, evaluator_global_0_10=1, crp_mg_dl=None
    )
    assert (result.met, result.missing) == (None, ("crp_mg_dl",))


# --- Change from baseline ---------------------------------------------------------------------


def test_das28_change_is_exact_at_two_decimals() -> None:
    """§13: DAS28 4.4 -> 3.2 is an improvement of exactly 1.2."""
    change = change_from_baseline(instrument="das28", baseline=4.4, now=3.2)
    assert change.change == Decimal("-1.2")


def test_sledai_change_with_percent_of_baseline() -> None:
    change = change_from_baseline(instrument="sledai2k", baseline=12, now=4)
    assert (change.change, change.percent) == (Decimal(-8), Decimal("-66.7"))


def test_fvc_percent_predicted_change() -> None:
    """FVC % predicted 75.0 -> 82.5: +7.5 points, +10 % of baseline."""
    change = change_from_baseline(instrument="fvc_pct_predicted", baseline=75.0, now=82.5)
    assert (change.change, change.percent) == (Decimal("7.5"), Decimal("10.0"))


def test_change_has_no_percent_from_a_baseline_of_0() -> None:
    change = change_from_baseline(instrument="mrss", baseline=0, now=3)
    assert (change.change, change.percent) == (Decimal(3), None)


def test_change_refuses_a_score_above_the_instrument_maximum() -> None:
    with pytest.raises(ValueError, match=r"^now: "):
        change_from_baseline(instrument="sledai2k", baseline=10, now=106)


# --- pSS --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("now", "met"), [(7, True), (8, False)])
def test_essdai_response_is_a_fall_of_at_least_3(now: int, met: bool) -> None:
    """§13.5 (Seror 2016): 10 -> 7 is a fall of exactly 3."""
    assert essdai_response(baseline=10, now=now).met is met


@pytest.mark.parametrize(
    ("now", "activity"), [(0, "low"), (4, "low"), (5, "moderate"), (13, "moderate"), (14, "high")]
)
def test_essdai_activity_levels(now: int, activity: str) -> None:
    """§13.5: low < 5, moderate 5-13, high >= 14."""
    assert essdai_response(baseline=20, now=now).activity == activity


def test_essdai_without_now_has_no_activity() -> None:
    result = essdai_response(baseline=10, now=None)
    assert (result.met, result.activity, result.missing) == (None, None, ("now",))


@pytest.mark.parametrize(
    ("baseline", "now", "met"),
    [(6, 5, True), (5, 4.25, True), (5, 4.3, False), (3, 2.5, True), (4, 4, False)],
)
def test_esspri_mcii_is_1_point_or_15_percent(baseline: float, now: float, met: bool) -> None:
    """Seror 2016: ESSPRI falls >= 1 point or >= 15 % (5 -> 4.25 is 15 %, 5 -> 4.3 is 14 %)."""
    assert esspri_response(baseline=baseline, now=now).met is met


# --- SSc --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "now", "met"),
    [(20, 15, True), (24, 19, False), (40, 30, True), (40, 31, False), (10, 6, False)],
)
def test_mrss_improvement_needs_5_points_and_25_percent(baseline: int, now: int, met: bool) -> None:
    """§13.6: 20 -> 15 is 5 points and 25 % exactly; 24 -> 19 is 5 points but 20.8 %; 10 -> 6
    is 40 % but 4 points."""
    assert mrss_improvement(baseline=baseline, now=now).met is met


CRISS_CORE: dict[str, Any] = {
    "mrss_baseline": 25,
    "mrss_now": 15,
    "fvc_baseline": 80,
    "fvc_now": 82,
    "patient_global_baseline": 5,
    "patient_global_now": 5,
    "md_global_baseline": 5,
    "md_global_now": 5,
    "haq_di_baseline": 1,
    "haq_di_now": 1,
    "new_renal_crisis": False,
    "new_ild_with_fvc_decline": False,
    "new_lv_failure": False,
    "new_pah": False,
}


def test_acr_criss_probability_by_hand() -> None:
    """Khanna 2016 step 2: x = -5.54 - 0.81(-10) + 0.21(2) = 2.98, p = 0.9517 >= 0.6."""
    result = acr_criss(**CRISS_CORE)
    assert result.met is True
    assert result.criteria[1].evidence == "step 2: probability 0.952, needs >= 0.6"


def test_acr_criss_small_skin_change_is_not_improvement() -> None:
    """x = -5.54 - 0.81(-2) = -3.92, p = 0.019 < 0.6."""
    assert acr_criss(**{**CRISS_CORE, "mrss_now": 23, "fvc_now": 80}).met is False


def test_acr_criss_step_1_event_decides_whatever_is_missing() -> None:
    """Khanna 2016 step 1: new renal crisis -> probability 0, not improved."""
    result = acr_criss(
        mrss_baseline=None, mrss_now=None, fvc_baseline=None, fvc_now=None, new_renal_crisis=True
    )
    assert (result.met, result.missing) == (False, ())


def test_acr_criss_marks_the_inputs_the_product_does_not_capture() -> None:
    """The CRFs hold mRSS and FVC but not HAQ-DI or the SSc globals: they are named missing."""
    result = acr_criss(mrss_baseline=25, mrss_now=15, fvc_baseline=80, fvc_now=82)
    assert result.met is None
    assert "haq_di_now" in result.missing
    assert "new_pah" in result.missing


# --- AAV --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("prednisone", "met"), [(7.5, True), (7.6, False)])
def test_aav_remission_prednisone_at_most_7_5(prednisone: float, met: bool) -> None:
    """§13.6 (Hellmich 2007/2024): BVAS 0 and prednisone <= 7.5 mg/day."""
    assert aav_remission(bvas=0, prednisone_mg_day=prednisone).met is met


def test_aav_remission_without_bvas_is_not_computable() -> None:
    result = aav_remission(bvas=None, prednisone_mg_day=5)
    assert (result.met, result.missing) == (None, ("bvas",))


def assessments(*rows: tuple[int, int | None, float | None]) -> list[AavAssessment]:
    return [AavAssessment(day, bvas, prednisone) for day, bvas, prednisone in rows]


def test_aav_sustained_remission_after_182_days() -> None:
    """Hellmich 2007: remission held for 6 months (182 days here): day 90 to day 272."""
    course = aav_course(
        assessments=assessments((28, 3, 20), (90, 0, 7.5), (180, 0, 5), (272, 0, 0))
    )
    assert (course.remission_day, course.sustained_remission, course.sustained_from_day) == (
        90,
        True,
        90,
    )
    assert course.relapse_day is None


def test_aav_remission_of_181_days_is_not_sustained() -> None:
    course = aav_course(assessments=assessments((90, 0, 5), (271, 0, 0)))
    assert course.sustained_remission is False


def test_aav_relapse_is_active_disease_after_remission() -> None:
    """Relapse: the first BVAS > 0 after a remission; it also breaks the remission run."""
    course = aav_course(assessments=assessments((90, 0, 5), (180, 2, 5), (365, 0, 5)))
    assert (course.remission_day, course.relapse_day, course.sustained_remission) == (
        90,
        180,
        False,
    )


def test_aav_missing_assessment_neither_breaks_nor_relapses() -> None:
    course = aav_course(assessments=assessments((90, 0, 5), (180, None, 5), (272, 0, 5)))
    assert (course.sustained_remission, course.relapse_day) == (True, None)


def test_aav_course_refuses_two_assessments_on_one_day() -> None:
    with pytest.raises(ValueError, match=r"^assessments: "):
        aav_course(assessments=assessments((90, 0, 5), (90, 1, 5)))
