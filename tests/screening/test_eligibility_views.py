"""The eligibility page: the checklist for everyone who may see the subject, decisions for
investigators only."""

import pytest
from django.urls import reverse

from edc.models import Membership, Subject
from edc.roles import Role
from screening.models import EligibilityConfirmation
from tests.edc.factories import UserFactory
from tests.screening.journeys import confirm_judgements, ct1192_subject, screen

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject():
    return ct1192_subject()


def _login(client, subject, role, site=True):
    user = UserFactory()
    Membership.objects.create(
        user=user, study=subject.study, study_site=subject.study_site if site else None, role=role
    )
    client.force_login(user)
    return user


def _url(subject):
    return reverse("screening:eligibility", args=[subject.study.registry_id, subject.pk])


def test_checklist_groups_inclusion_criteria_and_shows_missing_data(client, subject):
    _login(client, subject, Role.INVESTIGATOR)
    response = client.get(_url(subject))
    section = response.context["sections"][0]
    assert (section["kind"], section["group"]) == ("inclusion", "common")
    row = next(r for r in section["rows"] if r["result"].criterion_id == "inc-10f")
    assert (row["result"].outcome, row["forms"]) == (
        "missing_data",
        [("echocardiography", "Echocardiography")],
    )


def test_investigator_confirms_a_judgement_item(client, subject):
    _login(client, subject, Role.INVESTIGATOR)
    client.post(_url(subject), {"action": "confirm", "key": "inc-3", "met": "yes", "note": "ok"})
    assert EligibilityConfirmation.objects.get(key="inc-3").met is True


def test_investigator_enrols_an_eligible_subject(client, subject):
    user = _login(client, subject, Role.INVESTIGATOR)
    screen(subject, user)
    confirm_judgements(subject, user)
    response = client.post(_url(subject), {"action": "enrol"}, follow=True)
    assert Subject.objects.get().status == "enrolled"
    assert "Enrolled as CT1192-01-001" in response.content.decode()


def test_enrolling_a_pending_subject_shows_why_and_changes_nothing(client, subject):
    _login(client, subject, Role.INVESTIGATOR)
    response = client.post(_url(subject), {"action": "enrol"}, follow=True)
    assert "Not eligible yet" in response.content.decode()
    assert Subject.objects.get().status == "screening"


def test_coordinator_sees_the_checklist_without_decision_buttons(client, subject):
    _login(client, subject, Role.COORDINATOR)
    assert client.get(_url(subject)).context["can_decide"] is False
    assert client.post(_url(subject), {"action": "enrol"}).status_code == 403


def test_monitor_cannot_confirm(client, subject):
    _login(client, subject, Role.MONITOR)
    response = client.post(_url(subject), {"action": "confirm", "key": "inc-3", "met": "yes"})
    assert response.status_code == 403
    assert not EligibilityConfirmation.objects.exists()


def test_screening_log_lists_the_sites_subjects_with_their_decision(client, subject):
    user = _login(client, subject, Role.INVESTIGATOR)
    screen(subject, user)
    client.post(_url(subject), {"action": "screen_fail", "reason": "Moved away"})
    response = client.get(reverse("screening:screening-log", args=[subject.study.registry_id]))
    [(logged, decision)] = response.context["page"]
    assert (logged.status, decision.outcome) == ("screen_failed", "screen_failed")


def test_checklist_evidence_is_labelled_in_chinese_for_a_chinese_user(client, subject):
    _login(client, subject, Role.INVESTIGATOR)
    client.post(reverse("edc:language-set"), {"language": "zh-hans", "next": "/"})
    page = client.get(_url(subject)).content.decode()
    assert "未吸氧血氧饱和度" in page or "中性粒细胞" in page
    assert "awaiting investigator confirmation" not in page


def test_screening_log_ignores_a_malformed_site(client, subject):
    _login(client, subject, Role.INVESTIGATOR)
    url = reverse("screening:screening-log", args=[subject.study.registry_id])
    assert client.get(url, {"site": "garbage"}).status_code == 200
