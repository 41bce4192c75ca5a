"""The dashboard's visit-compliance panel (registered in apps.py with edc.dashboards): per
visit of the schedule, how many were done in window, done out of window, missed or overdue.
Overdue is judged on each site's own today, as the visit calendar does."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext as _

from edc.dashboards import Chart, DashboardScope, DataTable, Panel, bar_config, dataset
from edc.domain.visits import VisitWindow
from followup.domain.compliance import Compliance, visit_compliance
from followup.domain.schedule import VisitState
from followup.models import VisitInstance
from followup.selectors import follow_up_visit_names

COLOURS = {
    Compliance.IN_WINDOW: "#009E73",
    Compliance.OUT_OF_WINDOW: "#E69F00",
    Compliance.MISSED: "#D55E00",
    Compliance.OVERDUE: "#CC79A7",
}


def _labels() -> dict[Compliance, str]:
    return {
        Compliance.IN_WINDOW: _("Done in window"),
        Compliance.OUT_OF_WINDOW: _("Done out of window"),
        Compliance.MISSED: _("Missed"),
        Compliance.OVERDUE: _("Overdue"),
    }


def visit_compliance_panel(scope: DashboardScope) -> Panel:
    names = follow_up_visit_names(scope.study, lang=scope.lang)
    rows = VisitInstance.objects.filter(subject__in=scope.subjects).values_list(
        "visit_code",
        "state",
        "deviation_days",
        "window_start",
        "target_date",
        "window_end",
        "subject__study_site__site__timezone",
    )
    now = timezone.now()
    today_at: dict[str, dt.date] = {}
    counts = {code: dict.fromkeys(Compliance, 0) for code in names}
    for code, state, deviation, start, target, end, tz in rows:
        if tz not in today_at:
            today_at[tz] = timezone.localtime(now, timezone=zoneinfo.ZoneInfo(tz)).date()
        category = visit_compliance(
            state=VisitState(state),
            deviation_days=deviation,
            window=VisitWindow(target=target, earliest=start, latest=end),
            today=today_at[tz],
        )
        if category is not None and code in counts:
            counts[code][category] += 1
    labels = _labels()
    visits = list(names.values())
    datasets = [
        dataset(labels[c], [counts[code][c] for code in names], COLOURS[c]) for c in Compliance
    ]
    config = bar_config(
        visits, datasets, x_title=_("Visit"), y_title=_("Scheduled visits"), stacked=True
    )
    return Panel(
        code="visit_compliance",
        title=_("Visit compliance"),
        note=_(
            "Per visit of the schedule; visits not yet due, and those the end of participation "
            "made not applicable, count nowhere."
        ),
        charts=(Chart("chart-visit-compliance", _("Visit compliance"), config),),
        tables=(
            DataTable(
                _("Scheduled visits by outcome"),
                (_("Visit"), *(labels[c] for c in Compliance)),
                tuple(
                    (name, *(counts[code][c] for c in Compliance)) for code, name in names.items()
                ),
            ),
        ),
    )
