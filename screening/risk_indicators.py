"""The screening key risk indicator (edc/monitoring.py): the share of subjects whose screening
ended that failed it."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from edc.domain.risk_indicators import Kind
from edc.domain.subject_status import SubjectStatus
from edc.monitoring import MonitoringScope, SiteMeasures, per_site_rate, register_risk_indicator


def screen_failure_rate(scope: MonitoringScope) -> SiteMeasures:
    rows = (
        scope.subjects.exclude(status=SubjectStatus.SCREENING)
        .values("study_site_id")
        .annotate(n=Count("pk"), failed=Count("pk", filter=Q(status=SubjectStatus.SCREEN_FAILED)))
    )
    failed = Counter({r["study_site_id"]: r["failed"] for r in rows})
    return per_site_rate(failed, Counter({r["study_site_id"]: r["n"] for r in rows}))


def register() -> None:
    register_risk_indicator(
        "screen_failure_rate",
        _("Screen failures among subjects whose screening ended"),
        screen_failure_rate,
        kind=Kind.RATE,
        order=60,
        events=_("screen failures"),
        percent=True,
    )
