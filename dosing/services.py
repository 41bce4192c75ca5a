"""Dosing writes: lymphodepletion doses, infusion (Day 0), DLT candidates and assessments, and the
committee's signed escalation decisions. Dose assignment at enrolment is in dosing/assignment.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dosing.domain.infusion import (
    car_positive_cells,
    cells_from_mantissa,
    check_infused_dose,
    check_infusion_timing,
)
from dosing.domain.lymphodepletion import bsa_m2_for_dosing, check_administered, planned_doses
from dosing.domain.pretreatment import Stage, failing_checks, pretreatment_checks
from dosing.models import (
    DltCandidate,
    DoseAssignment,
    EscalationDecision,
    Infusion,
    LymphodepletionCourse,
    LymphodepletionDose,
)
from edc.accounts import verify_password
from edc.audit import audited_create, audited_update
from edc.domain.calculators import age_years, cockcroft_gault
from edc.domain.validation import ArgumentError
from edc.models import Study, Subject
from edc.selectors import protocol_definition
from edc.services.subjects import subject_status_change
from screening.models import LabResult
from screening.snapshot import screening_snapshot


def _field_error(exc: ArgumentError, field: str | None = None) -> ValidationError:
    return ValidationError({field or exc.argument: str(exc)})


def lymphodepletion_crcl(
    subject: Subject, *, before: dt.date, weight_kg: Decimal
) -> Decimal | None:
    """Creatinine clearance (Cockcroft-Gault, mL/min, 2 places) from the latest serum creatinine
    collected on or before `before`, with the course's weight; None without a creatinine."""
    creatinine = (
        LabResult.objects.filter(subject=subject, analyte="creatinine", collected_on__lte=before)
        .order_by("-collected_on")
        .first()
    )
    if creatinine is None:
        return None
    crcl = cockcroft_gault(
        age_years=age_years(born=subject.date_of_birth, on=creatinine.collected_on),
        weight_kg=weight_kg,
        creatinine=creatinine.value_si,
        creatinine_unit="umol/L",
        sex=subject.sex,
    )
    return Decimal(str(round(crcl, 2)))


# How a pre-treatment check that stops the form is named to the investigator.
CHECK_OUTCOME = {
    "not_met": gettext_lazy("not met"),
    "missing_data": gettext_lazy("missing data"),
    "needs_confirmation": gettext_lazy("needs confirmation"),
}


def pretreatment_verify(
    record: LymphodepletionCourse | Infusion, *, stage: Stage, day: dt.date
) -> None:
    """The checks before a treatment (dosing.domain.pretreatment, the protocol's `pretreatment`
    criteria, and active infection): kept on the record; one not met or without data refuses the
    form unless the investigator gives the reason to proceed."""
    subject = record.subject
    now = timezone.now()
    results = pretreatment_checks(
        definition=protocol_definition(subject.study),
        stage=stage,
        snapshot=screening_snapshot(subject, today=day, now=now),
        day=day,
    )
    record.pretreatment_checks = [
        {"criterion": r.criterion_id, "outcome": str(r.outcome), "reasons": list(r.reasons)}
        for r in results
    ]
    problems = [
        _("criterion %(number)s: %(outcome)s")
        % {"number": r.number, "outcome": CHECK_OUTCOME[r.outcome]}
        for r in failing_checks(results)
    ]
    if record.active_infection:
        problems.append(_("active infection"))
    if problems and not record.pretreatment_override_reason.strip():
        raise ValidationError(
            {
                "pretreatment_override_reason": _(
                    "Before treatment: %(problems)s. Treat only with the reason to proceed."
                )
                % {"problems": "; ".join(str(p) for p in problems)}
            }
        )


def lymphodepletion_derive(course: LymphodepletionCourse) -> None:
    """BSA for the doses and, where the regimen adjusts a drug for renal function, the creatinine
    clearance; a course the protocol does not recommend at that clearance is refused; the checks
    before lymphodepletion are run on its first day."""
    course.bsa_m2 = bsa_m2_for_dosing(height_cm=course.height_cm, weight_kg=course.weight_kg)
    pretreatment_verify(course, stage="lymphodepletion", day=course.first_day_on)
    regimen = protocol_definition(course.subject.study).lymphodepletion
    if not any(agent.renal_adjustment for agent in regimen.agents):
        return
    course.crcl_ml_min = lymphodepletion_crcl(
        course.subject, before=course.first_day_on, weight_kg=course.weight_kg
    )
    if course.crcl_ml_min is None:
        raise ValidationError(
            _(
                "Enter a serum creatinine before lymphodepletion: fludarabine is dosed by "
                "creatinine clearance."
            )
        )
    try:
        planned_doses(
            regimen=regimen,
            height_cm=course.height_cm,
            weight_kg=course.weight_kg,
            crcl_ml_min=course.crcl_ml_min,
        )
    except ArgumentError as exc:  # the only refusal left: a band where it is not recommended
        raise ValidationError(
            _(
                "Fludarabine is not recommended at a creatinine clearance of %(crcl)s mL/min "
                "(the protocol's renal adjustment)."
            )
            % {"crcl": course.crcl_ml_min}
        ) from exc


