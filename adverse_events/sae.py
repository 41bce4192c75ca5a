"""The SAE clock: a serious adverse event must reach the sponsor's safety contacts within 24
hours of the site becoming aware (ICH E2A / E6(R3) 3.17).

Saving a serious event writes the duty to notify into the core outbox in the same transaction
(`sae_notification_queue`); the outbox delivers it after commit through `sae_notification_send`,
once, whatever fails in between (broker, mail server, a study with no safety contact yet). This
module also lists reports that are overdue and what the SAE page shows of each notification.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.mail import send_mail
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from adverse_events.domain.terms import ctcae_terms
from adverse_events.models import AdverseEvent, SaeNotification, SafetyContact
from edc.audit import audited_create, system_user
from edc.models import Study
from edc.outbox import NotDeliverable, OutboxMessage, outbox_messages_by_key, outbox_put

SAE_CLOCK = dt.timedelta(hours=24)
SAE_NOTIFICATION = "sae_notification"


def sae_notification_key(ae_id: object) -> str:
    return f"sae:{ae_id}"


def sae_notification_queue(ae: AdverseEvent) -> OutboxMessage:
    """Record, in the caller's transaction, that this SAE must be notified (once per event)."""
    return outbox_put(
        kind=SAE_NOTIFICATION,
        key=sae_notification_key(ae.pk),
        payload={"adverse_event": str(ae.pk)},
        study=ae.subject.study,
    )


def sae_notification_send(message: OutboxMessage) -> None:
    """The outbox handler: e-mail the study's active safety contacts and record that it was sent.

    Runs with the outbox row locked, so it is called once per successful delivery. A study with
    no active contact is a configuration problem for the data manager, not a failure to retry.
    """
    ae = AdverseEvent.objects.select_related("subject__study").get(
        pk=message.payload["adverse_event"]
    )
    if SaeNotification.objects.filter(adverse_event=ae).exists():
        return  # recorded as sent before the outbox existed: never send twice
    study = ae.subject.study
    recipients = safety_contact_emails(study)
    if not recipients:
        raise NotDeliverable(f"no active safety contact for {study.registry_id}")
    due = ae.site_aware_at + SAE_CLOCK
    send_mail(
        subject=f"[{study.registry_id}] SAE {ae.subject}: {ae.verbatim_term}",
        message=(
            f"Serious adverse event in {study.registry_id}, subject {ae.subject}.\n"
            f"Event: {ae.verbatim_term} ({ctcae_terms()[ae.ctcae_term].term}), "
            f"grade {ae.grade}, onset {ae.onset_date} (study day {ae.study_day}).\n"
            f"Site aware: {ae.site_aware_at:%Y-%m-%d %H:%M} UTC; initial report due "
            f"{due:%Y-%m-%d %H:%M} UTC.\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )
    audited_create(
        SaeNotification(adverse_event=ae, sent_at=timezone.now(), recipients=", ".join(recipients)),
        actor=system_user(),
        reason="SAE notification sent to the safety contacts",
    )


def safety_contact_emails(study: Study) -> list[str]:
    return list(
        SafetyContact.objects.filter(study=study, is_active=True)
        .order_by("email")
        .values_list("email", flat=True)
    )


def sae_saved_message(ae: AdverseEvent) -> str | None:
    """What the investigator is told after saving: the notification is queued, or waits."""
    if not ae.is_serious:
        return None
    if SaeNotification.objects.filter(adverse_event=ae).exists():
        return None
    if not SafetyContact.objects.filter(study=ae.subject.study, is_active=True).exists():
        return _(
            "This is a serious adverse event. The study has no safety contact yet, so the "
            "notification is queued until the data manager adds one; the event is saved."
        )
    return _(
        "This is a serious adverse event: the notification to the sponsor's safety contacts "
        "is queued and will be sent even if the mail server is down now."
    )


def sae_with_notification_states(events: Iterable[AdverseEvent]) -> list[AdverseEvent]:
    """Give each event its outbox message as `.notification_message` (one query), for the SAE
    page to say whether the notification is sent, queued, failing or waiting for a contact."""
    events = list(events)
    by_key = outbox_messages_by_key(sae_notification_key(ae.pk) for ae in events)
    for ae in events:
        ae.notification_message = by_key.get(sae_notification_key(ae.pk))
    return events


def sae_list_overdue(study: Study, *, now: dt.datetime) -> QuerySet[AdverseEvent]:
    """Serious events whose initial report was not submitted within 24 hours of awareness."""
    return (
        AdverseEvent.objects.filter(
            subject__study=study, is_serious=True, site_aware_at__lt=now - SAE_CLOCK
        )
        .exclude(sae_reports__number=1)
        .select_related("subject__study_site__site")
        .order_by("site_aware_at", "pk")
    )
