"""The follow-up's key risk indicators: deviations per subject and the data-entry lag."""

import pytest
from django.utils import timezone

from edc.domain.risk_indicators import Measure
from followup.models import VisitInstance
from followup.risk_indicators import data_entry_lag, deviations_per_subject
from tests.edc.factories import SubjectFactory
from tests.edc.monitoring_scope import scope_of
from tests.edc.review_journeys import vitals
from tests.followup.factories import DAY0, DeviatingVisitFactory, VisitInstanceFactory

pytestmark = pytest.mark.django_db


def test_deviations_count_visits_outside_the_window_over_subjects_with_a_visit_done(
    study, site_a, stratum
):
    late, on_time = (
        SubjectFactory(study_site=site_a, stratum=stratum, day0_date=DAY0) for _ in "ab"
    )
    DeviatingVisitFactory(subject=late)
    VisitInstanceFactory(
        subject=on_time, state=VisitInstance.State.DONE, done_on=DAY0.replace(day=8)
    )
    assert deviations_per_subject(scope_of(study)) == {site_a.pk: Measure(1, 2)}


def test_the_entry_lag_is_the_days_from_the_visit_to_its_first_form(study, site_a, stratum):
    subject = SubjectFactory(study_site=site_a, stratum=stratum)
    visit = VisitInstanceFactory(
        subject=subject,
        visit_code="SCR",
        target_date=subject.consent_date,
        state=VisitInstance.State.DONE,
        done_on=subject.consent_date,
    )
    vitals(subject)
    lag = (timezone.now().date() - visit.done_on).days
    assert data_entry_lag(scope_of(study)) == {site_a.pk: Measure.of_values([lag])}
