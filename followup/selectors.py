"""Reads of the follow-up schedule, with each visit's status at the subject's site today: one
subject's schedule, and the site calendar (the open visits of a site's subjects by week and by
month)."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from edc.casebook import localised
from edc.crfs import ExtraVisit
from edc.domain.crf_status import CrfStatus
from edc.models import Study, StudySite, Subject
from edc.roles import Perm
from edc.selectors import (
    StudyAccess,
    protocol_definition,
    subject_list_for_user,
    subject_local_date,
)
from followup.domain.calendar import (
    DateRange,
    Month,
    grid_range,
    month_grid,
    open_windows_by_day,
    week_start,
)
from followup.domain.immunology import IggCourse, igg_course
from followup.domain.kinetics import BCellCourse, Nca, b_cell_course, nca
from followup.domain.schedule import VisitState, VisitStatus, visit_status
from followup.models import (
    BCellCount,
    CarTKinetics,
    Immunoglobulins,
    UnscheduledVisit,
    VisitInstance,
)
from screening.domain.medications import MedicationFlag
from screening.models import ConcomitantMedication

STATUS_LABELS: dict[VisitStatus, Promise] = {
    VisitStatus.UPCOMING: _("Upcoming"),
    VisitStatus.DUE: _("Due (in window)"),
    VisitStatus.OVERDUE: _("Overdue"),
    VisitStatus.DONE: _("Done"),
    VisitStatus.MISSED: _("Missed"),
    VisitStatus.NOT_APPLICABLE: _("Not applicable"),
}

# The statuses of an open visit, in the order of the calendar's legend and status filter.
CALENDAR_STATUSES = (VisitStatus.UPCOMING, VisitStatus.DUE, VisitStatus.OVERDUE)


@dataclass(frozen=True)
class ScheduledVisit:
    visit: VisitInstance
    name: str
    status: VisitStatus

    @property
    def status_label(self) -> Promise:
        return STATUS_LABELS[self.status]


def visit_names(study: Study, *, lang: str) -> dict[str, str]:
    """Each visit code of the study's protocol with its name in the page's language."""
    return {v.code: localised(v.name, v.name_zh, lang) for v in protocol_definition(study).visits}


def follow_up_visit_names(study: Study, *, lang: str) -> dict[str, str]:
    """The visits a subject's schedule holds (every Day-0-anchored one, as followup.services
    creates them), in protocol order: the calendar's visit filter."""
    return {
        v.code: localised(v.name, v.name_zh, lang)
        for v in protocol_definition(study).visits
        if v.anchor == "day0"
    }


def _scheduled(
    rows: Iterable[VisitInstance], names: dict[str, str], today: dt.date
) -> list[ScheduledVisit]:
    return [
        ScheduledVisit(
            visit=row,
            name=names.get(row.visit_code, row.visit_code),
            status=visit_status(state=VisitState(row.state), window=row.window, today=today),
        )
        for row in rows
    ]


def subject_schedule(subject: Subject, *, lang: str) -> list[ScheduledVisit]:
    """The subject's follow-up visits in date order, named in the page's language."""
    return _scheduled(
        VisitInstance.objects.filter(subject=subject).order_by("target_date"),
        visit_names(subject.study, lang=lang),
        subject_local_date(subject, timezone.now()),
    )


# --- The site calendar ---------------------------------------------------------------------


def site_local_date(study_site: StudySite, instant: dt.datetime) -> dt.date:
    """The calendar date of an instant at the site: a site's calendar runs on its own today."""
    return instant.astimezone(zoneinfo.ZoneInfo(study_site.site.timezone)).date()


