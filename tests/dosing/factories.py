"""Dosing rows made directly, for reads (the dashboard) that count infusions and DLT assessments
without walking each subject through lymphodepletion."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from dosing.models import DltAssessment, Infusion
from tests.edc.factories import SubjectFactory

DAY0 = dt.date(2026, 4, 1)


class InfusionFactory(factory.django.DjangoModelFactory):
    """Dose level 1 infused on the subject's Day 0 (which the factory's subject has)."""

    class Meta:
        model = Infusion

    subject = factory.SubFactory(SubjectFactory, day0_date=DAY0, status="infused")
    visit_code = "D0"
    product_lot = "LOT-1"
    infused_on = factory.LazyAttribute(lambda o: o.subject.day0_date)
    started_at = dt.time(9, 0)
    ended_at = dt.time(9, 30)
    weight_kg = Decimal("60.0")
    viable_cells_mantissa = Decimal("6.0")
    viable_cells_exponent = 7
    car_positive_pct = Decimal("50.0")
    dose_level = 1
    car_positive_cells = Decimal("30000000")
    cells_per_kg = Decimal("500000")
    planned_cells = Decimal("30000000")
    dose_deviation_pct = Decimal("0")


class DltAssessmentFactory(factory.django.DjangoModelFactory):
    """An evaluable subject without a DLT at the end of the window."""

    class Meta:
        model = DltAssessment

    subject = factory.SubFactory(SubjectFactory, day0_date=DAY0)
    visit_code = "D28"
    assessed_on = DAY0 + dt.timedelta(days=28)
    evaluable = True
    had_dlt = False
