"""Source-data verification: the monitor's marks on saved forms, what they require, and progress.

A mark (`SourceVerification`) covers a whole form row or one field of it, at the row version the
monitor saw. A form is source-verified when marked as a whole or field by field
(edc/domain/sdv.py); it then moves from complete to verified. A correction of the form drops the
whole-form mark and the marks of the changed fields (kept, with when and why): the form says
"Changed after verification: verify again". Which forms need verification is the protocol's
`sdv` section. The marks belong to the subject, so they are on the subject's audit trail.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from edc.audit import AuditedModel, audited_create, audited_update
from edc.audit_reasons import register_system_reasons
from edc.crfs import CrfSpec, registered_specs
from edc.domain.crf_status import CrfStatus, check_crf_transition
from edc.domain.protocol import ProtocolDefinition
from edc.domain.sdv import Progress, is_source_verified, requires_sdv
from edc.models import CRF_STATUS_LABELS, CrfModel, Subject

register_system_reasons(
    [
        (r"Source data verified: whole form", gettext_lazy("Source data verified: whole form")),
        (r"Source data verified: (?P<field>\w+)", gettext_lazy("Source data verified: %(field)s")),
        (r"Source data verified", gettext_lazy("Source data verified")),
        (
            r"Changed after verification: (?P<reason>.*)",
            gettext_lazy("Changed after verification: %(reason)s"),
        ),
    ]
)


class SourceVerification(AuditedModel):
    """A monitor's mark: this form row (field empty) or one of its fields matches the source."""

    subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        related_name="source_verifications",
        verbose_name=gettext_lazy("subject"),
    )
    crf_code = models.CharField(gettext_lazy("form"), max_length=40)
    visit_code = models.CharField(gettext_lazy("visit"), max_length=20)
    form_id = models.UUIDField(gettext_lazy("form record"), db_index=True)
    field_name = models.CharField(gettext_lazy("field verified"), max_length=80, blank=True)
    form_version = models.PositiveIntegerField(gettext_lazy("form version verified"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("verified by"),
    )
    verified_at = models.DateTimeField(gettext_lazy("verified at"))
    dropped_at = models.DateTimeField(gettext_lazy("dropped at"), null=True, blank=True)
    dropped_reason = models.TextField(gettext_lazy("why dropped"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("source-data verification")
        verbose_name_plural = gettext_lazy("source-data verifications")
        ordering = ["verified_at"]

    def __str__(self) -> str:
        return f"{self.crf_code} {self.visit_code} {self.field_name or '*'}"


def form_fields(spec: CrfSpec) -> list[tuple[str, str]]:
    """(name, label) of the fields a user enters on the form: what can be verified one by one."""
    names = {f.name: f for f in spec.model._meta.concrete_fields}
    return [
        (name, str(names[name].verbose_name)) for name in spec.form.base_fields if name in names
    ]


@dataclass
class FormSdv:
    """The verification state of one form row, as the CRF page shows it."""

    required: bool
    whole: SourceVerification | None
    verified_fields: dict[str, SourceVerification]
    fields: list[tuple[str, str]]
    changed_after_verification: bool

    @property
    def source_verified(self) -> bool:
        return is_source_verified(
            whole_form=self.whole is not None,
            fields=[name for name, _label in self.fields],
            verified_fields=self.verified_fields,
        )

    @property
    def field_rows(self) -> list[tuple[str, str, SourceVerification | None]]:
        return [(name, label, self.verified_fields.get(name)) for name, label in self.fields]


def _required(definition: ProtocolDefinition, study_registry_id: str, subject_id, code) -> bool:
    return requires_sdv(
        full=definition.sdv.full,
        rate=definition.sdv.sampling_rate,
        registry_id=study_registry_id,
        subject_key=str(subject_id),
        crf_code=code,
    )


def form_sdv(definition: ProtocolDefinition, spec: CrfSpec, instance: CrfModel) -> FormSdv:
    """The state the CRF page shows: marks standing, whether the protocol asks for them, and
    whether a change dropped one that has not been made again."""
    required = _required(
        definition, instance.subject.study.registry_id, instance.subject_id, spec.code
    )
    return _state(spec, instance, required=required)


def _state(spec: CrfSpec, instance: CrfModel, *, required: bool) -> FormSdv:
    marks = SourceVerification.objects.filter(form_id=instance.pk).select_related("verified_by")
    active = [m for m in marks if m.dropped_at is None]
    state = FormSdv(
        required=required,
        whole=next((m for m in active if not m.field_name), None),
        verified_fields={m.field_name: m for m in active if m.field_name},
        fields=form_fields(spec),
        changed_after_verification=False,
    )
    state.changed_after_verification = not state.source_verified and any(
        m.dropped_at for m in marks
    )
    return state


def source_verified(spec: CrfSpec, instance: CrfModel) -> bool:
    """Whether the marks standing make the form source-verified."""
    return _state(spec, instance, required=True).source_verified


def _set_status(instance: CrfModel, target: CrfStatus, *, actor, reason: str) -> CrfModel:
    check_crf_transition(instance.status, target)
    if instance.status == target:
        return instance
    return audited_update(
        instance, actor=actor, reason=reason, changes={"status": target}, expected_version=None
    )


@transaction.atomic
def verify_form(
    spec: CrfSpec,
    instance: CrfModel,
    *,
    fields: Iterable[str] = (),
    expected_version: int,
    actor: AbstractBaseUser,
    now: dt.datetime,
) -> CrfModel:
    """Mark the form (no `fields`) or the given fields verified at the version the monitor saw;
    a form verified as a whole or field by field moves from complete to verified (a signed form
    keeps its status: the mark is recorded, the signature stands)."""
    current = type(instance).objects.select_for_update().get(pk=instance.pk)
    if current.row_version != expected_version:
        raise ValidationError(
            _("The form changed after you opened it; nothing was verified. Check it again.")
        )
    if current.status not in (CrfStatus.COMPLETE, CrfStatus.VERIFIED, CrfStatus.SIGNED):
        raise ValidationError(_("Only a complete form can be verified."))
    known = dict(form_fields(spec))
    fields = list(dict.fromkeys(fields))
    unknown = [name for name in fields if name not in known]
    if unknown:
        raise ValidationError(_("Not a field of this form: %(names)s.") % {"names": unknown})
    state = _state(spec, current, required=True)
    targets = [name for name in fields if name not in state.verified_fields] if fields else [""]
    if not fields and state.whole is not None:
        raise ValidationError(_("This form is already verified."))
    if not targets:
        raise ValidationError(_("These fields are already verified."))
    for name in targets:
        audited_create(
            SourceVerification(
                subject=current.subject,
                crf_code=spec.code,
                visit_code=current.visit_code,
                form_id=current.pk,
                field_name=name,
                form_version=current.row_version,
                verified_by=actor,
                verified_at=now,
            ),
            actor=actor,
            reason=f"Source data verified: {name or 'whole form'}",
        )
    if current.status == CrfStatus.COMPLETE and source_verified(spec, current):
        current = _set_status(
            current, CrfStatus.VERIFIED, actor=actor, reason="Source data verified"
        )
    return current


def drop_after_change(
    instance: CrfModel, *, changed_fields: Iterable[str], actor, reason: str, now: dt.datetime
) -> None:
    """A correction undoes the whole-form mark and the marks of the fields it changed (in the
    correction's transaction); the marks of unchanged fields stand."""
    changed = set(changed_fields)
    marks = SourceVerification.objects.filter(form_id=instance.pk, dropped_at__isnull=True)
    for mark in marks:
        if mark.field_name and mark.field_name not in changed:
            continue
        audited_update(
            mark,
            actor=actor,
            reason=f"Changed after verification: {reason}",
            changes={"dropped_at": now, "dropped_reason": reason},
            expected_version=None,
        )


# --- Protocol forms that are pages, not registered CRFs (the eligibility decision): the app that
# owns the page says where its saved records are; they are verified as a whole on that page.


@dataclass(frozen=True)
class SdvRecords:
    """A protocol form kept as records of its own: `rows(definition, subject ids)` gives
    (record id, subject id, visit code, row version) of the saved ones; `page(subject)` is where
    a monitor checks and verifies them."""

    model: type[AuditedModel]
    rows: Callable[
        [ProtocolDefinition, Iterable[uuid.UUID]],
        Iterable[tuple[uuid.UUID, uuid.UUID, str, int]],
    ]
    page: Callable[[Subject], str]


_record_sources: dict[str, SdvRecords] = {}


def register_sdv_records(code: str, source: SdvRecords) -> None:
    _record_sources[code] = source


def record_sdv(
    definition: ProtocolDefinition, code: str, subject: Subject
) -> list[tuple[uuid.UUID, SourceVerification | None]]:
    """The subject's saved records of a page form, each with the mark standing on it."""
    source = _record_sources[code]
    ids = [pk for pk, _subject, _visit, _version in source.rows(definition, [subject.pk])]
    marks = {
        m.form_id: m
        for m in SourceVerification.objects.filter(
            form_id__in=ids, dropped_at__isnull=True
        ).select_related("verified_by")
    }
    return [(pk, marks.get(pk)) for pk in ids]


@transaction.atomic
def verify_record(
    definition: ProtocolDefinition,
    code: str,
    subject: Subject,
    record_id: uuid.UUID,
    *,
    actor: AbstractBaseUser,
    now: dt.datetime,
) -> SourceVerification:
    """Mark a page form's record verified as a whole, at its current version."""
    source = _record_sources[code]
    rows = source.rows(definition, [subject.pk])
    saved = {pk: (visit, version) for pk, _s, visit, version in rows}
    if record_id not in saved:
        raise ValidationError(_("There is no such saved record to verify."))
    source.model.objects.select_for_update().filter(pk=record_id).get()
    if SourceVerification.objects.filter(form_id=record_id, dropped_at__isnull=True).exists():
        raise ValidationError(_("This record is already verified."))
    visit_code, version = saved[record_id]
    return audited_create(
        SourceVerification(
            subject=subject,
            crf_code=code,
            visit_code=visit_code,
            form_id=record_id,
            field_name="",
            form_version=version,
            verified_by=actor,
            verified_at=now,
        ),
        actor=actor,
        reason="Source data verified: whole form",
    )


# --- The monitors' lists: every saved form of the sites in view, in a fixed number of queries.


@dataclass(frozen=True)
class SdvItem:
    subject: Subject
    crf_code: str
    visit_code: str
    form_id: uuid.UUID
    status: str
    required: bool
    verified: bool
    repeating: bool
    crf_name: str
    page: str = ""  # a page form's record (edc.sdv.SdvRecords): verified on that page

    @property
    def status_label(self) -> str:
        return str(CRF_STATUS_LABELS[CrfStatus(self.status)])

    @property
    def url(self) -> str:
        if self.page:
            return self.page
        args = [self.subject.study.registry_id, self.subject.pk, self.visit_code, self.crf_code]
        if self.repeating:
            return reverse("edc:crf-row", args=[*args, self.form_id])
        return reverse("edc:crf", args=args)

    @property
    def verify_url(self) -> str:
        if self.page:
            return f"{self.page}#sdv"
        args = [self.subject.study.registry_id, self.subject.pk, self.visit_code, self.crf_code]
        return reverse("edc:crf-verify", args=[*args, self.form_id])


def sdv_items(
    definition: ProtocolDefinition, subjects: Iterable[Subject], lang: str = "en"
) -> list[SdvItem]:
    """Every saved (non-draft) registered form of the subjects and every saved record of a page
    form (the eligibility decision), with whether it needs and has verification: one query per
    form kind plus one for the marks, whatever the number of subjects or forms (an early-phase
    trial's forms fit in memory)."""
    # Imported here: edc.models imports this module, and the casebook needs the models loaded.
    from edc.casebook import crf_display_name

    by_id = {s.pk: s for s in subjects}
    codes = {c.code for c in definition.crfs}
    marks: dict[uuid.UUID, tuple[bool, set[str]]] = defaultdict(lambda: (False, set()))
    for form_id, name in SourceVerification.objects.filter(
        subject_id__in=by_id, dropped_at__isnull=True
    ).values_list("form_id", "field_name"):
        whole, names = marks[form_id]
        marks[form_id] = (whole or not name, names | ({name} if name else set()))
    items = []
    for spec in registered_specs():
        if spec.code not in codes:
            continue
        field_names = [name for name, _label in form_fields(spec)]
        crf_name = crf_display_name(definition, spec.code, lang)
        rows = (
            spec.model.objects.filter(subject_id__in=by_id)
            .exclude(status=CrfStatus.DRAFT)
            .values_list("pk", "subject_id", "visit_code", "status")
        )
        for pk, subject_id, visit_code, status in rows:
            subject = by_id[subject_id]
            whole, names = marks.get(pk, (False, set()))
            items.append(
                SdvItem(
                    subject=subject,
                    crf_code=spec.code,
                    visit_code=visit_code,
                    form_id=pk,
                    status=status,
                    required=_required(
                        definition, subject.study.registry_id, subject_id, spec.code
                    ),
                    verified=is_source_verified(
                        whole_form=whole, fields=field_names, verified_fields=names
                    ),
                    repeating=spec.repeating,
                    crf_name=crf_name,
                )
            )
    for code, source in _record_sources.items():
        if code not in codes:
            continue
        crf_name = crf_display_name(definition, code, lang)
        for pk, subject_id, visit_code, _version in source.rows(definition, list(by_id)):
            subject = by_id[subject_id]
            whole, _names = marks.get(pk, (False, set()))
            items.append(
                SdvItem(
                    subject=subject,
                    crf_code=code,
                    visit_code=visit_code,
                    form_id=pk,
                    status=CrfStatus.VERIFIED if whole else CrfStatus.COMPLETE,
                    required=_required(definition, subject.study.registry_id, subject_id, code),
                    verified=whole,
                    repeating=False,
                    crf_name=crf_name,
                    page=source.page(subject),
                )
            )
    visit_order = {v.code: i for i, v in enumerate(definition.visits)}
    items.sort(
        key=lambda i: (
            i.subject.study_site.site_number,
            i.subject.screening_number,
            visit_order.get(i.visit_code, len(visit_order)),
            i.crf_code,
        )
    )
    return items


@dataclass
class SdvProgressRow:
    label: str
    progress: Progress = field(default_factory=lambda: Progress(0, 0))
    subject: Subject | None = None


def sdv_progress(items: Iterable[SdvItem]) -> tuple[list[SdvProgressRow], list[SdvProgressRow]]:
    """Required vs verified forms per site and per subject (subjects with no saved form have
    nothing to verify and are not listed)."""
    sites: dict[uuid.UUID, SdvProgressRow] = {}
    subjects: dict[uuid.UUID, SdvProgressRow] = {}
    for item in items:
        step = Progress(int(item.required), int(item.required and item.verified))
        site = item.subject.study_site
        sites.setdefault(site.pk, SdvProgressRow(label=str(site))).progress += step
        row = subjects.setdefault(
            item.subject.pk, SdvProgressRow(label=str(item.subject), subject=item.subject)
        )
        row.progress += step
    return list(sites.values()), list(subjects.values())
