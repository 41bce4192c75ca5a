"""Contraception windows and pregnancies after the infusion.

The window's length is protocol data (`contraception.months_after_infusion`): NCT07246096 asks
for contraception at least 6 months after the end of the study treatment (a single infusion),
CT1192 until 1 year after the CT1192 infusion. The end date is Day 0 plus that many calendar
months; a day that the month lacks (31 August + 6 months) falls back to the month's last day.
"""

from __future__ import annotations

import calendar
import datetime as dt
from enum import StrEnum


def contraception_end(*, day0: dt.date, months_after_infusion: int) -> dt.date:
    """The last day contraception is required: Day 0 plus the protocol's months."""
    if months_after_infusion < 1:
        raise ValueError(f"months_after_infusion must be at least 1, not {months_after_infusion}")
    months = day0.month - 1 + months_after_infusion
    year, month = day0.year + months // 12, months % 12 + 1
    return dt.date(year, month, min(day0.day, calendar.monthrange(year, month)[1]))


class Exposure(StrEnum):
    """When the pregnancy began relative to the study treatment."""

    BEFORE_INFUSION = "before_infusion"
    WITHIN_CONTRACEPTION_WINDOW = "within_window"
    AFTER_CONTRACEPTION_WINDOW = "after_window"


def pregnancy_exposure(
    *, conception_date: dt.date, day0: dt.date, window_end: dt.date | None
) -> Exposure:
    """Conceived before Day 0 (exposed in utero to the infusion), on or before the last day of
    the contraception window, or after it (`window_end` None: the protocol sets no window, so
    every pregnancy after the infusion counts as within it)."""
    if conception_date < day0:
        return Exposure.BEFORE_INFUSION
    if window_end is None or conception_date <= window_end:
        return Exposure.WITHIN_CONTRACEPTION_WINDOW
    return Exposure.AFTER_CONTRACEPTION_WINDOW


def estimated_conception(
    *, lmp_date: dt.date | None, conception_date: dt.date | None
) -> dt.date | None:
    """The conception date as estimated: as given, or two weeks after the last menstrual period
    (Naegele's convention); None when neither is known."""
    if conception_date is not None:
        return conception_date
    return lmp_date + dt.timedelta(days=14) if lmp_date is not None else None
