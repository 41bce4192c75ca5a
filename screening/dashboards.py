"""The dashboard's screening panels: enrolment over time against the target, and screen
failures by criterion (registered in apps.py with edc.dashboards).

The enrolment date is that of the eligibility decision that enrolled the subject (the only way
a subject is enrolled), on the calendar of the subject's site.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils.translation import gettext as _

from edc.casebook import localised
from edc.dashboards import (
    Chart,
    DashboardScope,
    DataTable,
    Panel,
    bar_config,
    dataset,
    iso_dates,
    line_config,
    palette_colour,
    shown_sites,
)
from edc.domain.statistics import count_by, cumulative_series
from edc.models import Stratum
from edc.selectors import protocol_definition
from screening.domain.eligibility import criterion_label
from screening.models import EligibilityDecision


def _enrolment_dates(scope: DashboardScope) -> list[tuple[dt.date, object, object]]:
    """(site date of enrolment, study site id, stratum id) of every enrolled subject shown."""
    rows = EligibilityDecision.objects.filter(
        subject__in=scope.subjects, outcome=EligibilityDecision.Outcome.ENROLLED
    ).values_list(
        "decided_at",
        "subject__study_site_id",
        "subject__stratum_id",
        "subject__study_site__site__timezone",
    )
    return [
        (decided_at.astimezone(zoneinfo.ZoneInfo(tz)).date(), site_id, stratum_id)
        for decided_at, site_id, stratum_id, tz in rows
    ]


def _groups_chart(
    chart_id: str,
    title: str,
    scope: DashboardScope,
    dates_by_group: dict[str, list[dt.date]],
) -> Chart:
    total = _("All shown")
    axis, series = cumulative_series(
        {**dates_by_group, total: [d for dates in dates_by_group.values() for d in dates]}
    )
    datasets = [
        dataset(group, series[group], palette_colour(i)) for i, group in enumerate(dates_by_group)
    ]
    datasets.append(dataset(total, series[total], "#000000", borderWidth=3))
    target_label = _("Target %(n)s") % {"n": scope.target} if scope.target else ""
    config = line_config(
        iso_dates(axis),
        datasets,
        x_title=_("Date of enrolment"),
        y_title=_("Subjects enrolled (cumulative)"),
        target=scope.target,
        target_label=target_label,
    )
    return Chart(chart_id, title, config)


def enrolment_panel(scope: DashboardScope) -> Panel:
    enrolled = _enrolment_dates(scope)
    sites = list(shown_sites(scope))
    strata = list(Stratum.objects.filter(study=scope.study))
    by_site: dict[object, list[dt.date]] = {ss.pk: [] for ss in sites}
    by_stratum: dict[object, list[dt.date]] = {s.pk: [] for s in strata}
    for day, site_id, stratum_id in enrolled:
        by_site[site_id].append(day)
        by_stratum[stratum_id].append(day)
    rows = [
        (_("Site: %(name)s") % {"name": ss}, len(by_site[ss.pk]), ss.target_enrolment)
        for ss in sites
    ] + [
        (_("Stratum: %(name)s") % {"name": s}, len(by_stratum[s.pk]), s.target_enrolment)
        for s in strata
    ]
    rows.append((_("All shown"), len(enrolled), scope.target))
    return Panel(
        code="enrolment",
        title=_("Enrolment over time"),
        note=_(
            "A subject counts from the day of the eligibility decision that enrolled them (the "
            "site's date); the dashed line is the target."
        ),
        charts=(
            _groups_chart(
                "chart-enrolment-site",
                _("Enrolment by site"),
                scope,
                {str(ss): by_site[ss.pk] for ss in sites},
            ),
            _groups_chart(
                "chart-enrolment-stratum",
                _("Enrolment by stratum"),
                scope,
                {str(s): by_stratum[s.pk] for s in strata},
            ),
        ),
        tables=(
            DataTable(
                _("Subjects enrolled to date against the target"),
                (_("Group"), _("Enrolled"), _("Target")),
                tuple(rows),
            ),
        ),
    )


def screen_failure_panel(scope: DashboardScope) -> Panel:
    """Screen-failed subjects per criterion not met; a subject failing two criteria counts under
    each, and one ended by the investigator's reason alone under "no criterion"."""
    definition = protocol_definition(scope.study)
    criteria = {c.id: c for c in definition.eligibility}
    failed_lists = EligibilityDecision.objects.filter(
        subject__in=scope.subjects, outcome=EligibilityDecision.Outcome.SCREEN_FAILED
    ).values_list("failed_criteria", flat=True)
    keys: list[str] = []
    for failed in failed_lists:
        keys.extend(dict.fromkeys(failed) or [""])  # once per subject and criterion
    known = [c.id for c in definition.eligibility if c.id in keys]
    retired = sorted(set(keys) - set(known) - {""})  # criteria of an earlier protocol version
    order = known + retired + ([""] if "" in keys else [])
    counts = count_by(keys, order)
    labels = [_label(criteria[cid]) if cid in criteria else cid for cid in order]
    labels = [label or _("No criterion (investigator's reason)") for label in labels]
    texts = [
        localised(criteria[cid].text, criteria[cid].text_zh, scope.lang) if cid in criteria else ""
        for cid in order
    ]
    config = bar_config(
        labels,
        [dataset(_("Screen-failed subjects"), counts, palette_colour(5))],
        x_title=_("Criterion not met"),
        y_title=_("Subjects"),
        horizontal=True,
    )
    return Panel(
        code="screen_failures",
        title=_("Screen failures by criterion"),
        note=_("A subject who failed several criteria counts once under each of them."),
        charts=(Chart("chart-screen-failures", _("Screen failures by criterion"), config),),
        tables=(
            DataTable(
                _("Screen-failed subjects per criterion not met"),
                (_("Criterion"), _("Text"), _("Subjects")),
                tuple(zip(labels, texts, counts, strict=True)),
                text_columns=2,
            ),
        ),
    )


def _label(criterion) -> str:
    return criterion_label(kind=criterion.kind, group=criterion.group, number=criterion.number)
