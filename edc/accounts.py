"""Password checks under one limit: log-in and every signature count against the same lockout.

django-axes counts failures per user name and per address (settings: AXES_*). A signature that
re-enters the password goes through `verify_password`, i.e. through Django's `authenticate`, so
axes counts it like a failed log-in and refuses it once the account or address is locked
(21 CFR 11.300(d), 11.200(a)).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

_REAUTH_FLAG = "edc_reauthentication"


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def is_reauthentication(request: HttpRequest | None) -> bool:
    """Whether the password being checked is a signature, not a log-in."""
    return bool(getattr(request, _REAUTH_FLAG, False))


def verify_password(
    request: HttpRequest, actor: AbstractBaseUser, password: str, *, field: str = "password"
) -> None:
    """Raise a ValidationError on `field` unless `password` is the actor's and they are not
    locked out; a wrong password counts towards the lockout.
    """
    setattr(request, _REAUTH_FLAG, True)
    user = authenticate(request, username=actor.get_username(), password=password)
    if user is not None and user.pk == actor.pk:
        return
    if getattr(request, "axes_locked_out", False):
        raise ValidationError(
            {
                field: _(
                    "Too many wrong passwords: signing and logging in are locked for "
                    "%(minutes)s minutes. Nothing was signed."
                )
                % {"minutes": lockout_minutes()}
            }
        )
    raise ValidationError({field: _("The password is not correct; nothing was signed.")})


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """axes' answer to a locked-out request (AXES_LOCKOUT_CALLABLE).

    A log-in gets the lockout page. A signature keeps its own page, whose password field already
    says that the account is locked.
    """
    if is_reauthentication(request) and original_response is not None:
        return original_response
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": lockout_minutes()},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
