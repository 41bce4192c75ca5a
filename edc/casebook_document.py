"""The printable casebook of one subject: every record with data, visit by visit, with what was
derived from it, and the subject's audit trail as an appendix.

It is built from the registries, never from a clinical app: the CRF registry says which records
are forms of which visit (and what was derived from them), and `subject_owned_models` finds every
other audited record of the subject (eligibility judgements, adverse events, episodes, dosing
decisions, ...). A record whose path to the subject runs through another record (a lab result
through its panel) is printed inside that record. So a form an app adds later is printed without
a change here.

Rendering is edc/casebook_pdf.py; this module only decides what the casebook says.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from edc import audit_trail
from edc.casebook import crf_display_name, localised
from edc.crfs import extra_visits, registered_specs
from edc.data_queries import UNRESOLVED, Query, QueryMessage
from edc.derived import DerivedValue, derived_values
from edc.domain.protocol import ProtocolDefinition
from edc.models import Subject
from edc.signatures import Signature, SignedForm, subject_signatures
from edc.time_display import zoned_text

EMPTY = "—"
# Longer values on the trail (a JSON snapshot) are cut on paper; the CSV export has them whole.
TRAIL_VALUE_MAX = 300


def _short(value: str) -> str:
    if len(value) <= TRAIL_VALUE_MAX:
        return value
    return _("%(start)s… (%(n)d characters; whole in the audit-trail CSV)") % {
        "start": value[:TRAIL_VALUE_MAX],
        "n": len(value),
    }


@dataclass
class RecordBlock:
    """One saved record: its title, its fields as read, what was derived, and its child rows."""

    title: str
    fields: list[tuple[str, str]]
    derived: list[DerivedValue] = field(default_factory=list)
    children: list[RecordBlock] = field(default_factory=list)


@dataclass
class VisitBlock:
    name: str
    records: list[RecordBlock]


@dataclass(frozen=True)
class SignatureLine:
    printed_name: str
    role: str
    signed_at: str  # site time, labelled
    meaning: str  # in the reader's language
    scope: str
    invalidated: str  # "" while valid; else when and why


@dataclass(frozen=True)
class QueryLine:
    visit: str
    form: str
    field: str
    status: str
    age_days: int
    last_message: str


@dataclass
class CasebookDocument:
    subject: Subject
    study_title: str
    site_name: str
    header: list[tuple[str, str]]
    signatures: list[SignatureLine]
    open_queries: list[QueryLine]
    visits: list[VisitBlock]
    other_records: list[RecordBlock]
    trail: list[audit_trail.TrailEntry] | None  # None: the reader may not see the trail
    printed: str


# Printed in their own sections (signatures first, open queries after the header), not again
# among the other records.
_OWN_SECTIONS = (Signature, SignedForm, Query, QueryMessage)


@dataclass
class _Row:
    model: type[models.Model]
    row: Any
    block: RecordBlock
    parent_key: tuple[type, Any] | None


def _shown_fields(owned: audit_trail.SubjectOwned) -> list[models.Field]:
    """The fields a reader needs: not bookkeeping, not the link to the subject or parent."""
    first_hop = owned.path.split(".")[0]
    return [
        f
        for f in owned.model._meta.concrete_fields
        if f.name not in audit_trail.BOOKKEEPING
        and f.name not in {first_hop, "visit_code"}
        # Machine-kept JSON (an eligibility snapshot, a rule's inputs) is evidence for the
        # software, not data a person entered; its readable parts are other records' fields.
        and not isinstance(f, models.JSONField)
    ]


def _parent(owned: audit_trail.SubjectOwned, row: Any) -> tuple[type, Any] | None:
    """(parent model, parent pk) for a record reached through another record, else None."""
    hops = owned.path.split(".")
    if len(hops) < 2:
        return None
    link = owned.model._meta.get_field(hops[0])
    return link.related_model, getattr(row, link.attname)


def _collect(subject: Subject, show_personal_data: bool, zone: dt.tzinfo) -> list[_Row]:
    owned = [
        o
        for o in audit_trail.subject_owned_models().values()
        if o.model is not Subject and not issubclass(o.model, _OWN_SECTIONS)
    ]
    fields = {o.model: _shown_fields(o) for o in owned}
    fetched = [
        (o, row)
        for o in owned
        for row in o.model.objects.filter(**{o.lookup("pk"): subject.pk}).order_by("created_at")
    ]
    reader = audit_trail.ValueReader([(o.model, row) for o, row in fetched], fields)
    rows = []
    for o, row in fetched:
        masked = _masked(o.model, show_personal_data)
        block = RecordBlock(
            title=capfirst(str(o.model._meta.verbose_name)),
            fields=_lines(reader, fields[o.model], row, masked, zone),
        )
        rows.append(_Row(o.model, row, block, _parent(o, row)))
    return rows


def _masked(model: type[models.Model], show_personal_data: bool) -> frozenset[str]:
    return (
        frozenset() if show_personal_data else getattr(model, "PERSONAL_DATA_FIELDS", frozenset())
    )


def _lines(
    reader: audit_trail.ValueReader,
    fields: list[models.Field],
    row: Any,
    masked: frozenset[str],
    zone: dt.tzinfo,
) -> list[tuple[str, str]]:
    """(label, value as read) of each field; personal data masked where the reader may not
    see them, an empty field shown as a dash (a casebook shows what was left blank)."""
    return [
        (
            capfirst(str(f.verbose_name)),
            audit_trail.MASK
            if f.name in masked
            else reader.show(f, getattr(row, f.attname), zone) or EMPTY,
        )
        for f in fields
    ]


def _signatures(subject: Subject, zone: dt.tzinfo) -> list[SignatureLine]:
    return [
        SignatureLine(
            printed_name=sig.printed_name,
            role=sig.get_role_display(),
            signed_at=zoned_text(sig.signed_at, zone),
            meaning=sig.meaning_display,
            scope=" ".join(filter(None, (sig.get_scope_display(), sig.visit_code, sig.crf_code))),
            invalidated=""
            if sig.is_valid
            else _("Invalidated %(when)s: %(why)s")
            % {"when": zoned_text(sig.invalidated_at, zone), "why": sig.invalidated_reason},
        )
        for sig in subject_signatures(subject)
    ]


def _open_queries(
    subject: Subject, definition: ProtocolDefinition, lang: str, today: dt.date
) -> list[QueryLine]:
    rows = (
        Query.objects.filter(subject=subject, status__in=UNRESOLVED)
        .prefetch_related("messages")
        .order_by("created_at", "pk")
    )
    lines = []
    for query in rows:
        messages = sorted(query.messages.all(), key=lambda m: (m.created_at, m.pk))
        last = messages[-1] if messages else None
        text = (
            ""
            if last is None
            else (last.text_zh if lang.startswith("zh") and last.text_zh else last.text)
        )
        lines.append(
            QueryLine(
                visit=query.visit_code,
                form=crf_display_name(definition, query.crf_code, lang),
                field=query.field_name,
                status=query.get_status_display(),
                age_days=(today - query.created_at.date()).days,
                last_message=text,
            )
        )
    return lines


def _visit_names(definition: ProtocolDefinition, subject: Subject, lang: str) -> dict[str, str]:
    names = {v.code: localised(v.name, v.name_zh, lang) for v in definition.visits}
    names.update({v.code: v.name for v in extra_visits(subject, lang)})
    return names


def casebook_document(
    subject: Subject,
    definition: ProtocolDefinition,
    *,
    lang: str,
    show_personal_data: bool,
    show_trail: bool,
    printed_by: str,
) -> CasebookDocument:
    site = subject.study_site.site
    zone = zoneinfo.ZoneInfo(site.timezone)
    rows = _collect(subject, show_personal_data, zone)
    specs = {spec.model: spec for spec in registered_specs()}
    by_key = {(r.model, r.row.pk): r for r in rows}

    # Children first inside their parents (a lab result in its panel), in entry order.
    for r in rows:
        if r.parent_key in by_key:
            by_key[r.parent_key].block.children.append(r.block)

    visit_records: dict[str, list[RecordBlock]] = defaultdict(list)
    other: list[RecordBlock] = []
    for r in rows:
        if r.parent_key is not None and r.parent_key in by_key:
            continue
        spec = specs.get(r.model)
        if spec is None:
            other.append(r.block)
            continue
        r.block.title = crf_display_name(definition, spec.code, lang)
        # Derived fields are printed once, marked derived, not among the entered ones.
        r.block.derived = derived_values(spec, r.row)
        derived = {d.label for d in r.block.derived}
        r.block.fields = [line for line in r.block.fields if line[0] not in derived]
        visit_records[r.row.visit_code].append(r.block)

    names = _visit_names(definition, subject, lang)
    order = [v.code for v in definition.visits] + [
        code for code in visit_records if code not in {v.code for v in definition.visits}
    ]
    visits = [
        VisitBlock(names.get(code, code), visit_records[code])
        for code in order
        if visit_records.get(code)
    ]
    trail = None
    if show_trail:
        trail = [
            replace(entry, changes=tuple((f, _short(o), _short(n)) for f, o, n in entry.changes))
            for entry in audit_trail.iter_entries(
                subject.study_id,
                audit_trail.subject_trail(subject),
                show_personal_data=show_personal_data,
            )
        ]
    subject_fields = [
        f for f in _shown_fields(audit_trail.SubjectOwned(Subject, "")) if f.name != "study"
    ]
    reader = audit_trail.ValueReader([(Subject, subject)], {Subject: subject_fields})
    header = _lines(reader, subject_fields, subject, _masked(Subject, show_personal_data), zone)
    study = subject.study
    today = timezone.now().astimezone(zone).date()
    return CasebookDocument(
        subject=subject,
        study_title=localised(study.title, study.title_zh, lang),
        site_name=localised(site.name, site.name_zh, lang),
        header=header,
        signatures=_signatures(subject, zone),
        open_queries=_open_queries(subject, definition, lang, today),
        visits=visits,
        other_records=other,
        trail=trail,
        printed=f"{zoned_text(timezone.now(), zone)} · {printed_by}",
    )
