"""The lymphodepletion and infusion forms check the subject again before treatment (CT1192
inclusion 5: negative beta-hCG within 48 hours before lymphodepletion; organ function; active
infection), and refuse unless the investigator gives the reason to proceed."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from dosing.models import Infusion, LymphodepletionCourse
from edc.crfs import crf_spec
from edc.services.crfs import crf_create
from tests.dosing.journeys import enrol, infuse
from tests.edc.factories import UserFactory
from tests.screening.journeys import TODAY, lab

pytestmark = pytest.mark.django_db

LD_START = dt.date(2026, 5, 1)
WUHAN = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def enrolled(actor):
    return enrol(actor, today=TODAY)


def _hcg(subject, actor, at: dt.datetime):
    crf_create(
        spec=crf_spec("pregnancy_test"),
        subject=subject,
        visit_code="LD",
        data={"childbearing_potential": True, "tested_at": at, "result": "negative"},
        actor=actor,
    )


def _ld(subject, actor, **extra):
    return crf_create(
        spec=crf_spec("lymphodepletion"),
        subject=subject,
        visit_code="LD",
        data={
            "measured_on": LD_START - dt.timedelta(days=1),
            "height_cm": Decimal("162"),
            "weight_kg": Decimal("58"),
            "first_day_on": LD_START,
            **extra,
        },
        actor=actor,
        children={},
    )


def test_lymphodepletion_without_an_hcg_from_the_48_hours_before_is_refused(enrolled, actor):
    _hcg(enrolled, actor, dt.datetime.combine(LD_START - dt.timedelta(days=4), dt.time(9), WUHAN))
    with pytest.raises(ValidationError) as refused:
        _ld(enrolled, actor)
    assert "criterion 5" in refused.value.message_dict["pretreatment_override_reason"][0]
    assert not LymphodepletionCourse.objects.exists()


def test_lymphodepletion_goes_ahead_with_a_negative_hcg_of_the_day_before(enrolled, actor):
    _hcg(enrolled, actor, dt.datetime.combine(LD_START - dt.timedelta(days=1), dt.time(9), WUHAN))
    course = _ld(enrolled, actor)
    assert {c["criterion"]: c["outcome"] for c in course.pretreatment_checks}["inc-5"] == "met"


def test_a_failed_check_is_overridden_only_with_a_reason_that_is_kept(enrolled, actor):
    _hcg(enrolled, actor, dt.datetime.combine(LD_START - dt.timedelta(days=4), dt.time(9), WUHAN))
    course = _ld(enrolled, actor, pretreatment_override_reason="Urine hCG negative on the day")
    assert course.pretreatment_override_reason == "Urine hCG negative on the day"
    assert {c["criterion"]: c["outcome"] for c in course.pretreatment_checks}["inc-5"] == (
        "missing_data"
    )


def test_active_infection_refuses_lymphodepletion_without_a_reason(enrolled, actor):
    with pytest.raises(ValidationError) as refused:
        _ld(enrolled, actor, active_infection=True)
    assert "active infection" in refused.value.message_dict["pretreatment_override_reason"][0]


def test_infusion_is_refused_when_liver_function_fails_before_it(enrolled, actor):
    crf_create(
        spec=crf_spec("lab_panel"),
        subject=enrolled,
        visit_code="LD",
        data={"collected_on": dt.date(2026, 5, 4), "laboratory": "Wuhan Union"},
        actor=actor,
        children={"alt": lab("200", "U/L", "7", "40")},  # after lymphodepletion began
    )
    with pytest.raises(ValidationError) as refused:
        infuse(enrolled, actor, day0=dt.date(2026, 5, 6))
    assert "criterion 10c" in refused.value.message_dict["pretreatment_override_reason"][0]
    assert not Infusion.objects.exists()
