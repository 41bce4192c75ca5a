"""Pregnancy reports and contraception windows: the report's derived conception date and
exposure, the open reports as tasks for the site team ("My tasks"), and the end of the protocol's
contraception window on the subject's casebook.

A pregnancy stays a task until its outcome is entered (a correction of the report with the
outcome, its date and whether there was a congenital anomaly): the site must follow it up.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from adverse_events.domain.pregnancy import (
    contraception_end,
    estimated_conception,
    pregnancy_exposure,
)
from adverse_events.followup_records import PregnancyReport
from edc.domain.protocol import ProtocolDefinition
from edc.models import Membership, Subject
from edc.roles import Perm, roles_with
from edc.selectors import protocol_definition, subject_local_date
from edc.tasks_inbox import InboxTask

# Who follows a pregnancy up: whoever may enter data at the subject's site.
ACTING_ROLES = sorted(roles_with(Perm.ENTER_DATA))


def contraception_until(subject: Subject, definition: ProtocolDefinition) -> dt.date | None:
    """The last day of the protocol's contraception window, or None (no Day 0, no window)."""
    window = definition.contraception
    if window is None or subject.day0_date is None:
        return None
    return contraception_end(
        day0=subject.day0_date, months_after_infusion=window.months_after_infusion
    )


def pregnancy_derive(report: PregnancyReport) -> None:
    subject = report.subject
    report.estimated_conception = estimated_conception(
        lmp_date=report.lmp_date, conception_date=report.conception_date
    )
    if report.estimated_conception is None or subject.day0_date is None:
        report.exposure = ""
        return
    report.exposure = pregnancy_exposure(
        conception_date=report.estimated_conception,
        day0=subject.day0_date,
        window_end=contraception_until(subject, protocol_definition(subject.study)),
    ).value


def _window_length(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return ngettext("%(n)d year after infusion", "%(n)d years after infusion", years) % {
            "n": years
        }
    return ngettext("%(n)d month after infusion", "%(n)d months after infusion", months) % {
        "n": months
    }


def contraception_notes(subject: Subject, definition: ProtocolDefinition, lang: str) -> list[str]:
    """The casebook's line on the contraception window (once Day 0 is known)."""
    until = contraception_until(subject, definition)
    if until is None:
        return []
    assert definition.contraception is not None
    with translation.override(lang):
        return [
            _("Contraception required until %(date)s (%(length)s)")
            % {
                "date": until.isoformat(),
                "length": _window_length(definition.contraception.months_after_infusion),
            }
        ]


# The "My tasks" source: open pregnancies at the sites where the user enters data.


def _open_pregnancies(user: Any) -> QuerySet[PregnancyReport]:
    sites = Membership.objects.filter(
        user=user, is_active=True, role__in=ACTING_ROLES, study_site__isnull=False
    ).values("study_site")
    return PregnancyReport.objects.filter(
        outcome=PregnancyReport.Outcome.ONGOING, subject__study_site__in=sites
    )


def pregnancy_task_count(user: Any) -> int:
    return _open_pregnancies(user).count()


def pregnancy_tasks(user: Any, start: int, stop: int, lang: str) -> list[InboxTask]:
    """Open pregnancies, the earliest reported first: each needs its outcome."""
    rows = (
        _open_pregnancies(user)
        .select_related("subject__study", "subject__study_site__site")
        .order_by("site_aware_at", "pk")[start:stop]
    )
    tasks = []
    hours: dict[Any, int | None] = {}
    now = timezone.now()
    with translation.override(lang):
        for row in rows:
            subject = row.subject
            if subject.study_id not in hours:
                reporting = protocol_definition(subject.study).pregnancy_reporting
                hours[subject.study_id] = reporting.report_within_hours if reporting else None
            report_by = (
                row.site_aware_at + dt.timedelta(hours=hours[subject.study_id])
                if hours[subject.study_id] and row.reported_on is None
                else None
            )
            url = reverse(
                "edc:crf-row",
                args=[subject.study.registry_id, subject.pk, row.visit_code, "pregnancy_report",
                      row.pk],
            )  # fmt: skip
            aware = subject_local_date(subject, row.site_aware_at)
            tasks.append(
                InboxTask(
                    source=_("Pregnancy"),
                    study=subject.study.registry_id,
                    subject=str(subject),
                    title=_("%(who)s: enter the pregnancy outcome")
                    % {"who": row.get_who_display()},
                    status=row.get_outcome_display(),
                    due=subject_local_date(subject, report_by) if report_by else None,
                    detail=(
                        _("site aware on %(date)s; report it to the sponsor as an SAE")
                        if report_by
                        else _("site aware on %(date)s")
                    )
                    % {"date": aware.isoformat()},
                    url=url,
                    urgent=report_by is not None and report_by < now,
                    action=_("Open the report"),
                )
            )
    return tasks
