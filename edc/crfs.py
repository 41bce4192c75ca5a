"""The CRF registry: which model and form implement each CRF code of the protocol files.

Apps register their forms in AppConfig.ready(); the casebook, the generic CRF page and (later)
exports, verification and locking work from this registry, so adding a CRF touches only the app
that owns it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django import forms

from edc.models import CrfModel, Subject


@dataclass(frozen=True)
class CrfSpec:
    code: str
    model: type[CrfModel]
    form: type[forms.ModelForm]
    # Fills derived fields (BSA, SI values, totals) from the entered ones; never typed by users.
    derive: Callable[[CrfModel], None] | None = None
    # Saves rows that belong to the form (lab results of a panel) in the form's transaction:
    # (form row, {name: cleaned value}, actor, reason) -> whether it wrote anything.
    save_children: Callable[..., bool] | None = None
    # Moves the subject along once the form is saved (an infusion sets Day 0), in the same
    # transaction: (form row, actor) -> None.
    on_create: Callable[..., None] | None = None
    # Runs after every save, first entry and correction alike (SAE clock, DLT candidates).
    on_save: Callable[..., None] | None = None
    repeating: bool = False
    # What the user should know after a save beyond "saved" (an SAE notification queued, or
    # waiting for a safety contact): (form row) -> message or None.
    saved_message: Callable[[CrfModel], str | None] | None = None
    # What the services derived that is not a field of the form row (a lab panel's SI values
    # and flags), shown after saving beside the row's own derived fields (edc/derived.py):
    # (form row) -> [DerivedValue].
    derived_values: Callable[[CrfModel], list] | None = None


_REGISTRY: dict[str, CrfSpec] = {}


def register_crf(spec: CrfSpec) -> None:
    existing = _REGISTRY.get(spec.code)
    if existing is not None and existing.model is not spec.model:
        raise ValueError(f"CRF code {spec.code!r} is already registered to {existing.model}")
    _REGISTRY[spec.code] = spec


def crf_code_for_model(model: type) -> str:
    """The CRF code a model is registered under, or "" (a form's child rows, an episode)."""
    return next((s.code for s in _REGISTRY.values() if s.model is model), "")


# Other apps' reactions to a saved form, without the owner knowing them (the safety app grades
# a lab panel's results): code -> [(form row, actor) -> None], run in the form's transaction.
_listeners: dict[str, list[Callable[..., None]]] = {}


def register_crf_listener(code: str, listener: Callable[..., None]) -> None:
    listeners = _listeners.setdefault(code, [])
    if listener not in listeners:
        listeners.append(listener)


def crf_listeners(code: str) -> list[Callable[..., None]]:
    return _listeners.get(code, [])


@dataclass(frozen=True)
class ExtraVisit:
    """A visit of one subject beyond the protocol's schedule (an unscheduled visit), with the
    forms chosen for it; the casebook shows it and the CRF page accepts those forms there."""

    code: str
    name: str
    day_label: str
    date: dt.date
    crfs: tuple[str, ...]


# Apps that add visits to a subject's casebook (the follow-up app's unscheduled visits):
# (subject, lang) -> [ExtraVisit], in date order.
_visit_providers: list[Callable[..., list[ExtraVisit]]] = []


def register_visit_provider(provider: Callable[..., list[ExtraVisit]]) -> None:
    if provider not in _visit_providers:
        _visit_providers.append(provider)


def extra_visits(subject: Subject, lang: str = "en") -> list[ExtraVisit]:
    return [visit for provider in _visit_providers for visit in provider(subject, lang=lang)]


def crf_spec(code: str) -> CrfSpec | None:
    return _REGISTRY.get(code)


def registered_specs() -> list[CrfSpec]:
    return list(_REGISTRY.values())


def crf_statuses(subject: Subject) -> dict[tuple[str, str], str]:
    """(visit code, CRF code) -> status of every saved form of a subject (repeating forms: the
    status of the latest row)."""
    statuses: dict[tuple[str, str], str] = {}
    for spec in _REGISTRY.values():
        rows = spec.model.objects.filter(subject=subject).order_by("-created_at")
        for visit_code, status in rows.values_list("visit_code", "status"):
            statuses.setdefault((visit_code, spec.code), status)
    return statuses
