"""A list page answers in the same number of queries for N and 3N rows (no query per row)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

ROWS = 3  # N; 3N rows still fit one page, so every row is drawn at both sizes


def query_counts(client, url: str, add_rows: Callable[[int], object], n: int = ROWS) -> list[int]:
    """The queries of a GET of `url` after `add_rows(n)`, then after `add_rows(2 * n)` more."""
    client.get(url)  # per-process caches (the protocol definition, the session) warmed once
    counts = []
    for more in (n, 2 * n):
        add_rows(more)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    return counts
