"""Reading one panel of the study dashboard as a user sees it (the page's own context)."""

from __future__ import annotations

from django.urls import reverse

from edc.dashboards import DataTable, Panel


def dashboard_url(study, **query) -> str:
    url = reverse("edc:dashboard", kwargs={"registry_id": study.registry_id})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def panel(client, study, code: str, **query) -> Panel:
    response = client.get(dashboard_url(study, **query))
    assert response.status_code == 200
    return next(p for p in response.context["panels"] if p.code == code)


def rows(table: DataTable) -> dict:
    """A table's rows by their first cell (the row heading)."""
    return {row[0]: tuple(row[1:]) for row in table.rows}