def calendar_visits(
    access: StudyAccess,
    study_site: StudySite,
    *,
    stratum_id: uuid.UUID | None = None,
    visit_code: str = "",
) -> QuerySet[VisitInstance]:
    """The open visits of the site's subjects that the user may see, of one stratum or visit if
    asked; scoped through the subject list, so a site the user has no grant at gives nothing."""
    subjects = subject_list_for_user(access).filter(study_site=study_site)
    if stratum_id is not None:
        subjects = subjects.filter(stratum_id=stratum_id)
    visits = VisitInstance.objects.filter(subject__in=subjects, state=VisitInstance.State.OPEN)
    if visit_code:
        visits = visits.filter(visit_code=visit_code)
    return visits.select_related("subject__stratum")


def with_status(
    visits: QuerySet[VisitInstance], status: VisitStatus, today: dt.date
) -> QuerySet[VisitInstance]:
    """The open visits that have the status today: the database form of
    followup.domain.schedule.visit_status (tested to agree with it)."""
    by_status = {
        VisitStatus.UPCOMING: Q(window_start__gt=today),
        VisitStatus.DUE: Q(window_start__lte=today, window_end__gte=today),
        VisitStatus.OVERDUE: Q(window_end__lt=today),
    }
    return visits.filter(by_status[status])


def overdue_count(visits: QuerySet[VisitInstance], today: dt.date) -> int:
    return with_status(visits, VisitStatus.OVERDUE, today).count()


def calendar_list(
    visits: QuerySet[VisitInstance], shown: DateRange, today: dt.date
) -> QuerySet[VisitInstance]:
    """The visits the list shows for the shown weeks, by target date: those targeted in them,
    and, when the weeks include today, every visit already due or overdue whatever its target
    (nothing late drops off the calendar)."""
    in_weeks = Q(target_date__range=(shown.first, shown.last))
    if today in shown:
        in_weeks |= Q(window_start__lte=today)
    return visits.filter(in_weeks).order_by("target_date", "subject__subject_identifier", "pk")


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    visits: list[ScheduledVisit]


@dataclass(frozen=True)
class CalendarWeek:
    monday: dt.date
    days: list[CalendarDay]


def calendar_weeks(
    rows: Iterable[VisitInstance], names: dict[str, str], today: dt.date
) -> list[CalendarWeek]:
    """One page of the list (rows in target-date order) grouped by week and day of target."""
    by_day = [
        CalendarDay(day, list(visits))
        for day, visits in itertools.groupby(
            _scheduled(rows, names, today), key=lambda s: s.visit.target_date
        )
    ]
    return [
        CalendarWeek(monday, list(days))
        for monday, days in itertools.groupby(by_day, key=lambda d: week_start(d.day))
    ]


@dataclass(frozen=True)
class MonthCell:
    day: dt.date
    in_month: bool
    is_today: bool
    visits: list[ScheduledVisit]  # targeted on this day
    open_windows: int  # visits of the grid whose window contains this day


def month_calendar(
    visits: QuerySet[VisitInstance], month: Month, names: dict[str, str], today: dt.date
) -> list[list[MonthCell]]:
    """The month's grid, each day with the visits targeted on it and the number of windows
    open on it (one query whatever the number of visits)."""
    grid = month_grid(month)
    shown = grid_range(grid)
    rows = list(
        visits.filter(window_start__lte=shown.last, window_end__gte=shown.first).order_by(
            "target_date", "subject__subject_identifier", "pk"
        )
    )
    windows = open_windows_by_day(((r.window_start, r.window_end) for r in rows), shown)
    targeted: dict[dt.date, list[ScheduledVisit]] = defaultdict(list)
    for scheduled in _scheduled(rows, names, today):
        targeted[scheduled.visit.target_date].append(scheduled)
    return [
        [
            MonthCell(
                day=day,
                in_month=Month.of(day) == month,
                is_today=day == today,
                visits=targeted.get(day, []),
                open_windows=windows[day],
            )
            for day in week
        ]
        for week in grid
    ]


def subject_unscheduled_visits(subject: Subject) -> QuerySet[UnscheduledVisit]:
    return UnscheduledVisit.objects.filter(subject=subject).order_by("visit_date", "number")


