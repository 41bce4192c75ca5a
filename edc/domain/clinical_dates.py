"""The plausible range of every clinical date and datetime: the one rule (21 CFR 11.10(h)).

A clinician can only write down what has happened to a living, consented subject: nothing before
the subject's birth, nothing after today at the site, and (depending on the record) nothing before
consent or before the protocol's earliest visit around Day 0. A date outside that range is a slip
(a year typed as 0001 or 9999, a date of birth in the onset field) and is refused, not stored:
PostgreSQL turns a year-1 local time east of Greenwich into 1 BC, which then cannot be read back.

Every date field of a subject's record names the anchor its range starts from (a `DateRule`);
datetimes are judged on their calendar date at the site and may not be after now. The Django glue
(edc/clinical_dates.py) gathers the subject's anchors and turns a refusal into a field error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "EARLIEST_BIRTH",
    "DateContext",
    "DateRefusal",
    "DateRule",
    "check_clinical_date",
    "check_clinical_datetime",
    "earliest_day0_offset",
]

# Nobody alive to consent today was born before this.
EARLIEST_BIRTH = dt.date(1900, 1, 1)


class DateRule(StrEnum):
    """Where a field's plausible range starts; it always ends today (now, for a datetime)."""

    # The date of birth itself: from EARLIEST_BIRTH, strictly before today.
    BIRTH = "birth"
    # The consent date itself, and history that may precede consent (diagnosis, prior therapy):
    # on or after birth.
    SINCE_BIRTH = "since_birth"
    # Screening and later data: on or after the consent date.
    SINCE_CONSENT = "since_consent"
    # Events around the infusion (CRS, ICANS, their treatments): on or after Day 0 plus the
    # protocol's earliest Day-0-relative visit day; on or after consent while Day 0 is unknown.
    SINCE_DAY0 = "since_day0"


@dataclass(frozen=True)
class DateContext:
    """What a subject's dates are judged against; `today` is the calendar date at the site."""

    today: dt.date
    date_of_birth: dt.date | None = None
    consent_date: dt.date | None = None
    day0: dt.date | None = None
    # Days from Day 0 of the earliest visit a Day-0-anchored event can belong to (e.g. -7 for
    # lymphodepletion on day -5 with a window of 2 days before).
    earliest_day0_offset: int = 0


@dataclass(frozen=True)
class DateRefusal:
    """Why a date cannot be right: a message code and the values its message shows."""

    code: str
    params: dict[str, str] = field(default_factory=dict)


def earliest_day0_offset(visits: list[tuple[int, int]]) -> int:
    """The earliest day, relative to Day 0, of any Day-0-anchored visit's window.

    `visits` are (day, window_before_days) of the protocol's Day-0-anchored visits; with none,
    nothing before Day 0 belongs to a Day-0-relative record.
    """
    return min((day - before for day, before in visits), default=0)


# The bounds from the widest inwards; a rule applies its own bound and every wider one, so a
# date before birth is refused as "before birth", not merely as "before consent".
_CHAIN = (DateRule.BIRTH, DateRule.SINCE_BIRTH, DateRule.SINCE_CONSENT, DateRule.SINCE_DAY0)


def _bound(rule: DateRule, context: DateContext) -> tuple[dt.date, DateRefusal] | None:
    """The first plausible date of one bound, and the refusal for a date before it (None when
    the anchor is not known yet: Day 0 before the infusion)."""
    if rule is DateRule.BIRTH:
        return EARLIEST_BIRTH, DateRefusal("before_1900", {"earliest": EARLIEST_BIRTH.isoformat()})
    if rule is DateRule.SINCE_BIRTH and context.date_of_birth is not None:
        # The date of birth is personal data: the message does not repeat it.
        return context.date_of_birth, DateRefusal("before_birth")
    if rule is DateRule.SINCE_CONSENT and context.consent_date is not None:
        return context.consent_date, DateRefusal(
            "before_consent", {"consent_date": context.consent_date.isoformat()}
        )
    if rule is DateRule.SINCE_DAY0 and context.day0 is not None:
        start = context.day0 + dt.timedelta(days=context.earliest_day0_offset)
        return start, DateRefusal(
            "before_day0_window",
            {"earliest": start.isoformat(), "day": str(context.earliest_day0_offset)},
        )
    return None


def _before_range(value: dt.date, rule: DateRule, context: DateContext) -> DateRefusal | None:
    for bound in _CHAIN[: _CHAIN.index(rule) + 1]:
        found = _bound(bound, context)
        if found is not None and value < found[0]:
            return found[1]
    return None


def check_clinical_date(
    value: dt.date, *, rule: DateRule, context: DateContext
) -> DateRefusal | None:
    """None when a clinician could have written `value`; otherwise why not."""
    if rule is DateRule.BIRTH:
        if value >= context.today:
            return DateRefusal("birth_not_past")
    elif value > context.today:
        return DateRefusal("after_today")
    return _before_range(value, rule, context)


def check_clinical_datetime(
    value: dt.datetime, *, rule: DateRule, context: DateContext, now: dt.datetime, tz: dt.tzinfo
) -> DateRefusal | None:
    """The date rule on `value`'s calendar date in the site's timezone `tz`, and not after `now`.

    A naive value is taken as a time at the site. A value that cannot even be expressed at the
    site (the first or last instant Python knows, shifted by the site's offset) is refused as out
    of range rather than raising.
    """
    local_now = now.astimezone(tz)
    try:
        local = value.replace(tzinfo=tz) if value.utcoffset() is None else value.astimezone(tz)
        # Year 1 at UTC+8 is still year 1 locally but year 0 in UTC, which no database can hold.
        local.astimezone(dt.UTC)
    except OverflowError:
        return DateRefusal("out_of_range")
    if local > local_now:
        return DateRefusal("after_now", {"now": local_now.strftime("%Y-%m-%d %H:%M")})
    return _before_range(local.date(), rule, context)
