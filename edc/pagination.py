"""How lists are paged: by number (`templates/edc/_pagination.html` draws the links), and the
audit trail by cursor (`templates/edc/_trail_pagination.html`).

Every list a page shows grows with the trial (subjects, SAEs, audit entries, rows of a repeating
form), so each is paged and its rows fetched with what they render in a fixed number of queries.
The audit trail grows to millions of rows: counting them or skipping to a deep page would read
them all, so its pages are "newer" and "older" of a cursor (see edc.audit_trail.TrailRows).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from edc.audit_trail import Cursor, TrailRows

PER_PAGE = 25


def paged(
    request: HttpRequest,
    items: QuerySet | Sequence,
    *,
    per_page: int = PER_PAGE,
    param: str = "page",
) -> Page:
    """The requested page of `items`. It carries `param` (the GET parameter of its number, so a
    page can hold several paged lists) and `query`: the request's other GET parameters (a filter,
    another list's page), which its links keep."""
    page = Paginator(items, per_page).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    page.param = param
    page.query = query.urlencode()
    return page


OLDER, NEWER = "older", "newer"


@dataclass
class CursorPage:
    """A page of the audit trail for a template: its rows, then the entries the view makes of
    them (`object_list`), and the query strings of the newer and older pages ("" at an end),
    which keep the request's filter (`query`, also the link to the newest page)."""

    rows: list
    query: str
    first: bool
    newer: str
    older: str
    object_list: list | None = None

    def __iter__(self):
        return iter(self.object_list or [])

    def __len__(self) -> int:
        return len(self.object_list or [])


def trail_cursor(params: Mapping[str, str]) -> Cursor | None:
    """The cursor a request's `older` or `newer` parameter names (None: the newest page)."""
    if token := params.get(NEWER):
        return Cursor.parse(token, older=False)
    return Cursor.parse(params.get(OLDER, ""), older=True)


def trail_paged(request: HttpRequest, rows: TrailRows, *, per_page: int = PER_PAGE) -> CursorPage:
    """The page of `rows` the request's cursor names."""
    cursor = trail_cursor(request.GET)
    page = rows.page(cursor, per_page)
    query = request.GET.copy()
    query.pop(OLDER, None)
    query.pop(NEWER, None)

    def link(param: str, at: Cursor | None) -> str:
        if at is None:
            return ""
        linked = query.copy()
        linked[param] = at.token
        return linked.urlencode()

    return CursorPage(
        rows=page.rows,
        query=query.urlencode(),
        # The newest page, also when a newer page reached it (a cursor past the end is not).
        first=page.newer is None and (cursor is None or bool(page.rows)),
        newer=link(NEWER, page.newer),
        older=link(OLDER, page.older),
    )