def unscheduled_casebook_visits(subject: Subject, *, lang: str) -> list[ExtraVisit]:
    """The subject's unscheduled visits as casebook rows (the core's visit registry)."""
    return [
        ExtraVisit(
            code=row.visit_code,
            name=gettext("Unscheduled visit %(number)s") % {"number": row.number},
            day_label=row.visit_code,
            date=row.visit_date,
            crfs=tuple(row.crf_codes),
        )
        for row in subject_unscheduled_visits(subject)
    ]


def closed_casebook_visits(subject: Subject, *, lang: str) -> dict[str, str]:
    """The subject's visits declared missed or not applicable, with that state in words: the
    casebook expects none of their forms (the core's visit-closure registry)."""
    labels = dict(VisitInstance.State.choices)
    closed = (VisitState.MISSED, VisitState.NOT_APPLICABLE)
    with translation.override(lang):
        return {
            code: str(labels[state])
            for code, state in VisitInstance.objects.filter(
                subject=subject, state__in=closed
            ).values_list("visit_code", "state")
        }


def deviation_list(access: StudyAccess, *, study_site_id: str = "") -> QuerySet[VisitInstance]:
    """Visits done outside their window at the sites the user sees, latest first."""
    subjects = subject_list_for_user(access, Perm.VIEW_SUBJECTS)
    if study_site_id:
        subjects = subjects.filter(study_site_id=study_site_id)
    return (
        VisitInstance.objects.filter(subject__in=subjects, deviation_days__isnull=False)
        .select_related("subject__study_site__site")
        .order_by("-done_on", "subject__screening_number")
    )


# --- Cellular kinetics and immune reconstitution -----------------------------------------------

# The CRFs record a result below the LLOQ by its flag, not by comparing with a number; a recorded
# value is quantifiable, so the LLOQ given to the NCA is the forms' recording resolution (0.1).
RECORDED_LLOQ = 0.1

T = TypeVar("T")


@dataclass(frozen=True)
class SubjectKinetics:
    """A subject's kinetics (clinical-rules.md §13.7) from the CRF rows, by study day (Day 0 =
    infusion, days counted at the site). None where the subject has no Day 0 or no samples."""

    day0: dt.date | None
    transgene: Nca | None
    car_cells: Nca | None
    b_cells: BCellCourse | None
    igg: IggCourse | None
    # The samples the results come from, one per study day, None = below the LLOQ: the plots.
    transgene_samples: tuple[tuple[int, float | None], ...] = ()
    car_cell_samples: tuple[tuple[int, float | None], ...] = ()
    b_cell_samples: tuple[tuple[int, float | None], ...] = ()
    igg_samples: tuple[tuple[int, Decimal], ...] = ()


def _study_day(subject: Subject, day0: dt.date, instant: dt.datetime) -> int:
    return (subject_local_date(subject, instant) - day0).days


def _measured(number: Decimal | None, below_lloq: bool) -> float | None:
    """A CRF result as the kinetics functions take it: None when below the LLOQ."""
    return None if below_lloq or number is None else float(number)


def _last_per_day(samples: Iterable[tuple[int, T]]) -> list[tuple[int, T]]:
    """One value per study day: when a day holds several samples (end of infusion, hours after,
    an unscheduled visit), the day's last one, in time order, stands for it."""
    return sorted(dict(samples).items())


