"""When CRS (or ICANS) begins after the infusion and how long it lasts, for the dashboard.

Time to onset is counted in study days, as the protocol and the safety timeline count them:
the calendar day of onset at the subject's site minus Day 0 (an onset on the infusion day is
day 0). Duration is from onset to resolution in days with hours as fractions (36 h = 1.5 days);
an episode not yet resolved has no duration and is left out of the duration summary, never
counted as if it ended today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from edc.domain.statistics import Summary, summarise
from edc.domain.validation import ArgumentError

SECONDS_PER_DAY = 86_400


def onset_day(*, day0: dt.date, onset_on: dt.date) -> int:
    """The study day of onset (Day 0 = the infusion day)."""
    return (onset_on - day0).days


def duration_days(*, onset_at: dt.datetime, resolved_at: dt.datetime | None) -> float | None:
    """Days from onset to resolution (None while the episode is ongoing)."""
    if resolved_at is None:
        return None
    if resolved_at < onset_at:
        raise ArgumentError("resolved_at", "an episode cannot resolve before its onset")
    return (resolved_at - onset_at).total_seconds() / SECONDS_PER_DAY


@dataclass(frozen=True)
class EpisodeTiming:
    onset_days: tuple[int, ...]  # days from infusion to each subject's first episode
    durations: tuple[float, ...]  # days each resolved episode lasted
    ongoing: int  # episodes without a resolution yet

    @property
    def onset(self) -> Summary:
        return summarise(self.onset_days)

    @property
    def duration(self) -> Summary:
        return summarise(self.durations)


@dataclass(frozen=True)
class Episode:
    subject: str
    day0: dt.date
    onset_on: dt.date  # the site's calendar day of onset
    onset_at: dt.datetime
    resolved_at: dt.datetime | None


def episode_timing(episodes: Iterable[Episode]) -> EpisodeTiming:
    """Time to onset of each subject's first episode, and the duration of every resolved one."""
    episodes = sorted(episodes, key=lambda e: e.onset_at)
    first: dict[str, int] = {}
    durations: list[float] = []
    ongoing = 0
    for e in episodes:
        first.setdefault(e.subject, onset_day(day0=e.day0, onset_on=e.onset_on))
        days = duration_days(onset_at=e.onset_at, resolved_at=e.resolved_at)
        if days is None:
            ongoing += 1
        else:
            durations.append(days)
    return EpisodeTiming(
        onset_days=tuple(first.values()), durations=tuple(durations), ongoing=ongoing
    )
