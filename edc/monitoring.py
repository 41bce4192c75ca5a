"""Risk-based monitoring: the key risk indicators per site, gathered from the apps that own the
data, and the critical data verified at 100 %.

The core knows no clinical model: each app registers the indicators built from its own data in
its ready(), with `register_risk_indicator(code, label, builder, kind=..., order=...)`, as the
dashboard panels are (edc/dashboards.py). A builder gets a `MonitoringScope` (the study's
subjects, all sites: a site is compared with the whole study) and returns a `Measure` per study
site; edc/domain/risk_indicators.py turns them into values and flags. A builder answers in a
constant number of queries whatever the number of subjects (tests/edc/test_monitoring.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, QuerySet
from django.utils.functional import Promise

from edc.casebook import crf_display_name
from edc.data_queries import UNRESOLVED, Query
from edc.domain.protocol import ProtocolDefinition
from edc.domain.risk_indicators import Kind, Measure
from edc.domain.sdv import Progress
from edc.models import Study, Subject
from edc.roles import Perm
from edc.sdv import SdvItem, sdv_items
from edc.selectors import StudyAccess


@dataclass
class MonitoringScope:
    study: Study
    definition: ProtocolDefinition
    subjects: QuerySet[Subject]  # every subject of the study
    today: dt.date
    lang: str

    @cached_property
    def subjects_per_site(self) -> Counter[uuid.UUID]:
        rows = self.subjects.values("study_site_id").annotate(n=Count("pk"))
        return Counter({row["study_site_id"]: row["n"] for row in rows})

    @cached_property
    def sdv_items(self) -> list[SdvItem]:
        return sdv_items(
            self.definition, self.subjects.select_related("study", "study_site"), self.lang
        )


SiteMeasures = dict[uuid.UUID, Measure]  # study site id -> its measure
IndicatorBuilder = Callable[[MonitoringScope], SiteMeasures]


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str | Promise  # what is measured, e.g. "Queries per subject"
    builder: IndicatorBuilder
    kind: Kind
    order: int
    events: str | Promise  # what an event is, in the flag's reason ("queries")
    percent: bool = False  # a share shown as a percentage


_INDICATORS: dict[str, Indicator] = {}
# Who reads the page: monitors and data managers (they raise queries), principal investigators
# (they sign) for their own site.
MONITORING_PERMS = (Perm.RAISE_QUERY, Perm.SIGN_CASEBOOK)


def may_monitor(access: StudyAccess) -> bool:
    return any(access.can_anywhere(perm) for perm in MONITORING_PERMS)


def register_risk_indicator(
    code: str,
    label: str | Promise,
    builder: IndicatorBuilder,
    *,
    kind: Kind,
    order: int,
    events: str | Promise,
    percent: bool = False,
) -> None:
    indicator = Indicator(code, label, builder, kind, order, events, percent)
    existing = _INDICATORS.get(code)
    if existing is not None and existing != indicator:
        raise ValueError(f"risk indicator {code!r} is already registered")
    _INDICATORS[code] = indicator


def risk_indicators() -> list[Indicator]:
    return sorted(_INDICATORS.values(), key=lambda i: (i.order, i.code))


def per_site_rate(events: Counter, bases: Counter) -> SiteMeasures:
    """A rate's measure per site from counted events and bases (sites with a base only)."""
    return {site: Measure(events.get(site, 0), base) for site, base in bases.items() if base}


# --- The core's own indicators: queries and source-data verification --------------------------


def _query_counts(scope: MonitoringScope) -> Counter:
    rows = (
        Query.objects.filter(subject__in=scope.subjects)
        .values("subject__study_site_id")
        .annotate(n=Count("pk"))
    )
    return Counter({row["subject__study_site_id"]: row["n"] for row in rows})


def queries_per_subject(scope: MonitoringScope) -> SiteMeasures:
    return per_site_rate(_query_counts(scope), scope.subjects_per_site)


def queries_per_form(scope: MonitoringScope) -> SiteMeasures:
    forms = Counter(item.subject.study_site_id for item in scope.sdv_items)
    return per_site_rate(_query_counts(scope), forms)


def open_query_age(scope: MonitoringScope) -> SiteMeasures:
    """Days each unresolved query has been open (to today), per site."""
    ages: dict[uuid.UUID, list[float]] = {}
    rows = Query.objects.filter(subject__in=scope.subjects, status__in=UNRESOLVED).values_list(
        "subject__study_site_id", "created_at"
    )
    for site, created in rows:
        ages.setdefault(site, []).append((scope.today - created.date()).days)
    return {site: Measure.of_values(values) for site, values in ages.items()}


def sdv_backlog(scope: MonitoringScope) -> SiteMeasures:
    """Forms the plan requires to verify that are not verified yet, over those required."""
    waiting, required = Counter(), Counter()
    for item in scope.sdv_items:
        if item.required:
            required[item.subject.study_site_id] += 1
            waiting[item.subject.study_site_id] += not item.verified
    return per_site_rate(waiting, required)


@dataclass(frozen=True)
class CriticalRow:
    crf_code: str
    crf_name: str
    progress: dict[uuid.UUID, Progress]  # study site id -> required / verified
    total: Progress


def critical_data_progress(scope: MonitoringScope) -> list[CriticalRow]:
    """SDV progress per site of each form the protocol verifies at 100 % (`sdv.full`)."""
    rows: dict[str, CriticalRow] = {}
    names = {item.crf_code: item.crf_name for item in scope.sdv_items}
    for code in scope.definition.sdv.full:
        name = names.get(code) or crf_display_name(scope.definition, code, scope.lang)
        rows[code] = CriticalRow(code, name, {}, Progress(0, 0))
    for item in scope.sdv_items:
        row = rows.get(item.crf_code)
        if row is None:
            continue
        step = Progress(1, int(item.verified))
        site = item.subject.study_site_id
        row.progress[site] = row.progress.get(site, Progress(0, 0)) + step
        rows[item.crf_code] = CriticalRow(
            row.crf_code, row.crf_name, row.progress, row.total + step
        )
    return list(rows.values())
