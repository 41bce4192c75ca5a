"""Visit reminders: the daily run that records who must be told of which visit, the e-mail each
reminder sends through the outbox, and the "My tasks" source of the visits reminded.

The run (`visit_reminders_send`) is what the beat task and `manage.py send_visit_reminders` call.
It reads every open visit whose window has begun or begins tomorrow somewhere on Earth, asks the
domain (followup.domain.reminders) which reminders each calls for on its site's today, and writes
one VisitReminder per visit, kind and staff member of the visit's site who enters data there
(investigators, principal investigators, coordinators), with INSERT ... ON CONFLICT DO NOTHING on
the unique (visit, kind, recipient): a rerun, a retried task or a second worker at the same moment
inserts nothing twice, and only the rows this run inserted get an e-mail, as an outbox message in
the same transaction (delivered after commit, retried with backoff). Its query count does not
depend on the number of visits. Rows are written in one order (visit, kind, recipient) so two
concurrent runs wait on each other instead of deadlocking.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from edc.casebook import localised
from edc.models import Membership, Study
from edc.outbox import Duty, OutboxMessage, outbox_put_many
from edc.roles import Perm, roles_with
from edc.selectors import protocol_definition, subject_local_date
from edc.tasks_inbox import InboxTask
from followup.domain.reminders import ReminderKind, reminders_due, run_horizon
from followup.domain.schedule import VisitState, VisitStatus, visit_status
from followup.models import VisitInstance, VisitReminder
from followup.selectors import STATUS_LABELS

VISIT_REMINDER = "visit_reminder"
# Who acts on a visit: whoever may enter its data at the visit's site.
ACTING_ROLES = sorted(roles_with(Perm.ENTER_DATA))


def visit_reminder_key(reminder: VisitReminder) -> str:
    return f"visit-reminder:{reminder.visit_id}:{reminder.kind}:{reminder.recipient_id}"


@dataclass(frozen=True)
class RunResult:
    reminders: int  # new reminders recorded by this run
    emails: int  # of which queued for e-mail (the others' recipients turned e-mail off)


def _wants_email(user: Any) -> bool:
    preference = getattr(user, "preference", None)  # no row yet: the default, e-mail on
    return bool(user.email) and (preference is None or preference.email_reminders)


def _site_staff(study_site_ids: set[Any]) -> dict[Any, list[Any]]:
    """The active users who enter data at each of these sites (one query), each user once."""
    memberships = (
        Membership.objects.filter(
            is_active=True,
            user__is_active=True,
            role__in=ACTING_ROLES,
            study_site_id__in=study_site_ids,
        )
        .select_related("user__preference")
        .order_by("study_site_id", "user_id")
    )
    staff: dict[Any, dict[Any, Any]] = defaultdict(dict)
    for membership in memberships:
        staff[membership.study_site_id][membership.user_id] = membership.user
    return {site: list(users.values()) for site, users in staff.items()}


def _due_reminders(now: dt.datetime) -> list[tuple[VisitInstance, ReminderKind, dt.date]]:
    """Each open visit's reminders due on its site's today (one query)."""
    visits = (
        VisitInstance.objects.filter(
            state=VisitInstance.State.OPEN,
            window_start__lte=run_horizon(now.astimezone(dt.UTC).date()),
        )
        .select_related("subject__study", "subject__study_site__site")
        .order_by("pk")
    )
    due = []
    for visit in visits:
        today = subject_local_date(visit.subject, now)
        kinds = reminders_due(state=VisitState(visit.state), window=visit.window, today=today)
        due.extend((visit, kind, today) for kind in sorted(kinds))
    return due


def visit_reminders_send(*, now: dt.datetime) -> RunResult:
    """Record every reminder due now that was never recorded, and queue its e-mail."""
    due = _due_reminders(now)
    staff = _site_staff({visit.subject.study_site_id for visit, _kind, _today in due})
    rows = [
        VisitReminder(visit=visit, kind=kind, recipient=user, site_date=today)
        for visit, kind, today in due
        for user in staff.get(visit.subject.study_site_id, [])
    ]
    if not rows:
        return RunResult(reminders=0, emails=0)
    with transaction.atomic():
        VisitReminder.objects.bulk_create(rows, ignore_conflicts=True)
        inserted = set(
            VisitReminder.objects.filter(pk__in=[r.pk for r in rows]).values_list("pk", flat=True)
        )
        new = [r for r in rows if r.pk in inserted]
        emails = outbox_put_many(
            kind=VISIT_REMINDER,
            duties=[
                Duty(
                    key=visit_reminder_key(r),
                    payload={"reminder": str(r.pk)},
                    study=r.visit.subject.study,
                )
                for r in new
                if _wants_email(r.recipient)
            ],
        )
    return RunResult(reminders=len(new), emails=emails)


def _visit_names(studies: list[Study], lang: str) -> dict[tuple[Any, str], str]:
    """Visit names by (study, code) in this language (the protocol of each study, once)."""
    return {
        (study.pk, v.code): localised(v.name, v.name_zh, lang)
        for study in {s.pk: s for s in studies}.values()
        for v in protocol_definition(study).visits
    }


def _schedule_url(visit: VisitInstance) -> str:
    subject = visit.subject
    return reverse("followup:schedule", args=[subject.study.registry_id, subject.pk])


_EMAIL_SUBJECTS = {
    ReminderKind.WINDOW_OPENS: gettext_lazy("[%(study)s] %(subject)s %(visit)s: the window opens"),
    ReminderKind.DUE_TOMORROW: gettext_lazy("[%(study)s] %(subject)s %(visit)s: due tomorrow"),
    ReminderKind.OVERDUE: gettext_lazy("[%(study)s] %(subject)s %(visit)s: overdue"),
}
_EMAIL_LEADS = {
    ReminderKind.WINDOW_OPENS: gettext_lazy(
        "The window of this visit is open: it can take place from %(start)s to %(end)s."
    ),
    ReminderKind.DUE_TOMORROW: gettext_lazy(
        "This visit's target date is tomorrow, %(target)s (window %(start)s to %(end)s)."
    ),
    ReminderKind.OVERDUE: gettext_lazy(
        "The window of this visit closed on %(end)s and the visit is not recorded. Record it "
        "as done (a late visit is a protocol deviation) or declare it missed with the reason."
    ),
}


def visit_reminder_email(reminder: VisitReminder) -> tuple[str, str]:
    """The e-mail's subject line and text in the active language; dates are the site's."""
    visit = reminder.visit
    subject = visit.subject
    lang = translation.get_language() or settings.LANGUAGE_CODE
    names = _visit_names([subject.study], lang)
    facts = {
        "study": subject.study.registry_id,
        "subject": str(subject),
        "visit": names.get((subject.study.pk, visit.visit_code), visit.visit_code),
        "target": visit.target_date.isoformat(),
        "start": visit.window_start.isoformat(),
        "end": visit.window_end.isoformat(),
        "site": str(subject.study_site.site),
        "url": settings.EDC_BASE_URL + _schedule_url(visit),
        "settings_url": settings.EDC_BASE_URL + reverse("edc:notification-settings"),
    }
    kind = ReminderKind(reminder.kind)
    body = "\n".join(
        [
            str(_EMAIL_LEADS[kind]) % facts,
            "",
            _("Subject: %(subject)s") % facts,
            _("Visit: %(visit)s") % facts,
            _("Target date: %(target)s") % facts,
            _("Window: %(start)s to %(end)s (dates at %(site)s)") % facts,
            _("Schedule: %(url)s") % facts,
            "",
            _(
                "You receive this because you enter data at %(site)s. "
                "To stop these e-mails: %(settings_url)s"
            )
            % facts,
        ]
    )
    return str(_EMAIL_SUBJECTS[kind]) % facts, body + "\n"


def visit_reminder_send(message: OutboxMessage) -> None:
    """The outbox handler: e-mail one reminder to its recipient, in the recipient's language.

    Runs with the outbox row locked, so once per successful delivery; a mail failure raises and
    the outbox retries with backoff. Nothing is sent when the reminder no longer stands (the visit
    was recorded since, or the recipient turned e-mail off or has no address): the in-app task
    list is the reminder then.
    """
    reminder = (
        VisitReminder.objects.select_related(
            "visit__subject__study", "visit__subject__study_site__site", "recipient__preference"
        )
        .filter(pk=message.payload["reminder"])
        .first()
    )
    if reminder is None or reminder.visit.state != VisitInstance.State.OPEN:
        return
    user = reminder.recipient
    if not user.is_active or not _wants_email(user):
        return
    preference = getattr(user, "preference", None)
    with translation.override(preference.language if preference else settings.LANGUAGE_CODE):
        subject_line, body = visit_reminder_email(reminder)
    send_mail(subject_line, body, from_email=None, recipient_list=[user.email])


# The "My tasks" source: the open visits this user was reminded of, at sites where they still act.


def _reminded_open_visits(user: Any) -> QuerySet[VisitInstance]:
    sites = Membership.objects.filter(
        user=user, is_active=True, role__in=ACTING_ROLES, study_site__isnull=False
    ).values("study_site")
    reminded = VisitReminder.objects.filter(visit=OuterRef("pk"), recipient=user)
    return VisitInstance.objects.filter(
        Exists(reminded), state=VisitInstance.State.OPEN, subject__study_site__in=sites
    )


def visit_task_count(user: Any) -> int:
    return _reminded_open_visits(user).count()


def visit_tasks(user: Any, start: int, stop: int, lang: str) -> list[InboxTask]:
    """The reminded open visits, earliest target first, with today's status at each site."""
    rows = list(
        _reminded_open_visits(user)
        .select_related("subject__study", "subject__study_site__site")
        .order_by("target_date", "pk")[start:stop]
    )
    names = _visit_names([row.subject.study for row in rows], lang)
    now = timezone.now()
    tasks = []
    for row in rows:
        today = subject_local_date(row.subject, now)
        status = visit_status(state=VisitState(row.state), window=row.window, today=today)
        tasks.append(
            InboxTask(
                source=_("Visit"),
                study=row.subject.study.registry_id,
                subject=str(row.subject),
                title=names.get((row.subject.study.pk, row.visit_code), row.visit_code),
                status=str(STATUS_LABELS[status]),
                due=row.target_date,
                detail=_("window %(start)s to %(end)s")
                % {"start": row.window_start.isoformat(), "end": row.window_end.isoformat()},
                url=_schedule_url(row),
                urgent=status is VisitStatus.OVERDUE,
            )
        )
    return tasks
