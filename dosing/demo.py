"""Demo treatment data: lymphodepletion, infusion (Day 0) and the DLT assessment, entered through
the services on the demo subject's timeline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from dosing.domain.lymphodepletion import planned_doses
from dosing.services import lymphodepletion_crcl
from edc.crfs import crf_spec
from edc.models import Subject
from edc.selectors import protocol_definition
from edc.services.crfs import crf_create
from edc.services.subjects import subject_status_change

AFTER = ("lymphodepleted", "infused", "in_follow_up")


def treat_subject(
    subject: Subject, *, target: str, ld_start: dt.date, today: dt.date, actor: AbstractBaseUser
) -> None:
    """Take an enrolled demo subject as far as its target: LD, infusion, DLT assessment."""
    if target not in AFTER:
        return
    definition = protocol_definition(subject.study)
    height, weight = Decimal("162"), Decimal("58")
    crcl = lymphodepletion_crcl(subject, before=ld_start, weight_kg=weight)
    plan = planned_doses(
        regimen=definition.lymphodepletion, height_cm=height, weight_kg=weight, crcl_ml_min=crcl
    )
    crf_create(
        spec=crf_spec("lymphodepletion"),
        subject=subject,
        visit_code="LD",
        data={
            "measured_on": ld_start - dt.timedelta(days=1),
            "height_cm": height,
            "weight_kg": weight,
            "first_day_on": ld_start,
        },
        actor=actor,
        children={(p.drug, p.day): p.dose_mg for p in plan},
    )
    if target == "lymphodepleted":
        return
    escalation = definition.escalation
    day0 = ld_start + dt.timedelta(days=5)
    crf_create(
        spec=crf_spec("infusion"),
        subject=subject,
        visit_code="D0",
        data={
            "product_lot": f"DEMO-{subject.subject_identifier}",
            "infused_on": day0,
            "started_at": dt.time(9, 0),
            "ended_at": dt.time(9, 25),
            "weight_kg": weight,
            **_cells(escalation.dose_levels[0].dose, escalation.dose_levels[0].basis, weight),
            "car_positive_pct": Decimal(100),
            "premedication": "paracetamol 500 mg, chlorphenamine 4 mg",
            "infusion_reaction": False,
            "infusion_reaction_description": "",
            "deviation_reason": "",
        },
        actor=actor,
    )
    window_end = day0 + dt.timedelta(days=escalation.dlt_window_days)
    if window_end > today:
        return
    crf_create(
        spec=crf_spec("dlt_assessment"),
        subject=subject,
        visit_code="D28",
        data={
            "assessed_on": window_end,
            "evaluable": True,
            "not_evaluable_reason": "",
            "had_dlt": False,
            "dlt_description": "",
            "dlt_candidate_refs": [],
        },
        actor=actor,
    )
    if target == "in_follow_up":
        subject_status_change(
            subject, target="in_follow_up", reason="DLT window completed", actor=actor
        )


def _cells(dose: Decimal, basis: str, weight_kg: Decimal) -> dict[str, Decimal | int]:
    """The level's dose as mantissa and exponent (per kg doses scaled by the weight)."""
    cells = dose * weight_kg if basis == "per_kg" else dose
    exponent = cells.adjusted()
    return {
        "viable_cells_mantissa": cells.scaleb(-exponent).quantize(Decimal("0.01")),
        "viable_cells_exponent": exponent,
    }


def demo_step(subject: Subject, *, spec: Any, actor: AbstractBaseUser, today: dt.date) -> None:
    subject.refresh_from_db()
    treat_subject(
        subject, target=spec.target, ld_start=spec.ld_start(today), today=today, actor=actor
    )
