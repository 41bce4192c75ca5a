"""The dashboard's swimmer-plot panel (registered in apps.py with edc.dashboards): the first
page of the swimmer plot, built by the page's own builders (plot_data.swimmer_figure and
charts.swimmer_config) for the subjects the dashboard shows, with a link to the full page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from edc.dashboards import Chart, DashboardScope, DataTable, Panel
from followup import charts, plot_data
from followup.selectors import treated_among


def swimmer_panel(scope: DashboardScope) -> Panel:
    subjects = treated_among(scope.subjects)[: plot_data.SWIMMER_PER_PAGE]
    figure = plot_data.swimmer_figure(list(subjects), lang=scope.lang)
    chart = Chart("chart-swimmer", figure.title, charts.swimmer_config(figure), wide=True)
    rows = tuple(
        (lane.label, _("Yes") if lane.ongoing else _("No"), lane.end_day) for lane in figure.lanes
    )
    return Panel(
        code="swimmer",
        title=_("Swimmer plot"),
        note=_(
            "The first %(n)d treated subjects by Day 0, as on the swimmer plot's first page; "
            "the full page has every subject."
        )
        % {"n": plot_data.SWIMMER_PER_PAGE},
        charts=(chart,) if figure.lanes else (),
        tables=(
            DataTable(
                _("Follow-up of the treated subjects"),
                (_("Subject"), _("On study"), _("Last study day")),
                rows,
                text_columns=2,
            ),
        ),
        link=reverse("followup:swimmer", args=[scope.study.registry_id]),
        link_label=_("The full swimmer plot"),
    )
