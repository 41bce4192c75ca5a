"""Subjects taken through enrolment, lymphodepletion and infusion with the real services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from edc.crfs import crf_spec
from edc.models import Subject
from edc.services.crfs import crf_create
from screening.services.eligibility import subject_enrol_if_eligible
from tests.screening.journeys import NOW, confirm_judgements, ct1192_subject, screen

REGIMEN_DAYS = (-5, -4, -3)


def enrol(actor, *, today: dt.date) -> Subject:
    subject = screen(ct1192_subject(), actor)
    confirm_judgements(subject, actor)
    return subject_enrol_if_eligible(subject, actor=actor, today=today, now=NOW)


def lymphodeplete(subject: Subject, actor, *, day0: dt.date) -> None:
    """Lymphodepletion on days -5..-3 before a planned `day0`."""
    crf_create(
        spec=crf_spec("lymphodepletion"),
        subject=subject,
        visit_code="LD",
        data={
            "measured_on": day0 - dt.timedelta(days=6),
            "height_cm": Decimal("162"),
            "weight_kg": Decimal("58"),
            "first_day_on": day0 - dt.timedelta(days=5),
        },
        actor=actor,
        children={
            (drug, day): Decimal(mg)
            for drug, mg in (("fludarabine", "48.5"), ("cyclophosphamide", "484.7"))
            for day in REGIMEN_DAYS
        },
    )


def infuse(subject: Subject, actor, *, day0: dt.date, mantissa: str = "3.0") -> Subject:
    """Lymphodepletion on days -5..-3 before `day0`, then the infusion on `day0`."""
    lymphodeplete(subject, actor, day0=day0)
    return record_infusion(subject, actor, day0=day0, mantissa=mantissa)


def record_infusion(subject: Subject, actor, *, day0: dt.date, mantissa: str = "3.0") -> Subject:
    """The infusion on `day0`, after a lymphodepletion already recorded."""
    crf_create(
        spec=crf_spec("infusion"),
        subject=subject,
        visit_code="D0",
        data={
            "product_lot": "LOT-1",
            "infused_on": day0,
            "started_at": dt.time(9, 0),
            "ended_at": dt.time(9, 20),
            "weight_kg": Decimal("58"),
            "viable_cells_mantissa": Decimal(mantissa),
            "viable_cells_exponent": 8,
            "car_positive_pct": Decimal("100"),
            "premedication": "",
            "infusion_reaction": False,
            "infusion_reaction_description": "",
            "deviation_reason": "",
        },
        actor=actor,
    )
    subject.refresh_from_db()
    return subject
