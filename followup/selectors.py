"""Reads of the follow-up schedule, with each visit's status at the subject's site today."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from edc.casebook import localised
from edc.models import Subject
from edc.selectors import protocol_definition, subject_local_date
from followup.domain.schedule import VisitState, VisitStatus, visit_status
from followup.models import VisitInstance

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
    names = {
        v.code: localised(v.name, v.name_zh, lang)
        for v in protocol_definition(subject.study).visits
    }
    today = subject_local_date(subject, timezone.now())
    return [
        ScheduledVisit(
            visit=row,
            name=names.get(row.visit_code, row.visit_code),
            status=visit_status(state=VisitState(row.state), window=row.window, today=today),
        )
        for row in VisitInstance.objects.filter(subject=subject).order_by("target_date")
    ]
