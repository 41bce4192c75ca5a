"""Runs the protocol's edit checks of a form on every save (edc/services/crfs.py calls it once).

A failing check opens one system query on its field, unless one is already unresolved; a check
that passes again closes its query with a message in the thread. The judging is
edc/domain/edit_checks.py; a cross-form check's value comes from a reference provider: the core
knows the previous visit's value of the same field, the clinical apps register the others in
their ready() with `register_check_reference`, so the core never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from edc.data_queries import UNRESOLVED, Query
from edc.domain.edit_checks import check_fails
from edc.domain.protocol import CrossFormCheck, EditCheck, ProtocolDefinition
from edc.domain.query_workflow import QueryOrigin
from edc.models import CrfModel
from edc.services.data_queries import system_query_close, system_query_open

# reference name -> (saved form row, protocol, field name) -> the value, or None when absent.
ReferenceProvider = Callable[[CrfModel, ProtocolDefinition, str], Any]
_REFERENCES: dict[str, ReferenceProvider] = {}


def register_check_reference(name: str, provider: ReferenceProvider) -> None:
    existing = _REFERENCES.get(name)
    if existing is not None and existing is not provider:
        raise ValueError(f"edit check reference {name!r} is already registered")
    _REFERENCES[name] = provider


def previous_visit_value(instance: CrfModel, definition: ProtocolDefinition, field: str) -> Any:
    """The same field of the same form at the subject's latest earlier visit of the schedule."""
    order = [v.code for v in definition.visits]
    if instance.visit_code not in order:
        return None
    earlier = order[: order.index(instance.visit_code)]
    rows = type(instance).objects.filter(subject_id=instance.subject_id, visit_code__in=earlier)
    values = dict(rows.values_list("visit_code", field))
    return next((values[code] for code in reversed(earlier) if code in values), None)


register_check_reference("previous_visit", previous_visit_value)


def _fails(check: EditCheck, instance: CrfModel, definition: ProtocolDefinition) -> bool:
    values = {name: getattr(instance, name, None) for name in _fields(check)}
    if not isinstance(check, CrossFormCheck):
        return check_fails(check, values)
    provider = _REFERENCES.get(check.reference)
    if provider is None:
        raise LookupError(f"no app provides the edit check reference {check.reference!r}")
    return check_fails(
        check,
        values,
        reference=provider(instance, definition, check.field),
        limit_pct=definition.change_limit(check),
    )


def _fields(check: EditCheck) -> list[str]:
    return [
        check.field,
        *(getattr(check, n) for n in ("when_field", "other_field") if hasattr(check, n)),
    ]


def run_edit_checks(crf_code: str, instance: CrfModel, definition: ProtocolDefinition) -> None:
    """Open or close the system queries of one saved form row (in the form's transaction)."""
    crf = definition.crf(crf_code)
    if crf is None or not crf.checks:
        return
    unresolved = {
        q.check_id: q
        for q in Query.objects.filter(
            subject_id=instance.subject_id,
            crf_code=crf_code,
            row_id=instance.pk,
            origin=QueryOrigin.SYSTEM,
            status__in=UNRESOLVED,
        )
    }
    for check in crf.checks:
        query = unresolved.get(check.id)
        failing = _fails(check, instance, definition)
        if failing and query is None:
            system_query_open(
                subject=instance.subject,
                visit_code=instance.visit_code,
                crf_code=crf_code,
                row_id=instance.pk,
                field_name=check.field,
                check_id=check.id,
                text=check.message,
                text_zh=check.message_zh,
            )
        elif not failing and query is not None:
            system_query_close(query)
