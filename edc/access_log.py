"""The access log: every log-in, log-out, failed log-in, failed signature and lockout.

21 CFR 11.10(d) and 11.300(d) ask that access is limited and that attempts at unauthorised use are
detected and reported. A row is written for each event and never changed: the table is
append-only on PostgreSQL like the history tables (edc/audit_sql.py).

The rows are written from Django's authentication signals (and django-axes' lockout signal). The
house rule "no Django signals" is about our apps reacting to each other; these signals are the
framework's only hook into its own log-in and log-out, so they are the right tool here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from edc.accounts import is_reauthentication

USER_AGENT_MAX = 255
USERNAME_MAX = 150


class AccessLog(models.Model):
    class Kind(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGOUT = "logout", _("Logged out")
        LOGIN_FAILED = "login_failed", _("Failed log-in")
        SIGNATURE_FAILED = "signature_failed", _("Failed signature password")
        LOCKED_OUT = "locked_out", _("Locked out")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    # PROTECT: a user with access history is deactivated, never deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("user name tried"), max_length=USERNAME_MAX, db_index=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=USER_AGENT_MAX, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.username}"


def _client(request: HttpRequest | None) -> dict[str, Any]:
    """The address and browser of the request (axes' proxy-aware address when it has one)."""
    if request is None:
        return {"ip_address": None, "user_agent": ""}
    address = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    return {
        "ip_address": address or None,
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX],
    }


def access_record(
    kind: str,
    *,
    request: HttpRequest | None,
    user: AbstractBaseUser | None = None,
    username: str = "",
) -> AccessLog:
    name = user.get_username() if user is not None else username
    return AccessLog.objects.create(
        kind=kind, user=user, username=(name or "")[:USERNAME_MAX], **_client(request)
    )


def on_logged_in(sender, request, user, **kwargs) -> None:
    access_record(AccessLog.Kind.LOGIN, request=request, user=user)


def on_logged_out(sender, request, user, **kwargs) -> None:
    # `user` is None when an anonymous visitor posts to the log-out page: nothing happened.
    if user is not None:
        access_record(AccessLog.Kind.LOGOUT, request=request, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """A wrong password at log-in, or at a signature (edc/accounts.py marks the request)."""
    kind = (
        AccessLog.Kind.SIGNATURE_FAILED
        if is_reauthentication(request)
        else AccessLog.Kind.LOGIN_FAILED
    )
    access_record(kind, request=request, username=credentials.get("username", ""))


def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    access_record(AccessLog.Kind.LOCKED_OUT, request=request, username=username or "")


def access_log_search(
    *,
    username: str = "",
    kind: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AccessLog]:
    """The access log, newest first, filtered by the page's fields (dates in the user's zone)."""
    qs = AccessLog.objects.all()
    if username:
        qs = qs.filter(username__icontains=username)
    if kind:
        qs = qs.filter(kind=kind)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs
