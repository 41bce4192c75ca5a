"""An infused CT1192 subject, as the safety tests start from."""

from __future__ import annotations

import datetime as dt

from edc.audit import system_user
from edc.crfs import crf_spec
from edc.models import Subject
from edc.services.crfs import crf_update
from screening.models import InfectionScreen
from tests.dosing.journeys import enrol, infuse
from tests.screening.journeys import TODAY

DAY0 = dt.date(2026, 5, 6)


def infused_subject(actor) -> Subject:
    return infuse(enrol(actor, today=TODAY), actor, day0=DAY0)


def at(day: int, hour: int = 8) -> dt.datetime:
    """A moment on a study day (UTC)."""
    return dt.datetime.combine(DAY0 + dt.timedelta(days=day), dt.time(hour), tzinfo=dt.UTC)


def hbv_monitored(subject: Subject) -> Subject:
    """The subject's screening infection screen corrected to HBcAb positive (HBV DNA
    undetectable, as the protocols admit), so the forms of HBV-DNA monitoring are offered."""
    screen = InfectionScreen.objects.get(subject=subject)
    crf_update(
        screen,
        spec=crf_spec("infection_screen"),
        data={"hbcab": "positive", "hbv_dna_detectable": "undetectable"},
        reason="Resolved hepatitis B",
        expected_version=screen.row_version,
        actor=system_user(),
    )
    return subject
