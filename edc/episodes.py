"""The toxicity episodes (CRS, ICANS) of subjects, for pages of apps that may not read the safety
app: the follow-up plots mark them on a subject's course and on the study's swimmer plot.

The safety app owns the episodes and registers a source here; the core and the follow-up app read
them through `subject_episodes`, so neither imports the other (import-linter's layers).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from edc.models import Subject


@dataclass(frozen=True)
class Episode:
    """One episode on the subject's site calendar: onset and resolution study days (Day 0 =
    infusion; resolution None while ongoing), its kind ("crs", "icans"), name and maximum grade."""

    subject_id: uuid.UUID
    kind: str
    name: str
    onset_day: int
    resolved_day: int | None
    max_grade: int


# (subjects, lang) -> their episodes, in one query whatever the number of subjects.
EpisodeSource = Callable[..., list[Episode]]
_SOURCES: list[EpisodeSource] = []


def register_episode_source(source: EpisodeSource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def subject_episodes(subjects: Sequence[Subject], *, lang: str) -> dict[uuid.UUID, list[Episode]]:
    """The episodes of each subject (infused ones only), by onset."""
    by_subject: dict[uuid.UUID, list[Episode]] = defaultdict(list)
    infused = [s for s in subjects if s.day0_date is not None]
    if not infused:
        return {}
    for source in _SOURCES:
        for episode in source(infused, lang=lang):
            by_subject[episode.subject_id].append(episode)
    return {
        pk: sorted(rows, key=lambda e: (e.onset_day, e.kind)) for pk, rows in by_subject.items()
    }
