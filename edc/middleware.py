"""Per-user language and site timezone, chosen once per request."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

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
