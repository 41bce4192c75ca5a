"""Lab results after Day 0 graded by CTCAE v5.0; grade 3+ proposed as AEs to confirm or dismiss."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from adverse_events.lab_toxicity import lab_toxicity_confirm, lab_toxicity_dismiss
from adverse_events.models import LabToxicity
from adverse_events.selectors import iec_hs_labs
from edc.crfs import crf_spec
from edc.services.crfs import crf_create, crf_update
from screening.demo import lab
from tests.adverse_events.journeys import DAY0, infused_subject
from tests.edc.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def subject(actor):
    return infused_subject(actor)


def _panel(subject, actor, day, **labs):
    return crf_create(
        spec=crf_spec("lab_panel"),
        subject=subject,
        visit_code=f"D{day}",
        data={"collected_on": DAY0 + dt.timedelta(days=day), "laboratory": "Central"},
        actor=actor,
        children=labs,
    )


def test_grade_4_neutropenia_after_day0_is_proposed_as_an_ae(subject, actor):
    _panel(subject, actor, 7, neutrophils=lab("0.3", "10^9/L", "1.8", "6.3"))
    toxicity = LabToxicity.objects.get()
    assert (toxicity.term, toxicity.grade, toxicity.status, toxicity.study_day) == (
        "neutrophil_count_decreased",
        4,
        "proposed",
        7,
    )


def test_grade_1_result_is_graded_but_not_proposed(subject, actor):
    _panel(subject, actor, 7, neutrophils=lab("1.6", "10^9/L", "1.8", "6.3"))
    assert LabToxicity.objects.get().status == "graded"


def test_creatinine_is_graded_against_the_baseline_before_lymphodepletion(subject, actor):
    _panel(subject, actor, 7, creatinine=lab("150", "umol/L", "41", "81"))
    toxicity = LabToxicity.objects.get()
    assert (toxicity.baseline, toxicity.grade) == (Decimal("70.0000"), 2)


def test_screening_results_before_day0_are_not_graded(subject, actor):
    assert subject.lab_results.exists()  # the screening panel, entered before Day 0
    assert LabToxicity.objects.count() == 0


def test_confirmed_toxicity_becomes_an_adverse_event(subject, actor):
    _panel(subject, actor, 7, neutrophils=lab("0.3", "10^9/L", "1.8", "6.3"))
    ae = lab_toxicity_confirm(
        LabToxicity.objects.get(),
        relationship_cart="probable",
        relationship_lymphodepletion="probable",
        action_taken="treatment",
        outcome="recovering",
        actor=actor,
    )
    assert (ae.grade, ae.study_day, ae.visit_code, ae.soc) == (4, 7, "D7", "Investigations")
    assert LabToxicity.objects.get().status == "confirmed"


def test_dismissal_needs_a_reason(subject, actor):
    _panel(subject, actor, 7, neutrophils=lab("0.3", "10^9/L", "1.8", "6.3"))
    with pytest.raises(ValidationError):
        lab_toxicity_dismiss(LabToxicity.objects.get(), reason=" ", actor=actor)


def test_corrected_result_is_regraded_and_the_decision_kept(subject, actor):
    panel = _panel(subject, actor, 7, neutrophils=lab("0.3", "10^9/L", "1.8", "6.3"))
    lab_toxicity_dismiss(LabToxicity.objects.get(), reason="Clotted sample", actor=actor)
    crf_update(
        panel,
        spec=crf_spec("lab_panel"),
        data={"collected_on": panel.collected_on, "laboratory": "Central"},
        reason="Repeat sample",
        expected_version=1,
        actor=actor,
        children={"neutrophils": lab("0.7", "10^9/L", "1.8", "6.3")},
    )
    toxicity = LabToxicity.objects.get()
    assert (toxicity.grade, toxicity.status) == (3, "dismissed")


def test_a_lower_limit_of_zero_does_not_stop_grading_liver_tests(subject, actor):
    _panel(subject, actor, 7, bilirubin=lab("300", "umol/L", "0", "21"))
    assert LabToxicity.objects.get().grade == 4


def test_a_removed_result_retires_its_proposed_grade(subject, actor):
    panel = _panel(subject, actor, 7, neutrophils=lab("0.3", "10^9/L", "1.8", "6.3"))
    crf_update(
        panel,
        spec=crf_spec("lab_panel"),
        data={"collected_on": panel.collected_on, "laboratory": "Central"},
        reason="Entered on the wrong subject",
        expected_version=1,
        actor=actor,
        children={},
    )
    assert LabToxicity.objects.get().status == "dismissed"


def test_a_low_fibrinogen_after_day0_is_graded_for_iec_hs(subject, actor):
    _panel(subject, actor, 14, fibrinogen=lab("40", "mg/dL", "200", "400"))
    toxicity = LabToxicity.objects.get()
    assert (toxicity.term, toxicity.value, toxicity.unit, toxicity.grade) == (
        "fibrinogen_decreased",
        Decimal("0.4000"),
        "g/L",
        4,
    )


def test_ferritin_triglycerides_and_ldh_are_kept_in_si_without_a_ctcae_grade(subject, actor):
    panel = _panel(
        subject,
        actor,
        14,
        ferritin=lab("12000", "ng/mL", "15", "150"),
        triglycerides=lab("354", "mg/dL", "0", "150"),
        ldh=lab("900", "U/L", "120", "250"),
    )
    si = {r.analyte: (r.value_si, r.si_unit) for r in panel.results.all()}
    assert si == {
        "ferritin": (Decimal("12000.0000"), "ug/L"),
        "triglycerides": (Decimal("3.9967"), "mmol/L"),
        "ldh": (Decimal("900.0000"), "U/L"),
    }
    assert LabToxicity.objects.count() == 0


def test_the_iec_hs_picture_shows_the_latest_results_outside_the_site_range(subject, actor):
    _panel(subject, actor, 7, ferritin=lab("300", "ug/L", "15", "150"))
    _panel(
        subject,
        actor,
        14,
        ferritin=lab("12000", "ug/L", "15", "150"),
        fibrinogen=lab("3.0", "g/L", "2.0", "4.0"),
    )
    picture = iec_hs_labs(subject)
    assert [(r.analyte, r.value_si) for r in picture.results] == [
        ("ferritin", Decimal("12000.0000")),
        ("fibrinogen", Decimal("3.0000")),
    ]
    assert picture.features == ["hyperferritinaemia"]
