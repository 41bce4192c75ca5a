"""CRS and ICANS episodes: each bedside assessment graded as entered, the maximum, overrides kept
beside the computed grade, and DLT candidates from grade and duration."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from adverse_events.services import (
    episode_assessment_record,
    episode_grade_override,
    episode_open,
    episode_resolve,
)
from tests.adverse_events.journeys import at, infused_subject
from tests.dosing.journeys import enrol
from tests.edc.factories import UserFactory
from tests.screening.journeys import TODAY

pytestmark = pytest.mark.django_db

FEVER = {"temperature_c": Decimal("38.6")}
GRADE_3 = {
    "temperature_c": Decimal("39.5"),
    "hypotension": True,
    "vasopressors": 1,
    "oxygen_device": "nasal_cannula",
    "oxygen_flow_l_min": Decimal(4),
}


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def crs(actor):
    subject = infused_subject(actor)
    return episode_open(subject=subject, kind="crs", onset_at=at(1), actor=actor)


def _assess(episode, actor, moment, **inputs):
    return episode_assessment_record(episode, inputs={"assessed_at": moment, **inputs}, actor=actor)


def test_assessment_is_graded_when_entered(crs, actor):
    assessment = _assess(crs, actor, at(1), **GRADE_3)
    assert (assessment.computed_grade, assessment.scale) == (3, "ASTCT 2019")


def test_episode_keeps_its_maximum_grade(crs, actor):
    _assess(crs, actor, at(1), **FEVER)
    _assess(crs, actor, at(2), **GRADE_3)
    _assess(crs, actor, at(3), **FEVER)
    crs.refresh_from_db()
    assert crs.max_grade == 3


def test_grade_3_crs_over_72_hours_becomes_a_dlt_candidate(crs, actor):
    _assess(crs, actor, at(1), **FEVER)
    _assess(crs, actor, at(2), **GRADE_3)
    _assess(crs, actor, at(5, 9), **GRADE_3)
    episode_resolve(crs, resolved_at=at(6), actor=actor)
    assert [c.rule_id for c in crs.subject.dlt_candidates.all()] == ["dlt-crs"]


def test_grade_3_crs_resolving_within_72_hours_is_no_dlt(crs, actor):
    _assess(crs, actor, at(2), **GRADE_3)
    _assess(crs, actor, at(4, 7), **FEVER)
    assert not crs.subject.dlt_candidates.exists()


def test_override_keeps_the_computed_grade_beside_it(crs, actor):
    assessment = _assess(crs, actor, at(1), **FEVER)
    overridden = episode_grade_override(
        assessment, grade=2, reason="Hypotension before vasopressor charted late", actor=actor
    )
    crs.refresh_from_db()
    assert (overridden.computed_grade, overridden.grade, crs.max_grade) == (1, 2, 2)


def test_override_without_reason_is_refused(crs, actor):
    assessment = _assess(crs, actor, at(1), **FEVER)
    with pytest.raises(ValidationError):
        episode_grade_override(assessment, grade=2, reason="", actor=actor)


def test_impossible_bedside_value_is_refused_at_its_field(crs, actor):
    with pytest.raises(ValidationError) as info:
        _assess(crs, actor, at(1), temperature_c=Decimal("47"))
    assert "temperature_c" in info.value.message_dict


def test_icans_is_graded_from_the_ice_items(actor):
    subject = infused_subject(actor)
    icans = episode_open(subject=subject, kind="icans", onset_at=at(4), actor=actor)
    items = {"ice_orientation": 2, "ice_naming": 1, "ice_commands": 0, "ice_writing": 0,
             "ice_attention": 0}  # fmt: skip
    assessment = _assess(icans, actor, at(4), **items)
    assert (assessment.ice_score, assessment.computed_grade) == (3, 2)


def test_episode_before_the_infusion_is_refused(actor):
    subject = enrol(actor, today=TODAY)
    with pytest.raises(ValidationError, match="follow the infusion"):
        episode_open(subject=subject, kind="crs", onset_at=at(1), actor=actor)


def test_the_driver_of_a_grade_is_named_in_the_users_language(crs, actor):
    assessment = _assess(crs, actor, at(1), **GRADE_3)
    with translation.override("zh-hans"):
        chinese = assessment.driver_display
    assert (assessment.driver_display, chinese) == ("hypotension", "低血压")


def test_the_demo_crs_is_grade_1_from_day_1_to_day_3(actor):
    from adverse_events.demo import demo_crs
    from edc.episodes import subject_episodes

    subject = infused_subject(actor)
    demo_crs(subject, actor=actor)
    (episode,) = subject_episodes([subject], lang="en")[subject.pk]
    assert (episode.kind, episode.max_grade) == ("crs", 1)
    assert (episode.onset_day, episode.resolved_day) == (1, 3)
