"""The Monitoring page: each site's key risk indicators against the whole study, the sites that
stand out and why, and the SDV progress of the critical data (edc/monitoring.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from edc import selectors
from edc.decorators import study_view
from edc.domain.risk_indicators import (
    Finding,
    Kind,
    StandOutRule,
    compare,
    study_measure,
    value,
)
from edc.domain.sdv import Progress
from edc.models import StudySite, Subject
from edc.monitoring import (
    MONITORING_PERMS,
    Indicator,
    MonitoringScope,
    critical_data_progress,
    may_monitor,
    risk_indicators,
)
from edc.pagination import paged
from edc.roles import Perm


def shown(indicator: Indicator, number: float | None) -> str:
    """A value as the page writes it: a share in whole per cent, days to one decimal, a rate to
    two; "—" when there is nothing to count."""
    if number is None:
        return "—"
    if indicator.percent:
        return f"{number_format(round(number * 100))} %"
    places = 1 if indicator.kind is Kind.MEDIAN else 2
    return number_format(round(number, places), places)


@dataclass(frozen=True)
class Cell:
    text: str
    finding: Finding | None


@dataclass(frozen=True)
class IndicatorRow:
    label: str
    study: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Flag:
    site: str
    indicator: str
    reason: str


def reason(indicator: Indicator, finding: Finding, rule: StandOutRule) -> str:
    """Why the site stands out, in words."""
    return _(
        "%(value)s against %(study)s for the whole study (%(events)s %(what)s): above "
        "%(ratio)s times the study's value, with at least %(min)s."
    ) % {
        "value": shown(indicator, finding.site_value),
        "study": shown(indicator, finding.study_value),
        "events": finding.events,
        "what": indicator.events,
        "ratio": number_format(rule.ratio, 1),
        "min": rule.min_events,
    }


def _visible_sites(request: HttpRequest) -> list[StudySite]:
    access = request.access
    sites = selectors.study_site_list_for_user(access, Perm.VIEW_SUBJECTS).select_related("site")
    return [s for s in sites if any(access.can(p, s.pk) for p in MONITORING_PERMS)]


@study_view(Perm.VIEW_SUBJECTS)
def monitoring(request: HttpRequest) -> HttpResponse:
    """Risk-based monitoring for monitors, data managers and principal investigators (their own
    site against the whole study)."""
    if not may_monitor(request.access):
        raise PermissionDenied
    definition = selectors.protocol_definition(request.study)
    plan = definition.monitoring
    rule = StandOutRule(plan.stand_out_ratio, plan.min_events)
    scope = MonitoringScope(
        study=request.study,
        definition=definition,
        subjects=Subject.objects.filter(study=request.study),
        today=timezone.now().date(),
        lang=translation.get_language() or "en",
    )
    sites = _visible_sites(request)
    rows, flags = [], []
    for indicator in risk_indicators():
        measures = indicator.builder(scope)
        study = study_measure(measures.values())
        cells = []
        for site in sites:
            measure = measures.get(site.pk)
            finding = None if measure is None else compare(indicator.kind, measure, study, rule)
            cells.append(Cell(shown(indicator, finding and finding.site_value), finding))
            if finding is not None and finding.stands_out:
                flags.append(
                    Flag(str(site), str(indicator.label), reason(indicator, finding, rule))
                )
        rows.append(
            IndicatorRow(
                str(indicator.label), shown(indicator, value(indicator.kind, study)), tuple(cells)
            )
        )
    critical = [
        (row, [row.progress.get(site.pk, Progress(0, 0)) for site in sites])
        for row in critical_data_progress(scope)
    ]
    return render(
        request,
        "edc/monitoring.html",
        {
            "sites": sites,
            "rows": rows,
            "page": paged(request, flags),
            "critical": critical,
            "plan": plan,
        },
    )
