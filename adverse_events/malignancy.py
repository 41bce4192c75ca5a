"""A new malignancy report opens its serious adverse event: in the report's transaction, through
the AE log's own derivation and SAE clock (the outbox notification is queued with it), one event
per report however often the report is corrected."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import translation

from adverse_events.domain.malignancy import MalignancyType, reported_as
from adverse_events.models import AdverseEvent, NewMalignancy
from adverse_events.sae import sae_saved_message
from adverse_events.services import adverse_event_derive, adverse_event_saved
from edc.audit import audited_create, audited_update
from edc.domain.text_rules import REASON_LIMIT

# The AE's fields a report's errors are shown on (the rest have the same name on both).
_REPORT_FIELD = {"onset_date": "diagnosis_date", "verbatim_term": "type_detail"}


def _event_fields(report: NewMalignancy) -> dict[str, Any]:
    as_ = reported_as(MalignancyType(report.malignancy_type))
    with translation.override("en"):  # stored: one language, whoever saved it
        name = str(report.get_malignancy_type_display())
    detail = report.type_detail.strip()
    return {
        "verbatim_term": (f"{name}: {detail}" if detail else name)[:200],
        "ctcae_term": as_.ctcae_term,
        "aesi": as_.aesi,
        "onset_date": report.diagnosis_date,
        "grade": report.grade,
        "serious_important_medical": True,
        "serious_death": report.outcome == AdverseEvent.Outcome.FATAL,
        "site_aware_at": report.site_aware_at,
        "relationship_cart": report.relationship_cart,
        "relationship_lymphodepletion": report.relationship_lymphodepletion,
        "action_taken": report.action_taken,
        "outcome": report.outcome,
    }


def _as_report_error(exc: ValidationError) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {_REPORT_FIELD.get(field, field): errors for field, errors in exc.error_dict.items()}
    )


def new_malignancy_saved(report: NewMalignancy, *, actor: AbstractBaseUser) -> None:
    """After every save of a report (a CRF on_save hook, in the form's transaction): open its SAE
    on the first entry, bring it in line on a correction. The report row is locked, so two
    corrections at once cannot both see "no event yet"; the one-to-one link refuses a second."""
    saved = report
    report = NewMalignancy.objects.select_for_update().get(pk=saved.pk)
    fields = _event_fields(report)
    try:
        if report.adverse_event_id is None:
            ae = AdverseEvent(subject=report.subject, visit_code=report.visit_code, **fields)
            adverse_event_derive(ae)
            ae = audited_create(ae, actor=actor, reason="Opened by a new malignancy report")
            report = audited_update(
                report,
                actor=actor,
                reason="SAE opened",
                changes={"adverse_event": ae},
                expected_version=None,
            )
            # The caller's copy is the row as saved now (its version included).
            saved.adverse_event, saved.row_version = ae, report.row_version
        else:
            ae = report.adverse_event
            changes = {k: v for k, v in fields.items() if getattr(ae, k) != v}
            if changes:
                why = report.history.latest().history_change_reason or "Malignancy report"
                ae = audited_update(
                    ae,
                    actor=actor,
                    reason=f"New malignancy report corrected: {why}"[:REASON_LIMIT],
                    changes=changes,
                    expected_version=None,
                    before_save=adverse_event_derive,
                )
    except ValidationError as exc:
        raise _as_report_error(exc) from exc
    adverse_event_saved(ae, actor=actor)


def new_malignancy_saved_message(report: NewMalignancy) -> str | None:
    """What the investigator is told after saving: the SAE's notification state."""
    report = NewMalignancy.objects.select_related("adverse_event__subject__study").get(pk=report.pk)
    return sae_saved_message(report.adverse_event) if report.adverse_event else None
