"""Locks hold on the safety paths: no new AE at a locked subject, and a listener's recompute
(study days following Day 0, lab grading) is refused with the save that triggered it."""

import datetime as dt

import pytest

from adverse_events.lab_toxicity import lab_toxicity_confirm
from adverse_events.models import AdverseEvent, LabToxicity
from dosing.models import Infusion
from edc.audit import system_user
from edc.crfs import crf_spec
from edc.locking import DataLocked
from edc.services.crfs import crf_create, crf_update
from edc.services.locks import data_lock
from screening.demo import lab
from tests.adverse_events.journeys import DAY0, infused_subject
from tests.adverse_events.test_adverse_events import AE
from tests.edc.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def subject(actor):
    return infused_subject(actor)


def _lock(subject, scope="subject", **target):
    return data_lock(
        study=subject.study,
        scope=scope,
        study_site=subject.study_site,
        subject=subject,
        actor=UserFactory(),
        reason="Interim analysis",
        **target,
    )


def _report(subject, actor):
    return crf_create(
        spec=crf_spec("adverse_event"), subject=subject, visit_code="D14", data=AE, actor=actor
    )


def test_a_new_adverse_event_at_a_locked_subject_is_refused(subject, actor):
    _lock(subject)
    with pytest.raises(DataLocked):
        _report(subject, actor)
    assert not AdverseEvent.objects.exists()


def test_confirming_a_lab_toxicity_as_an_ae_at_a_locked_subject_is_refused(subject, actor):
    crf_create(
        spec=crf_spec("lab_panel"),
        subject=subject,
        visit_code="D7",
        data={"collected_on": DAY0 + dt.timedelta(days=7), "laboratory": "Central"},
        actor=actor,
        children={"neutrophils": lab("0.3", "10^9/L", "1.8", "6.3")},
    )
    _lock(subject)
    with pytest.raises(DataLocked):
        lab_toxicity_confirm(
            LabToxicity.objects.get(),
            relationship_cart="probable",
            relationship_lymphodepletion="probable",
            action_taken="treatment",
            outcome="recovering",
            actor=system_user(),
        )
    assert (AdverseEvent.objects.count(), LabToxicity.objects.get().status) == (0, "proposed")


def test_a_listener_recompute_at_a_locked_visit_rolls_back_the_save_that_triggered_it(
    subject, actor
):
    ae = _report(subject, actor)
    _lock(subject, scope="visit", visit_code="D14")
    infusion = Infusion.objects.get(subject=subject)
    data = {
        f.name: getattr(infusion, f.name)
        for f in crf_spec("infusion").form._meta.model._meta.concrete_fields
        if f.name in crf_spec("infusion").form._meta.fields
    }
    with pytest.raises(DataLocked) as info:
        crf_update(
            infusion,
            spec=crf_spec("infusion"),
            data={**data, "infused_on": DAY0 + dt.timedelta(days=1)},
            reason="Infusion date mistyped",
            expected_version=infusion.row_version,
            actor=actor,
        )
    assert "visit D14" in info.value.messages[0]
    infusion.refresh_from_db()
    subject.refresh_from_db()
    ae.refresh_from_db()
    assert (infusion.infused_on, subject.day0_date, ae.study_day) == (DAY0, DAY0, 10)
