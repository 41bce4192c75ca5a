"""Once-only form submissions: a double click or the back button never enters a record twice.

Every new-entry form carries a token made when the page was drawn. Saving claims the token in
the same transaction as the record: the claim is a row with the token as its primary key, so a
second submission of the same page (even one racing the first) cannot claim it again and is told
the form was already saved. A refused save rolls the claim back, so the corrected form can use it.

The back button re-fetches an entry page (pages are not cached) and the browser restores what was
typed, so a token drawn anew on each fetch would not stop a second entry. A repeating form's
"add" page therefore keeps its token in its address (`?t=...`): going back fetches the same
address, and a page whose token was used says so instead of offering the form again.
"""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.db import IntegrityError, models, transaction


class FormSubmission(models.Model):
    token = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "edc"

    def __str__(self) -> str:
        return str(self.token)


class DuplicateSubmission(Exception):
    """This page was submitted before, and its record saved then."""


def claim_submission(token: uuid.UUID | None, *, actor) -> None:
    """Claim the token inside the caller's transaction; refuse one already claimed."""
    if token is None:
        return
    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=token, user=actor)
    except IntegrityError as exc:
        raise DuplicateSubmission from exc


def parse_token(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def submission_claimed(token: str | uuid.UUID | None) -> bool:
    """Whether a token belongs to a page whose record was already saved."""
    token = token if isinstance(token, uuid.UUID) else parse_token(token)
    return token is not None and FormSubmission.objects.filter(pk=token).exists()


class SubmissionTokenForm(forms.Form):
    """The hidden token of a new-entry page: the page's own (from its address), or a fresh one."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, *, token: uuid.UUID | None = None, **kwargs) -> None:
        super().__init__(data, initial={"submission_token": token or uuid.uuid4()}, **kwargs)

    def token(self) -> uuid.UUID | None:
        """The posted token (None for a client that sent none or a malformed one)."""
        return parse_token(self.data.get("submission_token"))
