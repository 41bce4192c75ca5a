"""An SAE is always saved once, and its notification queued, whatever the configuration."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from adverse_events.models import AdverseEvent, SaeNotification, SafetyContact
from adverse_events.sae import sae_notification_key
from edc.outbox import OutboxMessage
from tests.adverse_events.journeys import infused_subject
from tests.adverse_events.sae_entry import investigator_client, new_ae_url, post_sae
from tests.edc.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject():
    return infused_subject(UserFactory())


@pytest.fixture
def delivering(django_capture_on_commit_callbacks):
    """Run what the save queued after commit (tests run inside a transaction)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_sae_without_a_safety_contact_is_saved_and_waits(client, subject, mailoutbox, delivering):
    with delivering():
        response = post_sae(investigator_client(client, subject), subject)
    ae = AdverseEvent.objects.get()
    message = OutboxMessage.objects.get(key=sae_notification_key(ae.pk))
    assert response.status_code == 200
    assert any("no safety contact yet" in m for m in _messages(response))
    assert (message.state, message.waiting_for_configuration, mailoutbox) == (
        "pending",
        True,
        [],
    )


def test_sae_with_a_contact_is_saved_and_notified(client, subject, mailoutbox, delivering):
    SafetyContact.objects.create(study=subject.study, name="Desk", email="desk@sp.cn")
    with delivering():
        response = post_sae(investigator_client(client, subject), subject)
    assert any("is queued" in m for m in _messages(response))
    assert ([m.to for m in mailoutbox], SaeNotification.objects.count()) == ([["desk@sp.cn"]], 1)


def test_sae_with_a_failing_mail_server_is_saved_and_waits(client, subject, settings, delivering):
    SafetyContact.objects.create(study=subject.study, name="Desk", email="desk@sp.cn")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    with delivering():
        response = post_sae(investigator_client(client, subject), subject)
    message = OutboxMessage.objects.get()
    assert response.status_code == 200
    assert (AdverseEvent.objects.count(), message.state, message.attempts) == (1, "pending", 1)
    assert "ConnectionRefusedError" in message.last_error


def test_the_same_page_submitted_twice_enters_one_event(client, subject):
    investigator_client(client, subject)
    token = str(uuid.uuid4())
    first = post_sae(client, subject, submission_token=token)
    again = post_sae(client, subject, submission_token=token)
    assert AdverseEvent.objects.count() == 1
    assert first.status_code == again.status_code == 200
    assert any("already been saved" in m for m in _messages(again))


def test_a_refused_entry_keeps_its_token_for_the_corrected_submission(client, subject):
    investigator_client(client, subject)
    token = str(uuid.uuid4())
    refused = post_sae(client, subject, submission_token=token, site_aware_at="")
    saved = post_sae(client, subject, submission_token=token)
    assert refused.context["form"].errors
    assert (AdverseEvent.objects.count(), len(saved.redirect_chain)) == (1, 1)


def test_each_new_entry_page_gets_an_address_with_a_token_of_its_own(client, subject):
    investigator_client(client, subject)
    first, second = (client.get(new_ae_url(subject)).url for _ in range(2))
    assert first != second
    page = client.get(first)
    assert str(page.context["token_form"]["submission_token"].value()) == first[-36:]


def test_going_back_to_a_saved_entry_page_offers_no_second_entry(client, subject):
    investigator_client(client, subject)
    address = client.get(new_ae_url(subject)).url
    token = address[-36:]
    post_sae(client, subject, submission_token=token)
    back = client.get(address, follow=True)
    assert "token_form" not in back.context or back.context.get("form") is None
    assert any("already been saved" in m for m in _messages(back))
    assert AdverseEvent.objects.count() == 1


def test_an_sae_report_submitted_twice_is_recorded_once(client, subject):
    investigator_client(client, subject)
    post_sae(client, subject)
    ae = AdverseEvent.objects.get()
    url = reverse("adverse_events:sae-dashboard", args=[subject.study.registry_id])
    data = {"adverse_event": ae.pk, "narrative": "Admitted", "submission_token": uuid.uuid4()}
    client.post(url, data)
    again = client.post(url, data, follow=True)
    assert ae.sae_reports.count() == 1
    assert any("already been recorded" in m for m in _messages(again))


def test_sae_list_answers_in_constant_queries(client, subject):
    investigator_client(client, subject)
    url = reverse("adverse_events:sae-dashboard", args=[subject.study.registry_id])
    counts = []
    for _ in range(2):
        for _ in range(3):
            post_sae(client, subject, submission_token=str(uuid.uuid4()))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_sae_report_without_a_narrative_is_refused_with_a_message(client, subject):
    investigator_client(client, subject)
    post_sae(client, subject)
    ae = AdverseEvent.objects.get()
    url = reverse("adverse_events:sae-dashboard", args=[subject.study.registry_id])
    page = client.post(url, {"adverse_event": ae.pk, "narrative": "  "}, follow=True)
    assert ae.sae_reports.count() == 0
    assert any("required" in m for m in _messages(page))
