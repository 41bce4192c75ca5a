"""The SAE clock: a serious adverse event must reach the sponsor's safety contacts within 24
hours of the site becoming aware (ICH E2A / E6(R3) 3.17). This module sends that notification,
exactly once, and lists reports that are overdue."""

from __future__ import annotations

import datetime as dt

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet

from adverse_events.domain.terms import ctcae_terms
from adverse_events.models import AdverseEvent, SaeNotification, SafetyContact
from edc.audit import audited_create, system_user
from edc.models import Study

SAE_CLOCK = dt.timedelta(hours=24)


def sae_notify(ae_id: str, *, now: dt.datetime) -> bool:
    """Tell the sponsor's safety contacts of an SAE, once. True if this call sent it.

    The AE row is locked while deciding, so two workers running the task at once send one
    e-mail; the notification row is the proof it was sent.
    """
    with transaction.atomic():
        ae = AdverseEvent.objects.select_for_update().select_related("subject__study").get(pk=ae_id)
        if not ae.is_serious or SaeNotification.objects.filter(adverse_event=ae).exists():
            return False
        study = ae.subject.study
        recipients = list(
            SafetyContact.objects.filter(study=study, is_active=True).values_list(
                "email", flat=True
            )
        )
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
            SaeNotification(adverse_event=ae, sent_at=now, recipients=", ".join(recipients)),
            actor=system_user(),
            reason="SAE notification sent to the safety contacts",
        )
    return True


def sae_list_unnotified() -> QuerySet[AdverseEvent]:
    """Serious events whose notification has not gone out (the beat task's safety net)."""
    return AdverseEvent.objects.filter(is_serious=True, sae_notification__isnull=True)


def sae_list_overdue(study: Study, *, now: dt.datetime) -> QuerySet[AdverseEvent]:
    """Serious events whose initial report was not submitted within 24 hours of awareness."""
    return (
        AdverseEvent.objects.filter(
            subject__study=study, is_serious=True, site_aware_at__lt=now - SAE_CLOCK
        )
        .exclude(sae_reports__number=1)
        .select_related("subject")
    )
