"""Per-request account rules: language and timezone, the session's time cap, two-factor."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp import user_has_device

from edc import two_factor
from edc.models import Membership, UserPreference


class UserPreferenceMiddleware:
    """Show the UI in the user's chosen language and times in their site's timezone.

    Users at all sites (data managers, sponsors) see UTC, labelled as such, because they compare
    sites in different zones.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            pref = UserPreference.objects.filter(user=user).first()
            if pref is not None:
                translation.activate(pref.language)
                request.LANGUAGE_CODE = translation.get_language()
            tz = (
                Membership.objects.filter(user=user, is_active=True, study_site__isnull=False)
                .values_list("study_site__site__timezone", flat=True)
                .first()
            )
            timezone.activate(zoneinfo.ZoneInfo(tz or "UTC"))
        response = self.get_response(request)
        # Nothing of this request's user may leak into work done later on the same thread.
        timezone.deactivate()
        translation.deactivate()
        return response


_LOGIN_AT = "edc_login_at"


def stamp_login_time(sender, request: HttpRequest, user, **kwargs) -> None:
    """Remember when this session logged in (receiver of `user_logged_in`, see edc/apps.py)."""
    request.session[_LOGIN_AT] = timezone.now().timestamp()


class AbsoluteSessionLimitMiddleware:
    """Log out a session EDC_SESSION_ABSOLUTE_HOURS after its log-in, however active it is.

    The idle timeout (SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST) never ends a session that
    keeps working; this cap does, so a stolen or forgotten session cookie has a bounded life.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            # A session from before this control existed starts its clock now.
            started = request.session.setdefault(_LOGIN_AT, now)
            if now - started > settings.EDC_SESSION_ABSOLUTE_HOURS * 3600:
                logout(request)
                messages.info(
                    request, _("Your session reached its time limit: please log in again.")
                )
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Send a user whose role requires two-factor authentication (EDC_OTP_REQUIRED_ROLES) to
    verify a TOTP device, or to enrol one, before any other page of this session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and request.resolver_match.url_name not in two_factor.OPEN_URL_NAMES
            and two_factor.required_for(user)
        ):
            target = "edc:two-factor-verify" if user_has_device(user) else "edc:two-factor-enrol"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return None
