"""Tokens are issued on the account page, shown once, kept only as a digest, revocable by their
owner alone, and each issue and revocation is in the history."""

import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from edc.api_tokens import ApiToken, api_token_issue
from edc.roles import Role

pytestmark = pytest.mark.django_db


def test_the_page_shows_a_new_token_once(client, member):
    client.force_login(member(Role.SPONSOR))
    page = client.post(reverse("edc:api-tokens"), {"name": "analysis script"}).content.decode()
    token = ApiToken.objects.get()
    shown = page.split('data-testid="issued-token">')[1].split("<")[0]
    assert hashlib.sha256(shown.encode()).hexdigest() == token.digest
    assert shown not in client.get(reverse("edc:api-tokens")).content.decode()


def test_only_the_digest_is_stored(member):
    token, raw = api_token_issue(user=member(Role.SPONSOR), name="x")
    assert raw not in {token.digest, token.prefix, token.name}


def test_issuing_is_in_the_history_with_its_reason(member):
    token, _raw = api_token_issue(user=member(Role.SPONSOR), name="x")
    (entry,) = token.history.all()
    assert (entry.history_change_reason, entry.history_user) == ("API token issued", token.user)


def test_revoking_stops_the_token_and_is_in_the_history(client, member):
    user = member(Role.SPONSOR)
    token, _raw = api_token_issue(user=user, name="x")
    client.force_login(user)
    client.post(reverse("edc:api-token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.history.first().history_change_reason == "API token revoked"


def test_a_user_cannot_revoke_anothers_token(client, member):
    token, _raw = api_token_issue(user=member(Role.SPONSOR), name="x")
    client.force_login(member(Role.SPONSOR))
    response = client.post(reverse("edc:api-token-revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_expired_token_is_refused(member):
    token, raw = api_token_issue(user=member(Role.SPONSOR), name="x")
    token.expires_at = timezone.now()
    token._change_reason = "test set-up"
    token.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert client.get("/api/v1/studies/").status_code == 401
