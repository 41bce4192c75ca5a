"""The API's paginators: pages of PAGE_SIZE rows, at most EDC_API_MAX_PAGE_SIZE on request;
numbered, except the audit trail's, which go by cursor as on its web page (edc/pagination.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from edc.audit_trail import Cursor, TrailRows
from edc.pagination import NEWER, OLDER, trail_cursor


class ApiPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = settings.EDC_API_MAX_PAGE_SIZE


class TrailPagination(BasePagination):
    """Pages of the audit trail, newest first: `next` leads to older entries and `previous` to
    newer ones, each by the cursor of the page's last or first entry (a count or an offset
    would read the whole trail, a million rows and more)."""

    page_size_query_param = ApiPagination.page_size_query_param

    def paginate_queryset(self, rows: TrailRows, request, view=None) -> list:
        self.request = request
        self.page = rows.page(
            trail_cursor(request.query_params), ApiPagination().get_page_size(request)
        )
        return self.page.rows

    def _link(self, param: str, cursor: Cursor | None) -> str | None:
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        for other in (OLDER, NEWER):
            url = remove_query_param(url, other)
        return replace_query_param(url, param, cursor.token)

    def get_paginated_response(self, data: list) -> Response:
        return Response(
            {
                "next": self._link(OLDER, self.page.older),
                "previous": self._link(NEWER, self.page.newer),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict[str, Any]:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {**link, "description": "The page of older entries."},
                "previous": {**link, "description": "The page of newer entries."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict[str, Any]]:
        def parameter(name: str, description: str, kind: str) -> dict[str, Any]:
            return {
                "name": name,
                "required": False,
                "in": "query",
                "description": description,
                "schema": {"type": kind},
            }

        return [
            parameter(OLDER, "Entries older than this cursor (from a `next` link).", "string"),
            parameter(NEWER, "Entries newer than this cursor (from a `previous` link).", "string"),
            parameter(self.page_size_query_param, "Entries per page.", "integer"),
        ]
