"""The infection form: study day and early/late derived from Day 0, and the adverse event a
grade 3 or more, or serious, infection opens (one, whatever the corrections)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from adverse_events.models import AdverseEvent, Infection, SafetyContact
from adverse_events.sae import sae_notification_key
from edc.crfs import crf_spec
from edc.outbox import OutboxMessage
from edc.services.crfs import crf_create, crf_update
from tests.adverse_events.journeys import DAY0, infused_subject
from tests.edc.factories import UserFactory

pytestmark = pytest.mark.django_db

MILD = {
    "pathogen_class": "viral",
    "organism": "Rhinovirus",
    "site": "upper_respiratory",
    "ctcae_term": "upper_respiratory_infection",
    "grade": 2,
    "onset_date": DAY0 + dt.timedelta(days=28),
    "outcome": "recovered",
    "serious": False,
}
SEVERE = {
    **MILD,
    "pathogen_class": "bacterial",
    "organism": "Klebsiella pneumoniae",
    "site": "lung",
    "ctcae_term": "lung_infection",
    "grade": 3,
    "onset_date": DAY0 + dt.timedelta(days=40),
    "treated_antibiotic": True,
    "outcome": "recovering",
    "relationship_cart": "possible",
    "relationship_lymphodepletion": "unlikely",
}


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def subject(actor):
    subject = infused_subject(actor)
    SafetyContact.objects.create(study=subject.study, name="Safety desk", email="safety@sp.cn")
    return subject


def _enter(subject, actor, visit_code="M2", **data):
    return crf_create(
        spec=crf_spec("infection"), subject=subject, visit_code=visit_code, data=data, actor=actor
    )


def _correct(infection, actor, **changes):
    infection = Infection.objects.get(pk=infection.pk)
    return crf_update(
        infection,
        spec=crf_spec("infection"),
        data=changes,
        reason="Culture result back",
        expected_version=infection.row_version,
        actor=actor,
    )


def test_an_infection_on_day_28_is_early(subject, actor):
    infection = _enter(subject, actor, visit_code="D28", **MILD)
    assert (infection.study_day, infection.timing) == (28, "early")


def test_an_infection_on_day_29_is_late(subject, actor):
    infection = _enter(subject, actor, **{**MILD, "onset_date": DAY0 + dt.timedelta(days=29)})
    assert (infection.study_day, infection.timing) == (29, "late")


def test_a_grade_2_infection_opens_no_adverse_event(subject, actor):
    infection = _enter(subject, actor, **MILD)
    assert infection.adverse_event is None
    assert not AdverseEvent.objects.filter(subject=subject).exists()


def test_a_grade_3_infection_opens_its_adverse_event(subject, actor):
    infection = _enter(subject, actor, **SEVERE)
    ae = Infection.objects.get(pk=infection.pk).adverse_event
    assert (ae.ctcae_term, ae.grade, ae.onset_date, ae.aesi, ae.is_serious) == (
        "lung_infection", 3, SEVERE["onset_date"], "infection", False
    )  # fmt: skip
    assert ae.verbatim_term == "Infection: Klebsiella pneumoniae, Lung (pneumonia)"
    assert ae.action_taken == "treatment"


def test_a_corrected_infection_updates_its_adverse_event_and_enters_no_second(subject, actor):
    infection = _enter(subject, actor, **SEVERE)
    _correct(infection, actor, grade=4)
    _correct(infection, actor, outcome="recovered")
    ae = AdverseEvent.objects.get(subject=subject)
    assert (ae.grade, ae.outcome) == (4, "recovered")
    assert ae.history.first().history_change_reason == "Infection form corrected"


def test_a_mild_infection_corrected_to_grade_3_opens_its_adverse_event_then(subject, actor):
    infection = _enter(subject, actor, **MILD)
    _correct(infection, actor, grade=3, relationship_cart="possible",
             relationship_lymphodepletion="possible")  # fmt: skip
    assert AdverseEvent.objects.filter(subject=subject, grade=3).count() == 1


def test_a_serious_infection_starts_the_sae_clock_once(subject, actor):
    aware = dt.datetime.combine(SEVERE["onset_date"], dt.time(9), tzinfo=dt.UTC)
    infection = _enter(subject, actor, **{**SEVERE, "serious": True, "site_aware_at": aware})
    _correct(infection, actor, outcome="recovered")
    ae = AdverseEvent.objects.get(subject=subject)
    assert (ae.is_serious, ae.site_aware_at) == (True, aware)
    assert OutboxMessage.objects.filter(key=sae_notification_key(ae.pk)).count() == 1


def test_a_serious_infection_needs_the_time_the_site_became_aware(subject, actor):
    with pytest.raises(ValidationError) as info:
        _enter(subject, actor, **{**SEVERE, "serious": True})
    assert "site_aware_at" in info.value.message_dict
    assert not Infection.objects.exists()


def test_a_grade_3_infection_needs_its_relationship_to_the_product(subject, actor):
    with pytest.raises(ValidationError) as info:
        _enter(subject, actor, **{**SEVERE, "relationship_cart": ""})
    assert "relationship_cart" in info.value.message_dict
    assert not AdverseEvent.objects.exists()
