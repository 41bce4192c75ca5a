"""Formatting of values in templates (no logic): numbers as typed, times with their zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from django import template
from django.utils import timezone

from edc.input_rules import plain_decimal
from edc.time_display import zoned_text

register = template.Library()


@register.filter
def plain(value: object) -> object:
    """`3.1000` -> `3.1`: a stored decimal as it was typed."""
    return plain_decimal(value) if isinstance(value, Decimal) and value.is_finite() else value


def _zone(where: object) -> dt.tzinfo:
    """The zone of `where`: a subject or study site (its site's zone), a zone name, or the
    request's active zone."""
    site = getattr(getattr(where, "study_site", where), "site", None)
    name = getattr(site, "timezone", where if isinstance(where, str) else None)
    return zoneinfo.ZoneInfo(name) if name else timezone.get_current_timezone()


@register.filter
def zoned(value: dt.datetime | None, where: object = None) -> str:
    """A moment in the zone of `where` (see `_zone`), labelled with its offset, e.g.
    `2026-03-05 14:30 UTC+08:00`: never an unlabelled time a reader could take for local."""
    if not isinstance(value, dt.datetime):
        return "" if value is None else str(value)
    return zoned_text(value, _zone(where))
