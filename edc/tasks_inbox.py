"""A user's tasks ("My tasks"), gathered from whatever apps register a source of them.

Visit reminders are the first source (followup); queries to answer and casebooks to sign can add
theirs without the core knowing them: `register_task_source(TaskSource(...))` in an app's ready().
A source answers two questions about a user, each in a constant number of queries: how many open
tasks (the count in the navigation bar, on every page, so one cheap query), and the tasks between
two positions (one page of the list). The page lists the sources one after the other, so a page
only asks the sources that fall on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


@dataclass(frozen=True)
class InboxTask:
    """One thing a user has to do, as the task list shows it (already in the page's language)."""

    source: str  # what kind of task, e.g. "Visit reminder"
    study: str
    subject: str
    title: str
    status: str
    due: dt.date | None
    detail: str
    url: str
    urgent: bool = False
    action: str = ""  # the link's words; empty: "Open schedule"


@dataclass(frozen=True)
class TaskSource:
    code: str
    count: Callable[[Any], int]  # user -> number of open tasks
    tasks: Callable[[Any, int, int, str], list[InboxTask]]  # user, start, stop, language


_SOURCES: dict[str, TaskSource] = {}


def register_task_source(source: TaskSource) -> None:
    existing = _SOURCES.get(source.code)
    if existing is not None and existing != source:
        raise ValueError(f"task source {source.code!r} is already registered")
    _SOURCES[source.code] = source


def task_count(user: Any) -> int:
    """The user's open tasks over every source (one count query per source)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return sum(source.count(user) for source in _SOURCES.values())


class TaskList(Sequence[InboxTask]):
    """Every source's tasks one after the other, for the paginator: its length asks each source
    once for its count, and a slice asks only the sources that fall in it."""

    def __init__(self, user: Any, *, lang: str) -> None:
        self.user, self.lang = user, lang

    @cached_property
    def _counts(self) -> list[tuple[TaskSource, int]]:
        return [(source, source.count(self.user)) for source in _SOURCES.values()]

    def __len__(self) -> int:
        return sum(n for _source, n in self._counts)

    def __getitem__(self, index):  # type: ignore[override]
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        tasks: list[InboxTask] = []
        offset = 0
        for source, n in self._counts:
            lo, hi = max(start - offset, 0), min(stop - offset, n)
            if lo < hi:
                tasks.extend(source.tasks(self.user, lo, hi, self.lang))
            offset += n
        return tasks


def inbox(request: HttpRequest) -> dict[str, object]:
    """The context processor of the navigation bar's task count (asked only when rendered)."""
    user = getattr(request, "user", None)
    return {"task_count": SimpleLazyObject(lambda: task_count(user))}
