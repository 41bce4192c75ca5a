"""Reads of the follow-up schedule, with each visit's status at the subject's site today."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from edc.casebook import localised
from edc.crfs import ExtraVisit
from edc.models import Study, Subject
from edc.roles import Perm
from edc.selectors import (
    StudyAccess,
    protocol_definition,
    subject_list_for_user,
    subject_local_date,
)
from followup.domain.schedule import VisitState, VisitStatus, visit_status
from followup.models import UnscheduledVisit, VisitInstance

STATUS_LABELS: dict[VisitStatus, Promise] = {
    VisitStatus.UPCOMING: _("Upcoming"),
    VisitStatus.DUE: _("Due (in window)"),
    VisitStatus.OVERDUE: _("Overdue"),
    VisitStatus.DONE: _("Done"),
    VisitStatus.MISSED: _("Missed"),
    VisitStatus.NOT_APPLICABLE: _("Not applicable"),
}


@dataclass(frozen=True)
class ScheduledVisit:
    visit: VisitInstance
    name: str
    status: VisitStatus

    @property
    def status_label(self) -> Promise:
        return STATUS_LABELS[self.status]


def subject_schedule(subject: Subject, *, lang: str) -> list[ScheduledVisit]:
    """The subject's follow-up visits in date order, named in the page's language."""
    names = visit_names(subject.study, lang=lang)
    today = subject_local_date(subject, timezone.now())
    return [
        ScheduledVisit(
            visit=row,
            name=names.get(row.visit_code, row.visit_code),
            status=visit_status(state=VisitState(row.state), window=row.window, today=today),
        )
        for row in VisitInstance.objects.filter(subject=subject).order_by("target_date")
    ]


def visit_names(study: Study, *, lang: str) -> dict[str, str]:
    """Visit code -> the protocol's name for it, in the page's language."""
    return {v.code: localised(v.name, v.name_zh, lang) for v in protocol_definition(study).visits}


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