def lymphodepletion_doses_save(
    course: LymphodepletionCourse,
    administered: dict[tuple[str, int], Decimal | None],
    *,
    actor: AbstractBaseUser,
    reason: str,
) -> bool:
    """Planned dose of each drug and day from the BSA, the dose given, and its deviation; says
    whether anything was written."""
    regimen = protocol_definition(course.subject.study).lymphodepletion
    first_day = min(day for agent in regimen.agents for day in agent.days)
    saved = {(d.drug, d.study_day): d for d in course.doses.select_for_update()}
    wrote = False
    for plan in planned_doses(
        regimen=regimen,
        height_cm=course.height_cm,
        weight_kg=course.weight_kg,
        crcl_ml_min=course.crcl_ml_min,
    ):
        given = administered.get((plan.drug, plan.day))
        check = (
            check_administered(
                planned=plan, administered_mg=given, tolerance_pct=regimen.dose_tolerance_pct
            )
            if given is not None
            else None
        )
        fields = {
            "administered_on": course.first_day_on + dt.timedelta(days=plan.day - first_day),
            "planned_mg": plan.dose_mg,
            "renal_reduction_pct": plan.renal_reduction_pct,
            "administered_mg": given,
            "deviation_pct": check.deviation_pct if check else None,
            "within_tolerance": check.within_tolerance if check else None,
        }
        existing = saved.get((plan.drug, plan.day))
        if existing is None:
            audited_create(
                LymphodepletionDose(course=course, drug=plan.drug, study_day=plan.day, **fields),
                actor=actor,
                reason=reason,
            )
            wrote = True
        elif changes := {k: v for k, v in fields.items() if getattr(existing, k) != v}:
            audited_update(
                existing, actor=actor, reason=reason, changes=changes, expected_version=None
            )
            wrote = True
    return wrote


def lymphodepletion_started(course: LymphodepletionCourse, *, actor: AbstractBaseUser) -> None:
    subject_status_change(
        course.subject, target="lymphodepleted", reason="Lymphodepletion recorded", actor=actor
    )


def last_lymphodepletion_date(subject: Subject) -> dt.date | None:
    last = (
        LymphodepletionDose.objects.filter(course__subject=subject)
        .order_by("-administered_on")
        .values_list("administered_on", flat=True)
        .first()
    )
    return last


def infusion_derive(infusion: Infusion) -> None:
    """Cells from mantissa and exponent, the planned dose of the subject's level, the deviation.

    The infusion must follow the last lymphodepletion day. A dose that looks like a power-of-ten
    slip is refused outright; one outside the protocol's tolerance is recorded as a deviation only
    with an explanation.
    """
    subject = infusion.subject
    last_ld = last_lymphodepletion_date(subject)
    if last_ld is None:
        raise ValidationError(_("Record lymphodepletion before the infusion."))
    pretreatment_verify(infusion, stage="infusion", day=infusion.infused_on)
    try:
        check_infusion_timing(last_lymphodepletion_day=last_ld, infusion_date=infusion.infused_on)
    except ArgumentError as exc:
        raise _field_error(exc, "infused_on") from exc
    escalation = protocol_definition(subject.study).escalation
    assignment = DoseAssignment.objects.filter(subject=subject).first()
    if assignment is None:
        raise ValidationError(_("The subject has no dose level: enrol them first."))
    level = next(d for d in escalation.dose_levels if d.level == assignment.dose_level)
    try:
        viable = cells_from_mantissa(
            mantissa=infusion.viable_cells_mantissa, exponent=infusion.viable_cells_exponent
        )
        car_pos = car_positive_cells(
            total_viable_cells=viable, car_positive_pct=infusion.car_positive_pct
        )
        checked = check_infused_dose(
            level=level,
            infused_car_pos_cells=car_pos,
            weight_kg=infusion.weight_kg,
            tolerance_pct=escalation.dose_tolerance_pct,
        )
    except ArgumentError as exc:
        field = {"mantissa": "viable_cells_mantissa", "exponent": "viable_cells_exponent"}
        raise _field_error(exc, field.get(exc.argument, "viable_cells_mantissa")) from exc
    if checked.likely_order_of_magnitude_error:
        raise ValidationError({"viable_cells_exponent": checked.reason})
    if not checked.within_tolerance and escalation.infusion_out_of_tolerance == "refuse":
        raise ValidationError(
            {"viable_cells_mantissa": _("The protocol refuses this dose: %s") % checked.reason}
        )
    if not checked.within_tolerance and not infusion.deviation_reason.strip():
        raise ValidationError({"deviation_reason": checked.reason})
    infusion.dose_level = level.level
    infusion.car_positive_cells = car_pos
    infusion.cells_per_kg = checked.cells_per_kg
    infusion.planned_cells = checked.planned_cells
    infusion.dose_deviation_pct = checked.deviation_pct
    infusion.is_dose_deviation = not checked.within_tolerance


