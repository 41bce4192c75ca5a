"""Loading protocol definition files: studies, sites, strata and versioned protocol rows.

Loading is idempotent: the same file twice changes nothing. A file with a new version number is an
amendment: it becomes current, the old version is kept and points to its successor, and reference
data it changes (titles, site targets, strata names) are updated with the amendment as the reason.
Changing a file's content without changing its version is refused, because a protocol version
must mean one text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from edc.audit import AuditedModel, audited_create, audited_update
from edc.crfs import crf_spec
from edc.domain.protocol import ProtocolDefinition, load_protocol_file
from edc.models import ProtocolVersion, Site, Stratum, Study, StudySite

M = TypeVar("M", bound=AuditedModel)


@dataclass(frozen=True)
class LoadResult:
    protocol_version: ProtocolVersion
    outcome: str  # "created", "amended" or "unchanged"


def _check_edit_check_fields(definition: ProtocolDefinition, path: Path) -> None:
    """Every field an edit check names is a field of its form's model (a typo fails the load,
    not a patient's form save)."""
    problems = []
    for crf in definition.crfs:
        spec = crf_spec(crf.code)
        if spec is None:
            continue
        names = {f.name for f in spec.model._meta.concrete_fields}
        for check in crf.checks:
            fields = [
                check.field,
                getattr(check, "when_field", None),
                getattr(check, "other_field", None),
            ]
            unknown = [name for name in fields if name is not None and name not in names]
            if unknown:
                problems.append(f"crfs.{crf.code}.checks.{check.id}: no field {unknown}")
    if problems:
        raise ValidationError(f"{path}: " + "; ".join(problems))


@transaction.atomic
def protocol_load(*, path: Path, actor: AbstractBaseUser) -> LoadResult:
    """Load one protocol file; raise ProtocolFileError (from the schema) or ValidationError."""
    definition, sha256 = load_protocol_file(path)
    _check_edit_check_fields(definition, path)
    identity = definition.protocol
    study = Study.objects.select_for_update().filter(registry_id=identity.registry_id).first()
    reason = f"Protocol {identity.registry_id} v{identity.version} loaded from {path.name}"
    if study is not None:
        existing = study.protocol_versions.filter(version=identity.version).first()
        if existing is not None:
            if existing.sha256 != sha256:
                raise ValidationError(
                    f"{path}: version {identity.version} of {identity.registry_id} is already "
                    "loaded with different content; give the amended file a new version number."
                )
            return LoadResult(existing, "unchanged")
    study = _upsert(study, Study, _study_fields(definition), actor=actor, reason=reason)
    previous = study.protocol_versions.filter(is_current=True).first()
    if previous is not None:
        previous = audited_update(
            previous,
            actor=actor,
            reason=f"Superseded by amendment v{identity.version}",
            changes={"is_current": False},
            expected_version=None,
        )
    version = audited_create(
        ProtocolVersion(
            study=study,
            version=identity.version,
            effective_date=identity.effective_date,
            definition=definition.model_dump(mode="json"),
            sha256=sha256,
            source_file=path.name,
            supersedes=previous,
        ),
        actor=actor,
        reason=reason,
    )
    _sync_sites(study, definition, actor=actor, reason=reason)
    _sync_strata(study, definition, actor=actor, reason=reason)
    return LoadResult(version, "amended" if previous else "created")


def _study_fields(d: ProtocolDefinition) -> dict[str, Any]:
    p = d.protocol
    return {
        "registry_id": p.registry_id,
        "study_code": p.study_code,
        "title": p.title,
        "short_title": p.short_title,
        "title_zh": p.title_zh or "",
        "short_title_zh": p.short_title_zh or "",
        "phase": p.phase,
        "sponsor": p.sponsor,
        "product": p.product.name,
        "target_enrolment": p.target_enrolment,
    }


def _sync_sites(
    study: Study, d: ProtocolDefinition, *, actor: AbstractBaseUser, reason: str
) -> None:
    for s in d.sites:
        site = _upsert(
            Site.objects.filter(code=s.code).first(),
            Site,
            {
                "code": s.code,
                "name": s.name,
                "name_zh": s.name_zh or "",
                "city": s.city,
                "country": s.country,
                "timezone": s.timezone,
            },
            actor=actor,
            reason=reason,
        )
        _upsert(
            StudySite.objects.filter(study=study, site=site).first(),
            StudySite,
            {
                "study": study,
                "site": site,
                "site_number": s.site_number,
                "target_enrolment": s.target_enrolment,
            },
            actor=actor,
            reason=reason,
        )


def _sync_strata(
    study: Study, d: ProtocolDefinition, *, actor: AbstractBaseUser, reason: str
) -> None:
    for s in d.strata:
        _upsert(
            Stratum.objects.filter(study=study, code=s.code).first(),
            Stratum,
            {
                "study": study,
                "code": s.code,
                "name": s.name,
                "name_zh": s.name_zh or "",
                "target_enrolment": s.target_enrolment,
            },
            actor=actor,
            reason=reason,
        )


def _upsert(
    existing: M | None,
    model: type[M],
    fields: dict[str, Any],
    *,
    actor: AbstractBaseUser,
    reason: str,
) -> M:
    """Create the row, or update only the fields that differ (no history row when none do)."""
    if existing is None:
        return audited_create(model(**fields), actor=actor, reason=reason)
    changes = {k: v for k, v in fields.items() if getattr(existing, k) != v}
    if not changes:
        return existing
    return audited_update(
        existing, actor=actor, reason=reason, changes=changes, expected_version=None
    )
