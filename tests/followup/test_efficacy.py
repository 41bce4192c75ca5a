"""Response per disease, computed from the CRFs when they are saved and kept with the evidence:
each disease's definitions are met, not met or not evaluable with the missing input named;
corrections recompute in the same transaction, and an unchanged verdict writes no history."""

from __future__ import annotations

from decimal import Decimal

import pytest

from followup.efficacy import aav_course_of, latest_responses, responses_recompute, score_changes
from followup.models import ResponseAssessment
from screening import blank_entries
from tests.edc.factories import UserFactory
from tests.followup.efficacy_journeys import (
    BASELINE_ON,
    correct,
    disease_subject,
    enter,
    medication,
    on_day,
    sledai,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return UserFactory()


def verdict(subject, visit: str, definition: str) -> ResponseAssessment:
    return ResponseAssessment.objects.get(subject=subject, visit_code=visit, definition=definition)


# ---------------------------------------------------------------------------------------------
# SLE
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def lupus(actor):
    subject = disease_subject("sle")
    sledai(subject, "SCR", BASELINE_ON, actor, "arthritis", "proteinuria", pga="2")
    enter(subject, "bilag2004", "SCR", blank_entries.bilag2004_entry(BASELINE_ON, renal="A"), actor)
    return subject


def test_doris_remission_is_met_with_only_serology_active_pga_low_and_no_prednisone(lupus, actor):
    sledai(lupus, "M3", on_day(90), actor, "low_complement", pga="0.3")
    row = verdict(lupus, "M3", "doris_remission")
    assert row.result == "met"
    assert row.study_day == 90
    assert [c["code"] for c in row.criteria] == [
        "clinical_sledai_0",
        "pga_lt_0_5",
        "prednisone_le_5",
    ]


def test_doris_remission_without_a_pga_is_not_evaluable_and_names_it(lupus, actor):
    sledai(lupus, "M3", on_day(90), actor, pga=None)
    row = verdict(lupus, "M3", "doris_remission")
    assert (row.result, row.missing) == ("not_evaluable", ["pga"])


def test_the_prednisone_dose_is_the_glucocorticoid_running_on_the_day_of_the_score(lupus, actor):
    medication(lupus, actor, "Prednisone", start=on_day(30), prednisone="7.5", atc="H02AB07")
    sledai(lupus, "M3", on_day(90), actor, pga="0.2")
    row = verdict(lupus, "M3", "doris_remission")
    assert row.result == "not_met"
    assert row.inputs["prednisone_mg_day"] == "7.5"


def test_a_stopped_glucocorticoid_does_not_count(lupus, actor):
    medication(lupus, actor, "泼尼松", start=on_day(-400), stop=on_day(-6), prednisone="10")
    sledai(lupus, "M3", on_day(90), actor, pga="0.2")
    assert verdict(lupus, "M3", "doris_remission").result == "met"


def test_a_glucocorticoid_without_its_prednisone_equivalent_leaves_the_dose_missing(lupus, actor):
    medication(lupus, actor, "Methylprednisolone", start=on_day(60))
    sledai(lupus, "M3", on_day(90), actor, pga="0.2")
    row = verdict(lupus, "M3", "doris_remission")
    assert (row.result, row.missing) == ("not_evaluable", ["prednisone_mg_day"])
    assert row.inputs["dose_unknown"] == ["Methylprednisolone"]


def test_drug_free_remission_allows_an_antimalarial(lupus, actor):
    medication(lupus, actor, "Hydroxychloroquine", start=on_day(-400))
    sledai(lupus, "M3", on_day(90), actor, pga="0")
    assert verdict(lupus, "M3", "drug_free_remission").result == "met"


def test_drug_free_remission_is_not_met_on_an_immunosuppressant(lupus, actor):
    medication(lupus, actor, "吗替麦考酚酯", start=on_day(-400))
    sledai(lupus, "M3", on_day(90), actor, pga="0")
    assert verdict(lupus, "M3", "doris_remission").result == "met"
    assert verdict(lupus, "M3", "drug_free_remission").result == "not_met"


def test_sri4_compares_with_the_baseline_before_lymphodepletion(lupus, actor):
    sledai(lupus, "M3", on_day(90), actor, "proteinuria", pga="1")
    enter(lupus, "bilag2004", "M3", blank_entries.bilag2004_entry(on_day(90), renal="B"), actor)
    row = verdict(lupus, "M3", "sri4")
    assert row.result == "met"
    assert row.inputs["sledai_baseline"] == 8


def test_lldas_names_the_inputs_the_crfs_do_not_capture(lupus, actor):
    sledai(lupus, "M3", on_day(90), actor, pga="0.5")
    enter(lupus, "bilag2004", "M3", blank_entries.bilag2004_entry(on_day(90)), actor)
    row = verdict(lupus, "M3", "lldas")
    assert (row.result, row.missing) == (
        "not_evaluable",
        ["haemolytic_anaemia", "maintenance_tolerated"],
    )


def test_correcting_the_pga_recomputes_the_verdict_in_the_trail(lupus, actor):
    form = sledai(lupus, "M3", on_day(90), actor, pga="0.3")
    correct(form, "sledai2k", actor, physician_global_0_3=Decimal("1.0"))
    row = verdict(lupus, "M3", "doris_remission")
    assert row.result == "not_met"
    assert [h.result for h in row.history.order_by("history_date")] == ["met", "not_met"]
    assert row.history.latest("history_date").history_change_reason == (
        "Recomputed from the saved forms"
    )


def test_a_new_medication_recomputes_the_visits_it_covers(lupus, actor):
    sledai(lupus, "M3", on_day(90), actor, pga="0.3")
    medication(lupus, actor, "Prednisone", start=on_day(80), prednisone="10")
    assert verdict(lupus, "M3", "doris_remission").result == "not_met"


def test_an_unchanged_recompute_writes_no_history(lupus, actor):
    sledai(lupus, "M3", on_day(90), actor, pga="0.3")
    before = ResponseAssessment.history.count()
    responses_recompute(lupus, actor=actor)
    assert ResponseAssessment.history.count() == before


def test_nothing_is_assessed_before_the_infusion(actor):
    subject = disease_subject("sle", day0_date=None)
    sledai(subject, "SCR", BASELINE_ON, actor, "arthritis", pga="2")
    assert not ResponseAssessment.objects.filter(subject=subject).exists()


# ---------------------------------------------------------------------------------------------
# Systemic sclerosis, Sjögren's, RA, AAV
# ---------------------------------------------------------------------------------------------


def test_mrss_improvement_is_met_by_a_fall_of_5_and_25_percent(actor):
    subject = disease_subject("ssc")
    before = {"face": 3, "abdomen": 3, "right_hand": 3, "left_hand": 3, "right_forearm": 3}
    after = {"face": 2, "right_hand": 3, "left_hand": 3, "right_forearm": 2}
    enter(subject, "mrss", "SCR", blank_entries.mrss_entry(BASELINE_ON, **before), actor)  # 15
    enter(subject, "mrss", "M3", blank_entries.mrss_entry(on_day(90), **after), actor)  # 10
    assert verdict(subject, "M3", "mrss_improvement").result == "met"


def test_mrss_improvement_without_a_baseline_is_not_evaluable(actor):
    subject = disease_subject("ssc")
    enter(subject, "mrss", "M3", blank_entries.mrss_entry(on_day(90), face=2), actor)
    row = verdict(subject, "M3", "mrss_improvement")
    assert (row.result, row.missing) == ("not_evaluable", ["baseline"])


def test_acr_criss_says_the_ssc_globals_and_haq_are_not_captured(actor):
    subject = disease_subject("ssc")
    enter(subject, "mrss", "SCR", blank_entries.mrss_entry(BASELINE_ON, face=3), actor)
    enter(subject, "mrss", "M3", blank_entries.mrss_entry(on_day(90), face=1), actor)
    row = verdict(subject, "M3", "acr_criss")
    assert row.result == "not_evaluable"
    assert {"haq_di_baseline", "haq_di_now", "fvc_pct_predicted_baseline"} <= set(row.missing)


def test_essdai_response_is_a_fall_of_3_with_the_activity_level(actor):
    subject = disease_subject("pss")
    baseline = blank_entries.essdai_entry(BASELINE_ON, articular=2, glandular=1)
    enter(subject, "essdai", "SCR", baseline, actor)
    enter(subject, "essdai", "M3", blank_entries.essdai_entry(on_day(90), glandular=1), actor)
    row = verdict(subject, "M3", "essdai_response")
    assert (row.result, row.value) == ("met", "low")


def test_essdai_response_without_a_baseline_is_not_evaluable(actor):
    subject = disease_subject("pss")
    enter(subject, "essdai", "M3", blank_entries.essdai_entry(on_day(90)), actor)
    assert verdict(subject, "M3", "essdai_response").missing == ["baseline"]


def _joints(on, **fields):
    return blank_entries.joint_counts_entry(on, **fields)


def test_eular_response_is_good_after_a_large_fall_of_das28(actor):
    subject = disease_subject("ra")
    active = {"tjc68": 8, "sjc66": 7, "tjc28": 6, "sjc28": 5, "patient_global_0_100": 60}
    enter(subject, "joint_counts", "SCR", _joints(BASELINE_ON, **active, esr_mm_h=30), actor)
    quiet = _joints(on_day(90), esr_mm_h=8, crp_mg_l=Decimal("3"))
    enter(subject, "joint_counts", "M3", quiet, actor)
    assert (verdict(subject, "M3", "eular_response").value) == "good"
    assert verdict(subject, "M3", "boolean_remission").result == "met"


def test_boolean_remission_without_a_crp_is_not_evaluable(actor):
    subject = disease_subject("ra")
    enter(subject, "joint_counts", "M3", _joints(on_day(90)), actor)
    row = verdict(subject, "M3", "boolean_remission")
    assert (row.result, row.missing) == ("not_evaluable", ["crp_mg_dl"])


def test_aav_remission_is_bvas_0_on_at_most_7_5_mg_prednisone(actor):
    subject = disease_subject("aav")
    medication(subject, actor, "Prednisolone", start=on_day(30), prednisone="5")
    enter(subject, "bvas", "M3", blank_entries.bvas_entry(on_day(90)), actor)
    assert verdict(subject, "M3", "aav_remission").result == "met"


def test_aav_remission_with_a_glucocorticoid_of_unknown_dose_is_not_evaluable(actor):
    subject = disease_subject("aav")
    medication(subject, actor, "Prednisolone", start=on_day(30))
    enter(subject, "bvas", "M3", blank_entries.bvas_entry(on_day(90)), actor)
    row = verdict(subject, "M3", "aav_remission")
    assert (row.result, row.missing) == ("not_evaluable", ["prednisone_mg_day"])


# ---------------------------------------------------------------------------------------------
# Study-wide read
# ---------------------------------------------------------------------------------------------


def test_latest_responses_gives_each_definition_at_the_furthest_visit(lupus, actor):
    sledai(lupus, "M2", on_day(60), actor, "arthritis", pga="1")
    sledai(lupus, "M3", on_day(90), actor, pga="0.3")
    latest = latest_responses(lupus.study)
    doris = next(r for r in latest[lupus.pk] if r.definition == "doris_remission")
    assert (doris.visit_code, doris.result) == ("M3", "met")


def test_latest_responses_answers_in_one_query(lupus, actor, django_assert_num_queries):
    sledai(lupus, "M3", on_day(90), actor, pga="0.3")
    with django_assert_num_queries(1):
        latest_responses(lupus.study)


# ---------------------------------------------------------------------------------------------
# Score changes from baseline and the AAV course (read from the forms and stored verdicts)
# ---------------------------------------------------------------------------------------------


def test_each_visit_has_the_disease_score_as_a_change_from_baseline(lupus, actor):
    sledai(lupus, "M3", on_day(90), actor, "low_complement", pga="0.3")
    (change,) = score_changes(lupus)["M3"]
    assert (change.instrument, change.baseline, change.now, change.change) == (
        "sledai2k",
        Decimal(8),  # arthritis 4 + proteinuria 4
        Decimal(2),  # low complement 2
        Decimal(-6),
    )


def test_ssc_visits_have_the_mrss_and_fvc_changes_and_say_which_value_is_missing(actor):
    subject = disease_subject("ssc")
    enter(subject, "mrss", "SCR", blank_entries.mrss_entry(BASELINE_ON, face=3), actor)
    enter(subject, "mrss", "M3", blank_entries.mrss_entry(on_day(90), face=1), actor)
    mrss, fvc = score_changes(subject)["M3"]
    assert (mrss.instrument, mrss.change) == ("mrss", Decimal(-2))
    assert (fvc.instrument, fvc.change, fvc.missing) == (
        "fvc_pct_predicted",
        None,
        ("baseline", "now"),
    )


def _aav_visit(subject, actor, visit, day, **items):
    enter(subject, "bvas", visit, blank_entries.bvas_entry(on_day(day), **items), actor)


def test_the_aav_course_finds_sustained_remission_after_6_months_then_a_relapse(actor):
    subject = disease_subject("aav")
    _aav_visit(subject, actor, "M1", 20)
    _aav_visit(subject, actor, "M6", 205)  # 185 days in remission: sustained (>= 182)
    _aav_visit(subject, actor, "M8", 240, myalgia="new_worse")
    course = aav_course_of(ResponseAssessment.objects.filter(subject=subject))
    assert (course.remission_day, course.sustained_from_day, course.relapse_day) == (20, 20, 240)
