"""One way to page a list (`templates/edc/_pagination.html` draws the links).

Every list a page shows grows with the trial (subjects, SAEs, audit entries, rows of a repeating
form), so each is paged and its rows fetched with what they render in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

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
