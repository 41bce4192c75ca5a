"""The dashboard's safety panels (registered in apps.py with edc.dashboards): per dose level the
treated subjects, DLTs and the distribution of each subject's maximum CRS and ICANS grade; and
the time from infusion to CRS onset and the duration of CRS.

Dosing cannot read the safety app (it sits below it), so the dose-level panel lives here.
"""

from __future__ import annotations

import zoneinfo

from django.db.models import Max
from django.utils.translation import gettext as _

from adverse_events.domain.episode_timing import Episode, episode_timing
from adverse_events.models import ToxicityEpisode
from dosing.models import DltAssessment, Infusion
from edc.dashboards import (
    GRADE_COLOURS,
    Chart,
    DashboardScope,
    DataTable,
    Panel,
    bar_config,
    dataset,
    palette_colour,
)
from edc.domain.statistics import Summary, count_by, histogram
from edc.selectors import protocol_definition

GRADES = range(6)  # 0 = none, 1-5 = ASTCT grade


def _grade_label(grade: int) -> str:
    return _("No event") if grade == 0 else _("Grade %(g)s") % {"g": grade}


def dose_level_panel(scope: DashboardScope) -> Panel:
    levels = protocol_definition(scope.study).escalation.dose_levels
    level_of = dict(
        Infusion.objects.filter(subject__in=scope.subjects).values_list("subject_id", "dose_level")
    )
    assessed = DltAssessment.objects.filter(subject__in=scope.subjects).values_list(
        "subject_id", "evaluable", "had_dlt"
    )
    max_grade: dict[tuple[str, object], int] = {
        (row["kind"], row["subject_id"]): row["grade"]
        for row in ToxicityEpisode.objects.filter(subject__in=scope.subjects)
        .values("kind", "subject_id")
        .annotate(grade=Max("max_grade"))
    }
    evaluable = {sid for sid, ev, _dlt in assessed if ev and sid in level_of}
    dlt = {sid for sid, ev, had in assessed if ev and had and sid in level_of}
    labels = [f"{d.level} · {d.label}" for d in levels]  # as the escalation page names them
    dlt_rows = []
    charts, grade_tables = [], []
    by_level = {d.level: [sid for sid, lv in level_of.items() if lv == d.level] for d in levels}
    for d, label in zip(levels, labels, strict=True):
        subjects = by_level[d.level]
        dlt_rows.append(
            (
                label,
                len(subjects),
                sum(1 for s in subjects if s in evaluable),
                sum(1 for s in subjects if s in dlt),
            )
        )
    kinds = (
        (ToxicityEpisode.Kind.CRS, _("Maximum CRS grade per dose level")),
        (ToxicityEpisode.Kind.ICANS, _("Maximum ICANS grade per dose level")),
    )
    for kind, title in kinds:
        per_level = {
            d.level: count_by((max_grade.get((kind, s), 0) for s in by_level[d.level]), GRADES)
            for d in levels
        }
        datasets = [
            dataset(_grade_label(g), [per_level[d.level][g] for d in levels], GRADE_COLOURS[g])
            for g in GRADES
        ]
        config = bar_config(
            labels, datasets, x_title=_("Dose level"), y_title=_("Treated subjects"), stacked=True
        )
        charts.append(Chart(f"chart-{kind}-grades", title, config))
        grade_tables.append(
            DataTable(
                title,
                (_("Dose level"), *(_grade_label(g) for g in GRADES)),
                tuple(
                    (label, *per_level[d.level]) for d, label in zip(levels, labels, strict=True)
                ),
            )
        )
    return Panel(
        code="dose_levels",
        title=_("Dose levels: treated subjects, DLTs, CRS and ICANS"),
        note=_(
            "Treated: infused at the level. A subject counts once per chart, under the highest "
            "grade of any of their episodes. DLTs count among the DLT-evaluable subjects."
        ),
        charts=tuple(charts),
        tables=(
            DataTable(
                _("Dose-limiting toxicities by dose level"),
                (_("Dose level"), _("Treated"), _("DLT-evaluable"), _("Subjects with a DLT")),
                tuple(dlt_rows),
            ),
            *grade_tables,
        ),
    )


def _summary_row(label: str, summary: Summary) -> tuple:
    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 1)

    return (
        label,
        summary.n,
        rounded(summary.minimum),
        rounded(summary.q1),
        rounded(summary.median),
        rounded(summary.q3),
        rounded(summary.maximum),
    )


def crs_timing_panel(scope: DashboardScope) -> Panel:
    rows = ToxicityEpisode.objects.filter(
        subject__in=scope.subjects,
        kind=ToxicityEpisode.Kind.CRS,
        subject__day0_date__isnull=False,
    ).values_list(
        "subject_id",
        "subject__day0_date",
        "onset_at",
        "resolved_at",
        "subject__study_site__site__timezone",
    )
    timing = episode_timing(
        Episode(
            subject=str(sid),
            day0=day0,
            onset_on=onset_at.astimezone(zoneinfo.ZoneInfo(tz)).date(),
            onset_at=onset_at,
            resolved_at=resolved_at,
        )
        for sid, day0, onset_at, resolved_at, tz in rows
    )
    charts, bin_tables = [], []
    for chart_id, title, values, axis in (
        ("chart-crs-onset", _("Days from infusion to CRS onset"), timing.onset_days,
         _("Study day of onset")),
        ("chart-crs-duration", _("Duration of CRS (days)"), timing.durations,
         _("Days from onset to resolution")),
    ):  # fmt: skip
        bins = histogram(values, width=1)
        bin_labels = [f"{low}–{high}" if chart_id.endswith("duration") else str(low)
                      for low, high, _n in bins]  # fmt: skip
        counts = [n for _low, _high, n in bins]
        config = bar_config(
            bin_labels,
            [dataset(title, counts, palette_colour(0))],
            x_title=axis,
            y_title=_("Subjects") if chart_id.endswith("onset") else _("Episodes"),
        )
        charts.append(Chart(chart_id, title, config))
        bin_tables.append(
            DataTable(title, (axis, _("Count")), tuple(zip(bin_labels, counts, strict=True)))
        )
    return Panel(
        code="crs_timing",
        title=_("CRS: time to onset and duration"),
        note=_(
            "Onset: each subject's first CRS episode, in study days (Day 0 is the infusion). "
            "Duration: every resolved episode; %(n)s still ongoing are not counted."
        )
        % {"n": timing.ongoing},
        charts=tuple(charts),
        tables=(
            DataTable(
                _("Summary (quartiles by the inclusive method)"),
                (_("Measure"), _("N"), _("Minimum"), _("Q1"), _("Median"), _("Q3"), _("Maximum")),
                (
                    _summary_row(_("Days to CRS onset"), timing.onset),
                    _summary_row(_("CRS duration (days)"), timing.duration),
                ),
            ),
            *bin_tables,
        ),
    )