def subject_kinetics(subject: Subject) -> SubjectKinetics:
    """Expansion and persistence (transgene copies/µg DNA, CAR+ cells/µL), B-cell aplasia and
    reconstitution, and IgG below 4 g/L, from the subject's non-draft CRF rows after Day 0."""
    day0 = subject.day0_date
    if day0 is None:
        return SubjectKinetics(None, None, None, None, None)
    final = ~Q(status=CrfStatus.DRAFT)
    # Pre-infusion samples are left out: §13.7 supplies the 0 on day 0.
    kinetics = (
        CarTKinetics.objects.filter(final, subject=subject)
        .exclude(time_point=CarTKinetics.TimePoint.PRE_INFUSION)
        .order_by("sampled_at", "pk")
    )
    transgene: list[tuple[int, float | None]] = []
    car_cells: list[tuple[int, float | None]] = []
    for row in kinetics:
        day = _study_day(subject, day0, row.sampled_at)
        if day < 0:  # dated before the infusion: not exposure
            continue
        transgene.append(
            (day, _measured(row.transgene_copies_per_ug_dna, row.transgene_below_lloq))
        )
        car_cells.append((day, _measured(row.car_cells_per_ul, row.car_cells_below_lloq)))
    b_cells = [
        (
            _study_day(subject, day0, row.sampled_at),
            _measured(row.cd19_cells_per_ul, row.cd19_below_lloq),
        )
        for row in BCellCount.objects.filter(final, subject=subject).order_by("sampled_at", "pk")
    ]
    igg = [
        ((row.sampled_on - day0).days, row.igg_g_per_l)
        for row in Immunoglobulins.objects.filter(
            final, subject=subject, sampled_on__gt=day0
        ).order_by("sampled_on", "pk")
    ]
    transgene, car_cells = _last_per_day(transgene), _last_per_day(car_cells)
    b_cells, igg = _last_per_day(b_cells), _last_per_day(igg)
    return SubjectKinetics(
        day0=day0,
        transgene=nca(samples=transgene, lloq=RECORDED_LLOQ) if transgene else None,
        car_cells=nca(samples=car_cells, lloq=RECORDED_LLOQ) if car_cells else None,
        b_cells=b_cell_course(samples=b_cells) if b_cells else None,
        igg=igg_course(samples=igg) if igg else None,
        transgene_samples=tuple(transgene),
        car_cell_samples=tuple(car_cells),
        b_cell_samples=tuple(b_cells),
        igg_samples=tuple(igg),
    )


def ivig_medications(subject: Subject) -> QuerySet[ConcomitantMedication]:
    """The subject's immunoglobulin replacement: the concomitant medications the medication
    flags (screening.domain.medications) classify as IVIG, by start date."""
    return (
        ConcomitantMedication.objects.filter(subject=subject, review_flag=MedicationFlag.IVIG)
        .exclude(status=CrfStatus.DRAFT)
        .order_by("start_date", "pk")
    )


def treated_subjects(access: StudyAccess) -> QuerySet[Subject]:
    """The infused subjects the user may see, by Day 0 then id: the swimmer plot's lanes."""
    return treated_among(subject_list_for_user(access))


def transgene_samples_among(
    subjects: Sequence[Subject],
) -> dict[Any, list[tuple[int, float | None]]]:
    """Subject id -> (study day, transgene copies/µg DNA or None below the LLOQ) after Day 0, as
    subject_kinetics reads them, for many subjects in one query (the study's kinetics panel)."""
    by_pk = {s.pk: s for s in subjects if s.day0_date is not None}
    rows = (
        CarTKinetics.objects.filter(subject_id__in=by_pk)
        .exclude(status=CrfStatus.DRAFT)
        .exclude(time_point=CarTKinetics.TimePoint.PRE_INFUSION)
        .order_by("subject_id", "sampled_at", "pk")
    )
    samples: dict[Any, list[tuple[int, float | None]]] = {}
    for row in rows:
        subject = by_pk[row.subject_id]
        day = _study_day(subject, subject.day0_date, row.sampled_at)
        if day >= 0:
            samples.setdefault(row.subject_id, []).append(
                (day, _measured(row.transgene_copies_per_ug_dna, row.transgene_below_lloq))
            )
    return {pk: _last_per_day(points) for pk, points in samples.items()}


def treated_among(subjects: QuerySet[Subject]) -> QuerySet[Subject]:
    """The infused ones of `subjects`, in the swimmer plot's lane order (Day 0, then id)."""
    return subjects.filter(day0_date__isnull=False).order_by(
        "day0_date", "subject_identifier", "pk"
    )
