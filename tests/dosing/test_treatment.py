"""Lymphodepletion and infusion: doses from BSA, deviations, Day 0, and the typos caught."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dosing.models import LymphodepletionDose
from edc.crfs import crf_spec
from edc.data_queries import Query
from edc.services.crfs import crf_create, crf_update
from tests.dosing.journeys import enrol
from tests.edc.factories import UserFactory
from tests.screening.journeys import TODAY, lab

pytestmark = pytest.mark.django_db

LD_START = dt.date(2026, 5, 1)  # Day -5; the regimen runs on days -5, -4, -3


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def enrolled(actor):
    return enrol(actor, today=TODAY)


def _ld(subject, actor, given=None, **extra):
    doses = {
        (drug, day): Decimal(mg)
        for (drug, day), mg in (
            given
            or {
                ("fludarabine", -5): "48.5",
                ("fludarabine", -4): "48.5",
                ("fludarabine", -3): "48.5",
                ("cyclophosphamide", -5): "484.7",
                ("cyclophosphamide", -4): "484.7",
                ("cyclophosphamide", -3): "484.7",
            }
        ).items()
    }
    return crf_create(
        spec=crf_spec("lymphodepletion"),
        subject=subject,
        visit_code="LD",
        data={
            "measured_on": dt.date(2026, 4, 30),
            "height_cm": Decimal("162"),
            "weight_kg": Decimal("58"),
            "first_day_on": LD_START,
            **extra,
        },
        actor=actor,
        children=doses,
    )


def test_planned_doses_come_from_the_bsa(enrolled, actor):
    course = _ld(enrolled, actor)
    planned = {
        (d.drug, d.study_day): d.planned_mg
        for d in LymphodepletionDose.objects.filter(course=course)
    }
    assert (course.bsa_m2, planned[("fludarabine", -5)]) == (Decimal("1.6155"), Decimal("48.5"))


def _creatinine_before_ld(subject, actor, umol_l: str):
    crf_create(
        spec=crf_spec("lab_panel"),
        subject=subject,
        visit_code="LD",
        data={"collected_on": LD_START - dt.timedelta(days=2), "laboratory": "Wuhan Union"},
        actor=actor,
        children={"creatinine": lab(umol_l, "umol/L", "41", "81")},
    )


def test_fludarabine_is_planned_20_percent_lower_at_crcl_30_to_70(enrolled, actor):
    """Fludarabine label, renal impairment, as protocols/ct1192.yaml's renal_adjustment states:
    creatinine 110 umol/L at 36 years, 58 kg, female: CrCl 57.23 mL/min -> 20 % less."""
    _creatinine_before_ld(enrolled, actor, "110")
    course = _ld(enrolled, actor, {("fludarabine", -5): "38.8"})
    flu = LymphodepletionDose.objects.get(course=course, drug="fludarabine", study_day=-5)
    cy = LymphodepletionDose.objects.get(course=course, drug="cyclophosphamide", study_day=-5)
    assert course.crcl_ml_min == Decimal("57.23")
    assert (flu.planned_mg, flu.renal_reduction_pct, flu.within_tolerance) == (
        Decimal("38.8"),
        Decimal(20),
        True,
    )
    assert (cy.planned_mg, cy.renal_reduction_pct) == (Decimal("484.7"), Decimal(0))


def test_lymphodepletion_below_crcl_30_is_refused_as_not_recommended(enrolled, actor):
    _creatinine_before_ld(enrolled, actor, "250")
    with pytest.raises(ValidationError, match="not recommended at a creatinine clearance"):
        _ld(enrolled, actor, pretreatment_override_reason="Renal function checked by the PI")
    assert not LymphodepletionDose.objects.exists()


def test_ld_day_dates_follow_the_first_day(enrolled, actor):
    _ld(enrolled, actor)
    dates = sorted(set(LymphodepletionDose.objects.values_list("administered_on", flat=True)))
    assert dates == [LD_START, dt.date(2026, 5, 2), dt.date(2026, 5, 3)]


def test_dose_outside_tolerance_is_flagged(enrolled, actor):
    given = {("fludarabine", -5): "60", ("cyclophosphamide", -5): "484.7"}
    _ld(enrolled, actor, given)
    dose = LymphodepletionDose.objects.get(drug="fludarabine", study_day=-5)
    assert (dose.within_tolerance, dose.deviation_pct) == (False, Decimal("23.71"))


def test_recording_lymphodepletion_moves_the_subject_on(enrolled, actor):
    _ld(enrolled, actor)
    enrolled.refresh_from_db()
    assert enrolled.status == "lymphodepleted"


INFUSION = {
    "product_lot": "CT1192-L001",
    "infused_on": dt.date(2026, 5, 6),
    "started_at": dt.time(9, 30),
    "ended_at": dt.time(9, 45),
    "weight_kg": Decimal("58"),
    "viable_cells_mantissa": Decimal("3.0"),
    "viable_cells_exponent": 8,
    "car_positive_pct": Decimal("100"),
    "premedication": "paracetamol, chlorphenamine",
    "infusion_reaction": False,
    "infusion_reaction_description": "",
    "deviation_reason": "",
}


def _infuse(subject, actor, **changes):
    return crf_create(
        spec=crf_spec("infusion"),
        subject=subject,
        visit_code="D0",
        data={**INFUSION, **changes},
        actor=actor,
    )


def test_infusion_sets_day0_and_the_derived_cell_counts(enrolled, actor):
    _ld(enrolled, actor)
    infusion = _infuse(enrolled, actor)
    enrolled.refresh_from_db()
    assert (enrolled.status, enrolled.day0_date) == ("infused", dt.date(2026, 5, 6))
    assert (infusion.car_positive_cells, infusion.is_dose_deviation) == (Decimal("3E+8"), False)


def test_infusion_before_lymphodepletion_is_refused(enrolled, actor):
    with pytest.raises(ValidationError, match="Record lymphodepletion before the infusion"):
        _infuse(enrolled, actor)


def test_infusion_on_the_last_lymphodepletion_day_is_refused(enrolled, actor):
    _ld(enrolled, actor)
    with pytest.raises(ValidationError) as info:
        _infuse(enrolled, actor, infused_on=dt.date(2026, 5, 3))
    assert "infused_on" in info.value.message_dict


def test_ten_fold_dose_typo_is_refused_at_the_exponent(enrolled, actor):
    _ld(enrolled, actor)
    with pytest.raises(ValidationError) as info:
        _infuse(enrolled, actor, viable_cells_exponent=9)
    assert "viable_cells_exponent" in info.value.message_dict
    enrolled.refresh_from_db()
    assert enrolled.day0_date is None


def test_dose_outside_tolerance_needs_an_explanation(enrolled, actor):
    _ld(enrolled, actor)
    with pytest.raises(ValidationError) as info:
        _infuse(enrolled, actor, viable_cells_mantissa=Decimal("3.9"))
    assert "deviation_reason" in info.value.message_dict


def test_explained_dose_deviation_is_recorded(enrolled, actor):
    _ld(enrolled, actor)
    infusion = _infuse(
        enrolled, actor, viable_cells_mantissa=Decimal("3.9"), deviation_reason="Bag overfill"
    )
    assert (infusion.is_dose_deviation, infusion.dose_deviation_pct) == (True, Decimal("30.00"))


def test_explained_dose_deviation_opens_a_query_on_the_infused_dose(enrolled, actor):
    _ld(enrolled, actor)
    _infuse(enrolled, actor, viable_cells_mantissa=Decimal("3.9"), deviation_reason="Overfill")
    query = Query.objects.get(subject=enrolled)
    assert (query.check_id, query.field_name) == (
        "dose_within_assigned_level",
        "car_positive_cells",
    )


def test_a_dose_within_tolerance_opens_no_query(enrolled, actor):
    _ld(enrolled, actor)
    _infuse(enrolled, actor)
    assert not Query.objects.filter(subject=enrolled, crf_code="infusion").exists()


def test_protocol_that_refuses_out_of_tolerance_doses_refuses_them(enrolled, actor):
    _ld(enrolled, actor)
    version = enrolled.study.protocol_versions.get(is_current=True)
    version.definition["escalation"]["infusion_out_of_tolerance"] = "refuse"
    version.sha256 = "refuse-variant"
    version._change_reason = "test: a protocol that refuses out-of-tolerance doses"
    version.save()
    with pytest.raises(ValidationError, match="refuses this dose"):
        _infuse(enrolled, actor, viable_cells_mantissa=Decimal("3.9"), deviation_reason="Overfill")


def test_corrected_infusion_date_moves_day0(enrolled, actor):
    _ld(enrolled, actor)
    infusion = _infuse(enrolled, actor)
    crf_update(
        infusion,
        spec=crf_spec("infusion"),
        data={**INFUSION, "infused_on": dt.date(2026, 5, 7)},
        reason="Date misread",
        expected_version=infusion.row_version,
        actor=actor,
    )
    enrolled.refresh_from_db()
    assert enrolled.day0_date == dt.date(2026, 5, 7)


def test_infusion_dated_in_the_future_is_refused(enrolled, actor):
    _ld(enrolled, actor)
    with pytest.raises(ValidationError) as info:
        _infuse(enrolled, actor, infused_on=dt.date.today() + dt.timedelta(days=30))
    assert "infused_on" in info.value.message_dict
