"""Personal API tokens: issued by a user for themself on their account page, shown once, stored
only as a SHA-256 digest, revocable, and each issue and revocation in the audit trail.

Why our own model and not DRF's `authtoken`: DRF keeps the key in clear text, one per user, with
no expiry and no history. A token here carries the user's own permissions (the API asks the same
selectors as the pages) and nothing more, expires after `EDC_API_TOKEN_DAYS`, and is issued only
from a session that passed the log-in (django-axes lockout) and, for the roles that need one, the
second factor (TwoFactorRequiredMiddleware guards the page that issues it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from edc.audit import AuditedModel, audited_create, audited_update

PREFIX_LENGTH = 8
TOKEN_BYTES = 32
ISSUED = "API token issued"
REVOKED = "API token revoked"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(AuditedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the token, shown in the list so its owner can tell tokens apart.
    prefix = models.CharField(_("starts with"), max_length=PREFIX_LENGTH)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


def api_token_issue(*, user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """A new token for `user` and its clear text, which is never stored and shown only once."""
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    token = audited_create(
        ApiToken(
            user=user,
            name=name.strip(),
            prefix=raw[:PREFIX_LENGTH],
            digest=_digest(raw),
            expires_at=timezone.now() + dt.timedelta(days=settings.EDC_API_TOKEN_DAYS),
        ),
        actor=user,
        reason=ISSUED,
    )
    return token, raw


def api_token_revoke(token: ApiToken, *, actor: AbstractBaseUser) -> ApiToken:
    """Stop a token from working; a revoked token stays listed (and in the trail)."""
    if token.revoked_at is not None:
        return token
    return audited_update(
        token,
        actor=actor,
        reason=REVOKED,
        changes={"revoked_at": timezone.now()},
        expected_version=None,
    )


def api_tokens_of(user: AbstractBaseUser) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <token>`; an unknown, expired or revoked token, or the token of a
    deactivated user, is a 401. No password is involved, so django-axes never sees these requests;
    guessing is bounded by the anonymous rate limit instead (a token has 256 random bits)."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after the word Token."))
        try:
            raw = header[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from exc
        token = ApiToken.objects.select_related("user").filter(digest=_digest(raw)).first()
        if token is None or not token.is_usable(timezone.now()) or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This token is not valid."))
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword
