""" "My tasks" entries for the site team: the queries waiting for their answer."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from edc.query_selectors import queries_awaiting_answer
from edc.tasks_inbox import InboxTask, TaskSource, register_task_source


def query_task_count(user) -> int:
    return queries_awaiting_answer(user).count()


def query_tasks(user, start: int, stop: int, lang: str) -> list[InboxTask]:
    with translation.override(lang):
        return [
            InboxTask(
                source=_("Query"),
                study=query.subject.study.registry_id,
                subject=str(query.subject),
                title=f"{query.visit_code} · {query.crf_code} · {query.field_name}",
                status=str(query.get_status_display()),
                due=None,
                detail=_("raised %(date)s") % {"date": query.created_at.date().isoformat()},
                url=reverse(
                    "edc:query-detail",
                    args=[query.subject.study.registry_id, query.subject_id, query.pk],
                ),
            )
            for query in queries_awaiting_answer(user)[start:stop]
        ]


def register() -> None:
    register_task_source(TaskSource(code="data_queries", count=query_task_count, tasks=query_tasks))