def infusion_date_follow(infusion: Infusion, *, actor: AbstractBaseUser) -> None:
    """After a correction: Day 0 follows the infusion date (study days and windows hang on it)."""
    subject = Subject.objects.select_for_update().get(pk=infusion.subject_id)
    if subject.day0_date not in (None, infusion.infused_on):
        audited_update(
            subject,
            actor=actor,
            reason=f"Infusion date corrected to {infusion.infused_on}: Day 0 moves with it",
            changes={"day0_date": infusion.infused_on},
            expected_version=None,
        )


def infusion_recorded(infusion: Infusion, *, actor: AbstractBaseUser) -> None:
    """Day 0: the subject is now infused, and the follow-up schedule hangs on this date."""
    subject_status_change(
        infusion.subject,
        target="infused",
        reason=f"CAR-T infusion on {infusion.infused_on} (Day 0)",
        actor=actor,
        day0_date=infusion.infused_on,
    )


@transaction.atomic
def dlt_candidate_record(
    *,
    subject: Subject,
    source: str,
    source_ref: str,
    rule_id: str,
    description: str,
    grade: int,
    onset_on: dt.date,
    actor: AbstractBaseUser,
) -> DltCandidate:
    """The entry point other apps use to propose a DLT; the same event and rule twice is one."""
    existing = DltCandidate.objects.filter(
        source=source, source_ref=source_ref, rule_id=rule_id
    ).first()
    if existing is not None:
        return existing
    return audited_create(
        DltCandidate(
            subject=subject,
            source=source,
            source_ref=source_ref,
            rule_id=rule_id,
            description=description,
            grade=grade,
            onset_on=onset_on,
        ),
        actor=actor,
    )


MEANING = "I approve this dose-escalation decision of the safety review committee."
ANY_LEVEL = object()


def _next_level_for(decision: str, level: int, levels: list[int]) -> object:
    """The level a decision leads to: the next higher (escalate), the same (stay), the next lower
    (de-escalate, eliminate); none after stopping."""
    position = levels.index(level)
    if decision == "escalate":
        return levels[min(position + 1, len(levels) - 1)]
    if decision == "stay":
        return level
    if decision in ("deescalate", "eliminate"):
        return levels[position - 1] if position > 0 else None
    if decision == "stop":
        return None
    return ANY_LEVEL


# The committee decision that follows each design recommendation; any other needs a rationale.
DECISION_FOR_RECOMMENDATION = {
    "escalate": "escalate",
    "stay": "stay",
    "expand_to_6": "stay",
    "deescalate": "deescalate",
    "deescalate_and_eliminate": "eliminate",
    "mtd_exceeded": "deescalate",
}


def escalation_decision_record(
    *,
    study: Study,
    dose_level: int,
    recommendation: str,
    basis: dict[str, Any],
    decision: str,
    next_dose_level: int | None,
    rationale: str,
    meeting_on: dt.date,
    password: str,
    actor: AbstractBaseUser,
    request: HttpRequest,
    now: dt.datetime,
) -> EscalationDecision:
    """Record the committee's decision, signed by re-entering the password (21 CFR 11.200).

    The password check counts towards the account lockout (`request` carries the address); it
    runs before the transaction so that a refused signature's failure record is kept.
    A decision that departs from the rule's recommendation needs a rationale.
    """
    verify_password(request, actor, password)
    if decision != DECISION_FOR_RECOMMENDATION.get(recommendation) and not rationale.strip():
        raise ValidationError(
            {"rationale": _("The decision differs from the recommendation: give the rationale.")}
        )
    levels = sorted(d.level for d in protocol_definition(study).escalation.dose_levels)
    if next_dose_level is not None and next_dose_level not in levels:
        raise ValidationError({"next_dose_level": _("Not a dose level of this protocol.")})
    expected = _next_level_for(decision, dose_level, levels)
    if expected is not ANY_LEVEL and next_dose_level != expected and not rationale.strip():
        raise ValidationError(
            {
                "next_dose_level": _(
                    "A %(decision)s decision at level %(level)s leads to level %(expected)s; "
                    "give the rationale for another level."
                )
                % {"decision": decision, "level": dose_level, "expected": expected or "—"}
            }
        )
    with transaction.atomic():
        Study.objects.select_for_update().get(pk=study.pk)
        return audited_create(
            EscalationDecision(
                study=study,
                dose_level=dose_level,
                recommendation=recommendation,
                recommendation_basis=basis,
                decision=decision,
                next_dose_level=next_dose_level,
                rationale=rationale,
                meeting_on=meeting_on,
                signed_at=now,
                signature_meaning=MEANING,
            ),
            actor=actor,
            reason=f"Signed: {MEANING}",
        )
