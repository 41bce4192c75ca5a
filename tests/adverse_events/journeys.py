"""An infused CT1192 subject, as the safety tests start from."""

from __future__ import annotations

import datetime as dt

from edc.models import Subject
from tests.dosing.journeys import enrol, infuse
from tests.screening.journeys import TODAY

DAY0 = dt.date(2026, 5, 6)


def infused_subject(actor) -> Subject:
    return infuse(enrol(actor, today=TODAY), actor, day0=DAY0)


def at(day: int, hour: int = 8) -> dt.datetime:
    """A moment on a study day (UTC)."""
    return dt.datetime.combine(DAY0 + dt.timedelta(days=day), dt.time(hour), tzinfo=dt.UTC)
