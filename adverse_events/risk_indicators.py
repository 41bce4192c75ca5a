"""The safety key risk indicators (edc/monitoring.py): adverse events and SAEs per treated
subject (a subject with a Day 0, the infusion)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from adverse_events.models import AdverseEvent
from edc.domain.crf_status import CrfStatus
from edc.domain.risk_indicators import Kind
from edc.monitoring import MonitoringScope, SiteMeasures, per_site_rate, register_risk_indicator


def _per_treated_subject(scope: MonitoringScope, *, serious_only: bool) -> SiteMeasures:
    treated = scope.subjects.filter(day0_date__isnull=False)
    bases = Counter(
        {
            r["study_site_id"]: r["n"]
            for r in treated.values("study_site_id").annotate(n=Count("pk"))
        }
    )
    events = AdverseEvent.objects.filter(subject__in=treated).exclude(status=CrfStatus.DRAFT)
    if serious_only:
        events = events.filter(is_serious=True)
    counts = Counter(
        {
            r["subject__study_site_id"]: r["n"]
            for r in events.values("subject__study_site_id").annotate(n=Count("pk"))
        }
    )
    return per_site_rate(counts, bases)


def adverse_events_per_subject(scope: MonitoringScope) -> SiteMeasures:
    return _per_treated_subject(scope, serious_only=False)


def saes_per_subject(scope: MonitoringScope) -> SiteMeasures:
    return _per_treated_subject(scope, serious_only=True)


def register() -> None:
    register_risk_indicator(
        "ae_rate",
        _("Adverse events per treated subject"),
        adverse_events_per_subject,
        kind=Kind.RATE,
        order=50,
        events=pgettext_lazy("events counted", "adverse events"),
    )
    register_risk_indicator(
        "sae_rate",
        _("SAEs per treated subject"),
        saes_per_subject,
        kind=Kind.RATE,
        order=55,
        events=pgettext_lazy("events counted", "SAEs"),
    )
