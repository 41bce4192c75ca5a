"""The AE log: derived fields, seriousness, the SAE notification sent once, reports as versions."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from adverse_events.models import SaeNotification, SafetyContact
from adverse_events.sae import sae_list_overdue, sae_notification_key
from adverse_events.services import sae_report_submit
from edc.crfs import crf_spec
from edc.outbox import OutboxMessage, outbox_deliver
from edc.services.crfs import crf_create
from tests.adverse_events.journeys import DAY0, at, infused_subject
from tests.edc.factories import UserFactory
from tests.screening.journeys import CONSENT

pytestmark = pytest.mark.django_db

AE = {
    "verbatim_term": "Pneumonia",
    "ctcae_term": "lung_infection",
    "onset_date": DAY0 + dt.timedelta(days=10),
    "resolution_date": None,
    "grade": 3,
    "serious_death": False,
    "serious_life_threatening": False,
    "serious_hospitalisation": False,
    "serious_disability": False,
    "serious_congenital": False,
    "serious_important_medical": False,
    "site_aware_at": None,
    "relationship_cart": "possible",
    "relationship_lymphodepletion": "possible",
    "action_taken": "treatment",
    "outcome": "recovering",
    "aesi": "infection",
}


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def subject(actor):
    subject = infused_subject(actor)
    SafetyContact.objects.create(study=subject.study, name="Safety desk", email="safety@sp.cn")
    return subject


def _report(subject, actor, **changes):
    return crf_create(
        spec=crf_spec("adverse_event"),
        subject=subject,
        visit_code="D14",
        data={**AE, **changes},
        actor=actor,
    )


def test_soc_and_study_day_are_derived(subject, actor):
    ae = _report(subject, actor)
    assert (ae.soc, ae.study_day, ae.is_serious) == ("Infections and infestations", 10, False)


def test_serious_event_needs_the_time_the_site_became_aware(subject, actor):
    with pytest.raises(ValidationError) as info:
        _report(subject, actor, serious_hospitalisation=True)
    assert "site_aware_at" in info.value.message_dict


def test_grade_5_needs_death_and_a_fatal_outcome(subject, actor):
    with pytest.raises(ValidationError) as info:
        _report(subject, actor, grade=5)
    assert "grade" in info.value.message_dict


def test_serious_event_notifies_the_safety_contacts_once(
    subject, actor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ae = _report(subject, actor, serious_hospitalisation=True, site_aware_at=at(10))
    assert [m.to for m in mail.outbox] == [["safety@sp.cn"]]
    assert "SAE" in mail.outbox[0].subject
    message = OutboxMessage.objects.get(key=sae_notification_key(ae.pk))
    assert outbox_deliver(message.pk, now=at(10, 9)).sent is False
    assert (len(mail.outbox), SaeNotification.objects.count()) == (1, 1)


def test_non_serious_event_sends_nothing(subject, actor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _report(subject, actor)
    assert mail.outbox == []


def test_sae_without_initial_report_after_24_hours_is_overdue(subject, actor):
    ae = _report(subject, actor, serious_hospitalisation=True, site_aware_at=at(10))
    assert list(sae_list_overdue(subject.study, now=at(11, 9))) == [ae]
    assert list(sae_list_overdue(subject.study, now=at(11, 7))) == []


def test_initial_report_stops_the_clock_and_follow_ups_are_versions(subject, actor):
    ae = _report(subject, actor, serious_hospitalisation=True, site_aware_at=at(10))
    sae_report_submit(ae, narrative="Admitted with pneumonia", actor=actor, now=at(10, 20))
    follow_up = sae_report_submit(ae, narrative="Recovering", actor=actor, now=at(12))
    assert follow_up.number == 2
    assert list(sae_list_overdue(subject.study, now=at(13))) == []


def test_non_serious_event_cannot_be_reported_as_an_sae(subject, actor):
    ae = _report(subject, actor)
    with pytest.raises(ValidationError, match="Only a serious"):
        sae_report_submit(ae, narrative="x", actor=actor, now=at(11))


def test_grade_4_non_haematological_event_becomes_a_dlt_candidate(subject, actor):
    _report(subject, actor, grade=4)
    assert [c.rule_id for c in subject.dlt_candidates.all()] == ["dlt-non-hematologic"]


def test_notification_is_attributed_to_the_system_user(subject, actor):
    ae = _report(subject, actor, serious_hospitalisation=True, site_aware_at=at(10))
    outbox_deliver(OutboxMessage.objects.get(key=sae_notification_key(ae.pk)).pk, now=at(10, 9))
    assert SaeNotification.history.get().history_user.username == "system"


def test_event_long_before_the_infusion_is_saved_outside_the_dlt_window(subject, actor):
    # The earliest an adverse event can start is the consent, 16 days before Day 0.
    ae = _report(subject, actor, onset_date=CONSENT, grade=4)
    assert (ae.study_day, subject.dlt_candidates.count()) == (-16, 0)
