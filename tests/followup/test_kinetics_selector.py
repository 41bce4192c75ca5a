"""A subject's kinetics read from the CAR-T kinetics, B-cell and immunoglobulin CRF rows
(followup.selectors.subject_kinetics), on an infused CT1192 subject (Day 0 = 2026-05-06)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from edc.audit import audited_create, system_user
from edc.domain.crf_status import CrfStatus
from followup.models import BCellCount, CarTKinetics, Immunoglobulins
from followup.selectors import subject_kinetics
from tests.adverse_events.journeys import DAY0, at, infused_subject

pytestmark = pytest.mark.django_db

TimePoint = CarTKinetics.TimePoint


@pytest.fixture
def subject():
    return infused_subject(system_user())


def kinetics(subject, day, copies, *, time_point=TimePoint.VISIT, hour=8, **fields):
    row = CarTKinetics(
        subject=subject,
        visit_code=f"D{day}",
        time_point=time_point,
        sampled_at=at(day, hour),
        transgene_copies_per_ug_dna=None if copies is None else Decimal(copies),
        transgene_below_lloq=copies is None,
        car_cells_per_ul=Decimal("1.0"),
        **fields,
    )
    return audited_create(row, actor=system_user())


def b_cells(subject, day, count):
    row = BCellCount(
        subject=subject,
        visit_code=f"D{day}",
        sampled_at=at(day),
        cd19_cells_per_ul=None if count is None else Decimal(count),
        cd19_below_lloq=count is None,
    )
    return audited_create(row, actor=system_user())


def igg(subject, day, value):
    row = Immunoglobulins(
        subject=subject,
        visit_code=f"D{day}",
        sampled_on=DAY0 + dt.timedelta(days=day),
        igg_g_per_l=Decimal(value),
        iga_g_per_l=Decimal("1"),
        igm_g_per_l=Decimal("1"),
    )
    return audited_create(row, actor=system_user())


def test_transgene_nca_is_computed_by_study_day(subject):
    """(0,0) (7,1800) (14,600) (28,60): AUC0-28 by hand 6300 + 1200·7/ln 3 + 540·14/ln 10."""
    kinetics(subject, 0, None, time_point=TimePoint.PRE_INFUSION)
    for day, copies in ((7, "1800"), (14, "600"), (28, "60")):
        kinetics(subject, day, copies)
    result = subject_kinetics(subject).transgene
    assert (result.cmax, result.tmax, result.tlast, result.auc_truncated) == (1800, 7, 28, False)
    assert result.auc == pytest.approx(6300 + 1200 * 7 / 1.0986123 + 540 * 14 / 2.3025851)


def test_a_pre_infusion_sample_is_left_out(subject):
    """§13.7 supplies the 0 on day 0; a pre-infusion row (even with a value) does not count."""
    kinetics(subject, 0, "50", time_point=TimePoint.PRE_INFUSION, hour=1)
    kinetics(subject, 7, "100")
    result = subject_kinetics(subject).transgene
    assert result.points[0].value == 0
    assert "day0_assumed" in result.flags


def test_the_last_sample_of_a_day_stands_for_it(subject):
    kinetics(subject, 0, "20", time_point=TimePoint.END_OF_INFUSION, hour=6)
    kinetics(subject, 0, "35", time_point=TimePoint.HOURS_AFTER, hour=10)
    result = subject_kinetics(subject).transgene
    assert (result.cmax, result.tmax) == (35, 0)


def test_a_draft_form_is_not_used(subject):
    kinetics(subject, 7, "100")
    kinetics(subject, 14, "900", status=CrfStatus.DRAFT)
    assert subject_kinetics(subject).transgene.cmax == 100


def test_b_cell_aplasia_and_reconstitution_from_the_counts(subject):
    """Screening count ignored (before Day 0); aplasia day 7; reconstitution days 90 and 180."""
    b_cells(subject, -10, "120")
    for day, count in ((7, None), (28, "0.2"), (90, "2.5"), (180, "15")):
        b_cells(subject, day, count)
    course = subject_kinetics(subject).b_cells
    assert (course.aplasia_day, course.reconstitution_day) == (7, 90)


def test_igg_below_4_after_infusion_is_flagged_from_its_day(subject):
    igg(subject, -10, "3.5")  # before Day 0: not a consequence of the CAR-T
    igg(subject, 28, "4.5")
    igg(subject, 90, "3.8")
    course = subject_kinetics(subject).igg
    assert (course.first_low_day, course.latest_low) == (90, True)


def test_a_subject_without_samples_has_no_kinetics(subject):
    result = subject_kinetics(subject)
    assert (result.day0, result.transgene, result.b_cells, result.igg) == (DAY0, None, None, None)
