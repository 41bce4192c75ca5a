"""The delayed neurotoxicities after CAR-T (parkinsonism, cranial nerve palsies, Guillain-Barré
syndrome) are AESIs by their term: the AE log flags them whatever the investigator selected."""

import datetime as dt

import pytest
from django.urls import reverse

from adverse_events.domain.terms import ctcae_terms
from adverse_events.models import AdverseEvent
from edc.crfs import crf_spec
from edc.models import Membership
from edc.roles import Role
from edc.services.crfs import crf_create
from tests.adverse_events.journeys import DAY0, infused_subject
from tests.adverse_events.test_adverse_events import AE
from tests.edc.factories import UserFactory


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def subject(actor):
    return infused_subject(actor)


def test_every_aesi_of_the_term_list_is_an_aesi_of_the_ae_log():
    assert {t.aesi for t in ctcae_terms().values() if t.aesi} <= set(AdverseEvent.Aesi.values)


@pytest.mark.parametrize(
    ("term", "aesi"),
    [
        ("parkinsonism", "parkinsonism"),
        ("facial_nerve_disorder", "cranial_nerve_palsy"),
        ("guillain_barre_syndrome", "guillain_barre"),
    ],
)
def test_a_delayed_neurotoxicity_term_is_its_aesi(term, aesi):
    assert ctcae_terms()[term].aesi == aesi


def _event(subject, actor, **changes):
    return crf_create(
        spec=crf_spec("adverse_event"),
        subject=subject,
        visit_code="M6",
        data={**AE, "onset_date": DAY0 + dt.timedelta(days=150), **changes},
        actor=actor,
    )


@pytest.mark.django_db
def test_an_event_of_an_aesi_term_is_flagged_whatever_was_selected(subject, actor):
    ae = _event(
        subject, actor, verbatim_term="Bell's palsy", ctcae_term="facial_nerve_disorder", aesi=""
    )
    assert ae.aesi == "cranial_nerve_palsy"


@pytest.mark.django_db
def test_an_event_of_another_term_keeps_the_investigators_flag(subject, actor):
    assert _event(subject, actor).aesi == "infection"


@pytest.mark.django_db
def test_the_safety_page_shows_the_aesi(subject, actor, client):
    _event(subject, actor, verbatim_term="Parkinsonism", ctcae_term="parkinsonism", aesi="")
    reader = UserFactory()
    Membership.objects.create(
        user=reader, study=subject.study, study_site=subject.study_site, role=Role.MONITOR
    )
    client.force_login(reader)
    page = client.get(
        reverse("adverse_events:safety", args=[subject.study.registry_id, subject.pk])
    )
    assert "AESI: Parkinsonism" in page.content.decode()
