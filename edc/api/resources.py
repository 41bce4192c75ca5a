"""The registry of the API's subject-scoped lists that clinical apps own (the follow-up app's
visits, the safety app's adverse events): the core serves them without importing those apps.

A resource says which of its rows belong to a set of subjects; the core hands it the subjects
the user may see (edc.selectors.subject_list_for_user), so its scoping is the pages' scoping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import QuerySet
from rest_framework import serializers

from edc.models import Subject


@dataclass(frozen=True)
class ApiResource:
    path: str  # the URL segment under /api/v1/studies/<registry_id>/
    model: type[models.Model]
    serializer: type[serializers.Serializer]
    # The resource's rows of these subjects, with what the serializer reads fetched along.
    rows: Callable[[QuerySet[Subject]], QuerySet]
    # Query parameter -> (ORM lookup, the DRF field that parses and documents it).
    filters: dict[str, tuple[str, serializers.Field]] = field(default_factory=dict)
    description: str = ""
    # The CRF whose protocol `identifying_fields` are left out for users who may not see
    # personal data ("" if the rows are no form's).
    crf_code: str = ""


_RESOURCES: dict[str, ApiResource] = {}


def register_api_resource(resource: ApiResource) -> None:
    existing = _RESOURCES.get(resource.path)
    if existing is not None and existing.model is not resource.model:
        raise ValueError(f"API path {resource.path!r} is already registered to {existing.model}")
    _RESOURCES[resource.path] = resource


def registered_resources() -> list[ApiResource]:
    return sorted(_RESOURCES.values(), key=lambda r: r.path)
