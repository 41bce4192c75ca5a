"""Once-only submissions: the same page saved twice enters one record."""

import uuid

import pytest
from django.db import transaction

from edc.submissions import DuplicateSubmission, FormSubmission, claim_submission
from tests.concurrency import race
from tests.edc.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_token_is_claimed_once():
    user, token = UserFactory(), uuid.uuid4()
    claim_submission(token, actor=user)
    with pytest.raises(DuplicateSubmission):
        claim_submission(token, actor=user)


def test_a_refused_save_gives_the_token_back():
    user, token = UserFactory(), uuid.uuid4()

    def claim_then_fail():
        with transaction.atomic():
            claim_submission(token, actor=user)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        claim_then_fail()
    claim_submission(token, actor=user)
    assert FormSubmission.objects.filter(pk=token).count() == 1


def test_no_token_no_claim():
    claim_submission(None, actor=UserFactory())
    assert FormSubmission.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_racing_submissions_of_one_page_claim_it_once():
    user, token = UserFactory(), uuid.uuid4()

    def submit(_i):
        with transaction.atomic():
            claim_submission(token, actor=user)
        return "saved"

    outcomes = race(submit, workers=2)
    assert sorted(map(type, outcomes), key=str) == sorted([str, DuplicateSubmission], key=str)
