"""Running the reminders as the beat does, at a given hour of a day at a site."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from followup.reminders import RunResult, visit_reminders_send


def at_site(day: dt.date, hour: int = 9, tz: str = "Asia/Shanghai") -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zoneinfo.ZoneInfo(tz))


def run_and_deliver(capture, day: dt.date, hour: int = 9, tz: str = "Asia/Shanghai") -> RunResult:
    """One run at `hour` o'clock on `day` at the site, with its e-mail delivered after commit
    (eagerly, as without a broker)."""
    with capture(execute=True):
        return visit_reminders_send(now=at_site(day, hour, tz))
