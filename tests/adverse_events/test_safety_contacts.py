"""Safety contacts in the app: the data manager adds and deactivates them; a study without one is
a configuration problem shown to who can fix it, never an error on the investigator's AE."""

import pytest
from django.urls import reverse

from adverse_events.models import AdverseEvent, SaeNotification, SafetyContact
from adverse_events.safety_contacts import safety_contact_add
from edc.outbox import OutboxMessage
from edc.roles import Role
from tests.adverse_events.journeys import infused_subject
from tests.adverse_events.sae_entry import investigator_client, post_sae
from tests.edc.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject():
    return infused_subject(UserFactory())


def _url(subject):
    return reverse("adverse_events:safety-contacts", args=[subject.study.registry_id])


def _data_manager(client, subject):
    from edc.models import Membership

    user = UserFactory()
    Membership.objects.create(user=user, study=subject.study, role=Role.DATA_MANAGER)
    client.force_login(user)
    return user


def test_data_manager_adds_a_contact_with_its_history(client, subject):
    user = _data_manager(client, subject)
    client.post(_url(subject), {"add": "1", "name": "Desk", "email": "desk@sp.cn"})
    contact = SafetyContact.objects.get()
    assert (contact.email, contact.history.get().history_user) == ("desk@sp.cn", user)


def test_a_malformed_address_is_refused_on_its_field(client, subject):
    _data_manager(client, subject)
    response = client.post(_url(subject), {"add": "1", "name": "Desk", "email": "not-an-address"})
    assert "email" in response.context["add_form"].errors
    assert SafetyContact.objects.count() == 0


def test_deactivating_a_contact_needs_a_reason(client, subject):
    _data_manager(client, subject)
    contact = SafetyContact.objects.create(study=subject.study, name="Desk", email="d@sp.cn")
    data = {"deactivate": "1", "contact": contact.pk, "row_version": contact.row_version}
    refused = client.post(_url(subject), {**data, "reason": ""}, follow=True)
    contact.refresh_from_db()
    assert contact.is_active
    assert any("required" in str(m) for m in refused.context["messages"])
    client.post(_url(subject), {**data, "reason": "left the sponsor"})
    contact.refresh_from_db()
    assert not contact.is_active
    assert contact.history.first().history_change_reason == "left the sponsor"


def test_study_home_tells_the_data_manager_there_is_no_contact(client, subject):
    _data_manager(client, subject)
    page = client.get(reverse("edc:study-home", args=[subject.study.registry_id]))
    assert [p.fix_url for p in page.context["problems"]] == [_url(subject)]


def test_study_home_does_not_bother_the_investigator_with_it(client, subject):
    investigator_client(client, subject)
    page = client.get(reverse("edc:study-home", args=[subject.study.registry_id]))
    assert page.context["problems"] == []


def test_sae_page_says_notifications_wait_for_a_contact(
    client, subject, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_sae(investigator_client(client, subject), subject)
    page = client.get(reverse("adverse_events:sae-dashboard", args=[subject.study.registry_id]))
    text = page.content.decode()
    assert "No safety contact" in text
    assert "Waiting for a safety contact" in text


def test_adding_a_contact_sends_what_waited(
    client, subject, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_sae(investigator_client(client, subject), subject)
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        safety_contact_add(study=subject.study, name="Desk", email="d@sp.cn", actor=UserFactory())
    ae = AdverseEvent.objects.get()
    assert ([m.to for m in mailoutbox], SaeNotification.objects.get().adverse_event) == (
        [["d@sp.cn"]],
        ae,
    )
    assert OutboxMessage.objects.get().state == "sent"


def test_a_contact_added_in_the_admin_sends_what_waited(
    client, subject, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_sae(investigator_client(client, subject), subject)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    form = {"study": subject.study.pk, "name": "Desk", "email": "d@sp.cn", "is_active": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:adverse_events_safetycontact_add"), {**form, "reason": "New desk"}
        )
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["d@sp.cn"]]
