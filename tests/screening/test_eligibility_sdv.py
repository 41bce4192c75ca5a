"""The eligibility decision is source-verified like a form: listed, verified on its page."""

import pytest
from django.urls import reverse

from edc.models import Membership
from edc.roles import Role
from edc.sdv import SourceVerification, sdv_items
from edc.selectors import protocol_definition
from screening.models import EligibilityDecision
from screening.services.eligibility import subject_screen_fail
from tests.edc.factories import UserFactory
from tests.screening.journeys import NOW, TODAY, ct1192_subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided():
    subject = ct1192_subject()
    return subject_screen_fail(
        subject, actor=UserFactory(), today=TODAY, now=NOW, reason="Withdrew consent"
    )


def _member(subject, role):
    user = UserFactory()
    Membership.objects.create(
        user=user, study=subject.study, study_site=subject.study_site, role=role
    )
    return user


@pytest.fixture
def monitor(client, decided):
    user = _member(decided, Role.MONITOR)
    client.force_login(user)
    return user


def _page(subject):
    return reverse("screening:eligibility", args=[subject.study.registry_id, subject.pk])


def _verify(client, subject):
    decision = EligibilityDecision.objects.get(subject=subject)
    url = reverse(
        "screening:eligibility-verify", args=[subject.study.registry_id, subject.pk, decision.pk]
    )
    return client.post(url)


def _item(subject):
    items = sdv_items(protocol_definition(subject.study), [subject])
    return next(i for i in items if i.crf_code == "eligibility")


def test_the_decision_is_on_the_sdv_list_as_required_at_screening(decided):
    item = _item(decided)
    assert (item.visit_code, item.required, item.verified) == ("SCR", True, False)


def test_the_list_sends_the_monitor_to_the_eligibility_page(decided):
    assert _item(decided).verify_url == _page(decided) + "#sdv"


def test_the_monitor_verifies_the_decision_on_the_eligibility_page(client, decided, monitor):
    assert _verify(client, decided).status_code == 302
    mark = SourceVerification.objects.get()
    assert (mark.crf_code, mark.visit_code, mark.field_name, mark.verified_by) == (
        "eligibility",
        "SCR",
        "",
        monitor,
    )


def test_a_verified_decision_counts_as_verified(client, decided, monitor):
    _verify(client, decided)
    assert _item(decided).verified


def test_the_page_shows_who_verified_the_decision(client, decided, monitor):
    _verify(client, decided)
    html = client.get(_page(decided)).content.decode()
    assert 'data-testid="eligibility-verified"' in html


def test_the_page_offers_the_monitor_the_verify_button(client, decided, monitor):
    assert 'data-testid="verify-eligibility"' in client.get(_page(decided)).content.decode()


def test_verifying_the_decision_twice_is_refused_and_adds_nothing(client, decided, monitor):
    _verify(client, decided)
    response = _verify(client, decided)
    assert SourceVerification.objects.count() == 1
    assert "already verified" in client.get(response.url).content.decode()


def test_an_investigator_cannot_verify_the_decision(client, decided):
    client.force_login(_member(decided, Role.INVESTIGATOR))
    assert _verify(client, decided).status_code == 403
    assert not SourceVerification.objects.exists()


def test_an_investigator_sees_no_verify_button(client, decided):
    client.force_login(_member(decided, Role.INVESTIGATOR))
    assert 'data-testid="verify-eligibility"' not in client.get(_page(decided)).content.decode()
