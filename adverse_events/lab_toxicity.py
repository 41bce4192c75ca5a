"""CTCAE grades of laboratory results after Day 0, and grade 3 or more proposed as adverse events.

The grade uses the site lab's range of each result and the subject's baseline: the last value of
the analyte before lymphodepletion (before Day 0 when no lymphodepletion is recorded).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from adverse_events.domain.ctcae import TERMS, grade_lab
from adverse_events.domain.terms import ctcae_terms
from adverse_events.models import AdverseEvent, LabToxicity
from dosing.selectors import lymphodepletion_start
from edc.audit import audited_create, audited_update
from edc.crfs import crf_spec
from edc.derived import DerivedValue
from edc.domain.validation import ArgumentError
from edc.models import Subject
from edc.selectors import protocol_definition
from edc.services.crfs import crf_create
from screening.models import LabPanel, LabResult

PROPOSE_FROM_GRADE = 3
TERM_FOR_ANALYTE = {rule.analyte: term for term, rule in TERMS.items()}


def _baseline(subject: Subject, analyte: str, before: dt.date) -> LabResult | None:
    return (
        LabResult.objects.filter(subject=subject, analyte=analyte, collected_on__lt=before)
        .order_by("-collected_on", "-created_at")
        .first()
    )


def lab_toxicities_grade(panel: LabPanel, *, actor: AbstractBaseUser) -> None:
    """Grade the panel's post-Day-0 results (a lab-panel listener, in the panel's transaction).

    A result removed from the panel, or a panel re-dated before Day 0, retires the grades it had.
    """
    subject = panel.subject
    _retire_orphans(subject, panel, actor=actor)
    if subject.day0_date is None or panel.collected_on < subject.day0_date:
        return
    baseline_before = lymphodepletion_start(subject) or subject.day0_date
    for result in panel.results.all():
        term = TERM_FOR_ANALYTE.get(result.analyte)
        if term is None:
            continue
        base = _baseline(subject, result.analyte, baseline_before)
        try:
            graded = grade_lab(
                term=term,
                value=result.value_si,
                unit=result.si_unit or None,
                # A lower limit of 0 (ranges printed "0-21") means no lower limit.
                lln=result.lln_si or None,
                uln=result.uln_si,
                baseline=base.value_si if base else None,
            )
        except ArgumentError:
            continue  # not gradable without the lab's range; the result stays unflagged
        _record(subject, result, term, graded, base, actor=actor)


def _retire_orphans(subject: Subject, panel: LabPanel, *, actor: AbstractBaseUser) -> None:
    current = set(
        panel.results.filter(collected_on__gte=subject.day0_date or dt.date.max).values_list(
            "pk", flat=True
        )
    )
    gone = LabToxicity.objects.filter(
        subject=subject,
        status__in=[LabToxicity.Status.GRADED, LabToxicity.Status.PROPOSED],
        lab_result_ref__in=set(
            LabResult.history.filter(panel_id=panel.pk).values_list("id", flat=True)
        )
        - current,
    )
    for toxicity in gone:
        audited_update(
            toxicity,
            actor=actor,
            reason="Its lab result was removed or re-dated before Day 0",
            changes={
                "status": LabToxicity.Status.DISMISSED,
                "dismiss_reason": "lab result removed or re-dated before Day 0",
            },
            expected_version=None,
        )


def _record(subject, result, term, graded, base, *, actor) -> None:
    fields = {
        "collected_on": result.collected_on,
        "study_day": (result.collected_on - subject.day0_date).days,
        "value": result.value_si,
        "unit": result.si_unit,
        "baseline": base.value_si if base else None,
        "grade": graded.grade,
        "basis": "; ".join(graded.reasons)[:200],
    }
    existing = LabToxicity.objects.filter(lab_result_ref=result.pk, term=term).first()
    status = (
        LabToxicity.Status.PROPOSED
        if graded.grade >= PROPOSE_FROM_GRADE
        else LabToxicity.Status.GRADED
    )
    if existing is None:
        audited_create(
            LabToxicity(subject=subject, lab_result_ref=result.pk, term=term, status=status,
                        **fields),
            actor=actor,
        )  # fmt: skip
        return
    if existing.status in (LabToxicity.Status.CONFIRMED, LabToxicity.Status.DISMISSED):
        status = existing.status  # the investigator's decision stands; the grade is updated
    changes = {k: v for k, v in {**fields, "status": status}.items() if getattr(existing, k) != v}
    if changes:
        audited_update(
            existing,
            actor=actor,
            reason="Lab result corrected",
            changes=changes,
            expected_version=None,
        )


def nearest_ae_visit(subject: Subject, study_day: int) -> str:
    visits = [
        v for v in protocol_definition(subject.study).visits
        if v.anchor == "day0" and "adverse_event" in v.crfs
    ]  # fmt: skip
    return min(visits, key=lambda v: abs(v.day - study_day)).code


@transaction.atomic
def lab_toxicity_confirm(
    toxicity: LabToxicity,
    *,
    relationship_cart: str,
    relationship_lymphodepletion: str,
    action_taken: str,
    outcome: str,
    actor: AbstractBaseUser,
) -> AdverseEvent:
    """Record the proposed lab toxicity as an adverse event (non-serious; mark it serious on the
    AE form if it is)."""
    toxicity = LabToxicity.objects.select_for_update().get(pk=toxicity.pk)
    if toxicity.status != LabToxicity.Status.PROPOSED:
        raise ValidationError(_("Only a proposed lab toxicity can be confirmed."))
    ae = crf_create(
        spec=crf_spec("adverse_event"),
        subject=toxicity.subject,
        visit_code=nearest_ae_visit(toxicity.subject, toxicity.study_day),
        data={
            "verbatim_term": f"{ctcae_terms()[toxicity.term].term} (laboratory)",
            "ctcae_term": toxicity.term,
            "onset_date": toxicity.collected_on,
            "grade": toxicity.grade,
            "relationship_cart": relationship_cart,
            "relationship_lymphodepletion": relationship_lymphodepletion,
            "action_taken": action_taken,
            "outcome": outcome,
        },
        actor=actor,
    )
    audited_update(
        toxicity,
        actor=actor,
        reason="Confirmed as an adverse event",
        changes={"status": LabToxicity.Status.CONFIRMED, "adverse_event": ae},
        expected_version=None,
    )
    return ae


@transaction.atomic
def lab_toxicity_dismiss(
    toxicity: LabToxicity, *, reason: str, actor: AbstractBaseUser
) -> LabToxicity:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this is not an adverse event.")})
    if toxicity.status != LabToxicity.Status.PROPOSED:
        raise ValidationError(_("Only a proposed lab toxicity can be dismissed."))
    return audited_update(
        toxicity,
        actor=actor,
        reason=reason,
        changes={"status": LabToxicity.Status.DISMISSED, "dismiss_reason": reason},
        expected_version=None,
    )


def lab_panel_grades(panel: LabPanel) -> list[DerivedValue]:
    """The CTCAE grade of each graded result of a panel, for the panel's page after saving."""
    current = panel.results.values_list("pk", flat=True)
    toxicities = LabToxicity.objects.filter(
        subject_id=panel.subject_id, lab_result_ref__in=current, grade__gte=1
    )
    terms = ctcae_terms()
    return [
        DerivedValue(
            label=_("CTCAE %(version)s: %(term)s")
            % {
                "version": t.ctcae_version,
                "term": terms[t.term].term if t.term in terms else t.term,
            },
            value=_("grade %(grade)s") % {"grade": t.grade},
            detail=t.get_status_display(),
        )
        for t in toxicities.order_by("term")
    ]
