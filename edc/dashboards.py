"""The study dashboard's panels, gathered from whatever apps register one.

The core draws the page (edc/views.py `study_dashboard`) and knows no clinical model: each app
registers the panels built from its own data in its ready(), with
`register_dashboard_panel(code, builder, order=..., perm=...)`, as the casebook and task
registries do. The swimmer plot and the kinetics curves are later panels of the same kind.

A builder gets a `DashboardScope` (the subjects the user may see, already narrowed to the site
filter) and returns a `Panel`: Chart.js configurations built in Python (labels translated,
drawn by static/edc/charts.js under the strict CSP) and, beneath them, the same numbers as
plain tables for screen readers and for checking. A builder answers in a constant number of
queries whatever the number of subjects (tests/edc/test_dashboard.py asserts it for the page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from edc.models import Study, StudySite, Subject
from edc.roles import Perm
from edc.selectors import StudyAccess

# Colour-blind-safe (Okabe-Ito), in the order series take them.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
# Grades 0-5 from none (grey) to death (black), the same on every grade chart.
GRADE_COLOURS = ("#BBBBBB", "#56B4E9", "#F0E442", "#E69F00", "#D55E00", "#000000")


@dataclass(frozen=True)
class DashboardScope:
    """What a panel is built for: the study, the subjects shown and the page's language."""

    study: Study
    access: StudyAccess
    subjects: QuerySet[Subject]  # those the user may see, narrowed to the chosen site
    study_site: StudySite | None  # the site filter, None for every site the user sees
    lang: str
    target: int | None  # the enrolment target of what is shown (the site's, or the study's)


@dataclass(frozen=True)
class DataTable:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    text_columns: int = 1  # the leading columns that are words (left-aligned); then numbers


@dataclass(frozen=True)
class Chart:
    id: str  # the canvas's data-chart and the json_script element id
    title: str  # the canvas's accessible name
    config: dict[str, Any]  # a complete Chart.js configuration
    wide: bool = False  # the card's whole width (a chart with many rows), else half of it


@dataclass(frozen=True)
class Panel:
    code: str
    title: str
    charts: tuple[Chart, ...] = ()
    tables: tuple[DataTable, ...] = ()
    note: str = ""  # how the numbers are counted, in one sentence
    link: str = ""  # the page that shows the panel's figure in full ("" for none)
    link_label: str = ""


PanelBuilder = Callable[[DashboardScope], Panel]


@dataclass(frozen=True)
class _Registration:
    code: str
    builder: PanelBuilder
    order: int
    perm: Perm = field(default=Perm.VIEW_SUBJECTS)


_PANELS: dict[str, _Registration] = {}


def register_dashboard_panel(
    code: str, builder: PanelBuilder, *, order: int, perm: Perm = Perm.VIEW_SUBJECTS
) -> None:
    """Add a panel to the dashboard, shown (at `order`) to users holding `perm` at some site."""
    registration = _Registration(code, builder, order, perm)
    existing = _PANELS.get(code)
    if existing is not None and existing != registration:
        raise ValueError(f"dashboard panel {code!r} is already registered")
    _PANELS[code] = registration


def dashboard_panels(scope: DashboardScope) -> list[Panel]:
    """The panels the user may see, in their order, each built for the scope."""
    registrations = sorted(_PANELS.values(), key=lambda r: (r.order, r.code))
    return [r.builder(scope) for r in registrations if scope.access.can_anywhere(r.perm)]


def shown_sites(scope: DashboardScope) -> QuerySet[StudySite]:
    """The study sites a panel shows: the chosen one, else every site whose subjects the user
    sees (a site closed to new subjects included: its subjects still count)."""
    sites = StudySite.objects.filter(study=scope.study).select_related("site")
    if scope.study_site is not None:
        return sites.filter(pk=scope.study_site.pk)
    ids = scope.access.study_site_ids(Perm.VIEW_SUBJECTS)
    return sites if ids is None else sites.filter(pk__in=ids)


# --- Chart.js configurations -----------------------------------------------------------------


def dataset(label: str, data: Sequence[float | int | None], colour: str, **extra: Any) -> dict:
    return {
        "label": label,
        "data": list(data),
        "backgroundColor": colour,
        "borderColor": colour,
        **extra,
    }


def palette_colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def bar_config(
    labels: Sequence[str],
    datasets: list[dict],
    *,
    x_title: str,
    y_title: str,
    stacked: bool = False,
    horizontal: bool = False,
) -> dict[str, Any]:
    """A bar chart of counts: integer ticks, optionally stacked, optionally horizontal."""
    count_axis = {"beginAtZero": True, "stacked": stacked, "ticks": {"precision": 0}}
    category_axis = {"stacked": stacked}
    x, y = (count_axis, category_axis) if horizontal else (category_axis, count_axis)
    x = x | {"title": {"display": True, "text": y_title if horizontal else x_title}}
    y = y | {"title": {"display": True, "text": x_title if horizontal else y_title}}
    options: dict[str, Any] = {"scales": {"x": x, "y": y}}
    if horizontal:
        options["indexAxis"] = "y"
    return {
        "type": "bar",
        "data": {"labels": list(labels), "datasets": datasets},
        "options": options,
    }


def line_config(
    labels: Sequence[str],
    datasets: list[dict],
    *,
    x_title: str,
    y_title: str,
    target: int | None = None,
    target_label: str = "",
) -> dict[str, Any]:
    """Step lines of running totals over a date axis, with the target as a dashed line."""
    options: dict[str, Any] = {
        "scales": {
            "x": {"title": {"display": True, "text": x_title}},
            "y": {
                "beginAtZero": True,
                "ticks": {"precision": 0},
                "title": {"display": True, "text": y_title},
            },
        },
    }
    if target:
        options["scales"]["y"]["suggestedMax"] = target
        options["plugins"] = {
            "annotation": {
                "annotations": {
                    "target": {
                        "type": "line",
                        "yMin": target,
                        "yMax": target,
                        "borderColor": "#D55E00",
                        "borderDash": [6, 4],
                        "borderWidth": 2,
                        "label": {"display": True, "content": target_label, "position": "start"},
                    }
                }
            }
        }
    lines = [d | {"stepped": True, "fill": False, "pointRadius": 2} for d in datasets]
    return {"type": "line", "data": {"labels": list(labels), "datasets": lines}, "options": options}


def iso_dates(days: Sequence[dt.date]) -> list[str]:
    return [day.isoformat() for day in days]
