"""The follow-up tests start from an infused CT1192 subject, entered by one user."""

import pytest

from tests.adverse_events.journeys import infused_subject
from tests.edc.factories import UserFactory


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def subject(actor):
    return infused_subject(actor)
