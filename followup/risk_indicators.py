"""The follow-up's key risk indicators (edc/monitoring.py): visits done outside their window
(protocol deviations) per subject, and the data-entry lag from a visit to its forms."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Min
from django.utils.translation import gettext_lazy as _

from edc.crfs import registered_specs
from edc.domain.risk_indicators import Kind, Measure
from edc.monitoring import MonitoringScope, SiteMeasures, per_site_rate, register_risk_indicator
from followup.models import VisitInstance


def deviations_per_subject(scope: MonitoringScope) -> SiteMeasures:
    """Visits done outside the window, over the subjects with at least one visit done."""
    done = VisitInstance.objects.filter(subject__in=scope.subjects, state=VisitInstance.State.DONE)
    deviations = Counter(
        {
            row["subject__study_site_id"]: row["n"]
            for row in done.exclude(deviation_days__isnull=True)
            .exclude(deviation_days=0)
            .values("subject__study_site_id")
            .annotate(n=Count("pk"))
        }
    )
    subjects = Counter(
        {
            row["subject__study_site_id"]: row["n"]
            for row in done.values("subject__study_site_id").annotate(
                n=Count("subject_id", distinct=True)
            )
        }
    )
    return per_site_rate(deviations, subjects)


def data_entry_lag(scope: MonitoringScope) -> SiteMeasures:
    """Days from each done visit's date to the first saving of any of its forms (the UTC date
    of the first entry), per site: one query per registered form kind plus one for the visits."""
    first: dict[tuple, object] = {}
    for spec in registered_specs():
        rows = (
            spec.model.objects.filter(subject__in=scope.subjects)
            .values("subject_id", "visit_code")
            .annotate(first=Min("created_at"))
        )
        for row in rows:
            key = (row["subject_id"], row["visit_code"])
            if key not in first or row["first"] < first[key]:
                first[key] = row["first"]
    lags: dict = {}
    visits = VisitInstance.objects.filter(
        subject__in=scope.subjects, state=VisitInstance.State.DONE
    ).values_list("subject_id", "subject__study_site_id", "visit_code", "done_on")
    for subject_id, site, visit_code, done_on in visits:
        entered = first.get((subject_id, visit_code))
        if entered is not None:
            lags.setdefault(site, []).append(max((entered.date() - done_on).days, 0))
    return {site: Measure.of_values(values) for site, values in lags.items()}


def register() -> None:
    register_risk_indicator(
        "deviations_per_subject",
        _("Visits outside their window (protocol deviations) per subject"),
        deviations_per_subject,
        kind=Kind.RATE,
        order=70,
        events=_("deviations"),
    )
    register_risk_indicator(
        "data_entry_lag",
        _("Median days from a visit to the first entry of its forms"),
        data_entry_lag,
        kind=Kind.MEDIAN,
        order=40,
        events=_("visits entered"),
    )
