"""Date shifting for de-identified datasets: every date of a subject moved by one offset.

A study that turns it on (protocol `deidentification.date_shift_days: N`) has each subject's
dates moved by a whole number of days in -N..-1 or 1..N (never 0, which would leave a subject's
real dates in the file), drawn from an HMAC of the study's secret and the subject's USUBJID: the
same subject gets the same offset in every export and every format, so intervals, study days
(--DY) and ages stay what they were, and nobody without the secret can undo it.

Partial ISO 8601 dates (a year, a year and month) keep their precision: the middle of the period
is shifted and the result written at the same precision, which can move a date across a month
or year boundary by at most N days, as a full date would.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass

MAX_SHIFT_DAYS = 365
_ISO = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})(?P<time>T[0-9:.]+(?:Z|[+-][0-9:]+)?)?)?)?$"
)


def shift_offset(secret: bytes, subject_key: str, max_days: int) -> int:
    """The subject's offset in days: -max_days..-1 or 1..max_days, from HMAC-SHA256."""
    if not 1 <= max_days <= MAX_SHIFT_DAYS:
        raise ValueError(f"a date shift must be 1 to {MAX_SHIFT_DAYS} days, not {max_days}")
    digest = hmac.new(secret, subject_key.encode("utf-8"), hashlib.sha256).digest()
    draw = int.from_bytes(digest[:8], "big") % (2 * max_days)
    return draw - max_days if draw < max_days else draw - max_days + 1


@dataclass(frozen=True)
class DateShift:
    """Offsets of a study's subjects; `max_days` 0 is no shifting at all."""

    secret: bytes
    max_days: int = 0

    @property
    def active(self) -> bool:
        return self.max_days > 0

    def days(self, subject_key: str) -> int:
        return shift_offset(self.secret, subject_key, self.max_days) if self.active else 0

    def value(self, subject_key: str, value: object) -> object:
        """A date or datetime moved by the subject's offset; anything else as it is."""
        if not self.active or not isinstance(value, dt.date):
            return value
        return value + dt.timedelta(days=self.days(subject_key))

    def iso_text(self, subject_key: str, text: str) -> str:
        """An ISO 8601 date text (--DTC: YYYY, YYYY-MM, YYYY-MM-DD, with a time) moved by the
        subject's offset, at the precision it was written; blank and other text as it is."""
        match = _ISO.match(text) if self.active and text else None
        if match is None:
            return text
        year, month, day = match["year"], match["month"], match["day"]
        if day is not None:
            shifted = dt.date(int(year), int(month), int(day)) + dt.timedelta(
                days=self.days(subject_key)
            )
            return shifted.isoformat() + (match["time"] or "")
        middle = dt.date(int(year), int(month), 15) if month else dt.date(int(year), 7, 1)
        shifted = middle + dt.timedelta(days=self.days(subject_key))
        return f"{shifted:%Y-%m}" if month else f"{shifted:%Y}"


NO_SHIFT = DateShift(secret=b"", max_days=0)
