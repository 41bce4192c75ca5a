"""The screening key risk indicator: screen failures among subjects whose screening ended."""

import pytest

from edc.domain.risk_indicators import Measure
from edc.domain.subject_status import SubjectStatus
from screening.risk_indicators import screen_failure_rate
from tests.edc.factories import SubjectFactory
from tests.edc.monitoring_scope import scope_of

pytestmark = pytest.mark.django_db


def test_subjects_still_screening_are_not_counted(study, site_a, stratum):
    for status in (SubjectStatus.SCREEN_FAILED, SubjectStatus.ENROLLED, SubjectStatus.SCREENING):
        SubjectFactory(study_site=site_a, stratum=stratum, status=status)
    assert screen_failure_rate(scope_of(study)) == {site_a.pk: Measure(1, 2)}
