"""Moments as people read them: in a zone, and saying which (never an unlabelled UTC time)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone


def zoned_text(value: dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """`2026-03-05 14:30 UTC+08:00`: the moment in `zone` (the active zone by default)."""
    zone = zone or timezone.get_current_timezone()
    local = timezone.localtime(value, zone) if timezone.is_aware(value) else value
    offset = local.strftime("%z")
    label = f"UTC{offset[:3]}:{offset[3:]}" if offset and offset != "+0000" else "UTC"
    return f"{local:%Y-%m-%d %H:%M} {label}"


def activate_site_zone(subject) -> None:
    """Read and enter a subject's times in its site's zone for the rest of the request, whoever
    reads them (a data manager's own zone is UTC); UserPreferenceMiddleware resets it after."""
    timezone.activate(zoneinfo.ZoneInfo(subject.study_site.site.timezone))
