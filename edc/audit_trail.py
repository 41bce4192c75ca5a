"""The audit trail as people read it: every history row of every model that belongs to a subject.

One selector serves the subject's trail page, the study-wide browser and the CSV export. It works
in two steps so that a page never loads more history than it shows:
1. `trail_rows` is one UNION over the history tables of every subject-owned model (each a few
   columns: which model, which history row, when), filtered and ordered by time in the database;
   the paginator counts it and takes one slice with LIMIT/OFFSET.
2. `trail_entries` turns the rows of that slice into entries: it fetches those history rows and
   the row before each (two queries per model on the page), the names of the related rows they
   point to and the roles of their users, and compares consecutive rows field by field.

The core never imports a clinical app: a model belongs to a subject when it is audited and either
declares its path to the subject for the clinical-dates walker (`subject_path`) or has a foreign
key named `subject` to Subject.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from edc.audit import AuditedModel
from edc.audit_reasons import reason_display
from edc.models import Membership, Subject
from edc.roles import Role
from edc.time_display import zoned_text

ACTIONS = {
    "+": gettext_lazy("created"),
    "~": gettext_lazy("changed"),
    "-": gettext_lazy("deleted"),
}
# Bookkeeping columns every audited row has; they change on every save and say nothing.
BOOKKEEPING = frozenset({"id", "created_at", "updated_at", "row_version"})
MASK = "•••"
EXPORT_CHUNK = 500


@dataclass(frozen=True)
class SubjectOwned:
    """An audited model whose rows belong to a subject, and its path to that subject."""

    model: type[AuditedModel]
    path: str  # "episode.subject"; "" for Subject itself

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def lookup(self, rest: str) -> str:
        """The ORM lookup from this model's history row to `rest` on its subject."""
        return "__".join([*filter(None, self.path.split(".")), rest])


@cache
def subject_owned_models() -> dict[str, SubjectOwned]:
    """Every audited model that holds a subject's data, by label (found once per process)."""
    found: dict[str, SubjectOwned] = {}
    for model in apps.get_models():
        if not issubclass(model, AuditedModel) or not hasattr(model, "history"):
            continue
        path = getattr(model, "subject_path", None)
        if path is None:
            field = next((f for f in model._meta.concrete_fields if f.name == "subject"), None)
            if field is None or field.related_model is not Subject:
                continue
            path = "subject"
        found[model._meta.label_lower] = SubjectOwned(model, path)
    return found


def form_choices() -> list[tuple[str, str]]:
    """(label, name in the reader's language) of every subject-owned model, for a filter."""
    owned = subject_owned_models().values()
    return sorted(((o.label, str(o.model._meta.verbose_name)) for o in owned), key=lambda c: c[1])


def field_choices(form: str) -> list[tuple[str, str]]:
    owned = subject_owned_models().get(form)
    if owned is None:
        return []
    return [(f.name, str(f.verbose_name)) for f in _audited_fields(owned.model)]


def _audited_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in BOOKKEEPING]


@dataclass(frozen=True)
class TrailFilter:
    """What the browser narrows the trail to; every part optional."""

    subject_id: uuid.UUID | None = None
    study_site_ids: frozenset[uuid.UUID] | None = None  # None: every site
    subject_number: str = ""
    form: str = ""
    field: str = ""
    user_id: int | None = None
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _changed(owned: SubjectOwned, history: QuerySet, field_name: str) -> QuerySet:
    """History rows where `field_name` took a new value (or the row was created)."""
    attname = owned.model._meta.get_field(field_name).attname
    before = history.model.objects.filter(
        id=OuterRef("id"), history_date__lt=OuterRef("history_date")
    ).order_by("-history_date", "-history_id")
    history = history.annotate(_before=Subquery(before.values(attname)[:1]))
    return history.filter(
        Q(history_type="+")
        | Q(_before__isnull=True, **{f"{attname}__isnull": False})
        | Q(_before__isnull=False, **{f"{attname}__isnull": True})
        | (Q(_before__isnull=False) & ~Q(**{attname: F("_before")}))
    )


def _rows_of(owned: SubjectOwned, study_id: uuid.UUID, flt: TrailFilter) -> QuerySet | None:
    history = owned.model.history.filter(**{owned.lookup("study_site__study_id"): study_id})
    if flt.subject_id is not None:
        history = history.filter(**{owned.lookup("id"): flt.subject_id})
    if flt.study_site_ids is not None:
        history = history.filter(**{f"{owned.lookup('study_site_id')}__in": flt.study_site_ids})
    if flt.subject_number:
        # Resolved to the subject's key, which every history table has an index on (a number
        # on a history row is the number as it was then).
        numbered = Subject.objects.filter(study_id=study_id, screening_number=flt.subject_number)
        history = history.filter(**{f"{owned.lookup('id')}__in": numbered.values("pk")})
    if flt.user_id is not None:
        history = history.filter(history_user_id=flt.user_id)
    if flt.action:
        history = history.filter(history_type=flt.action)
    if flt.date_from:
        history = history.filter(history_date__date__gte=flt.date_from)
    if flt.date_to:
        history = history.filter(history_date__date__lte=flt.date_to)
    if flt.field:
        if flt.field not in {f.name for f in _audited_fields(owned.model)}:
            return None
        history = _changed(owned, history, flt.field)
    # No per-table ORDER BY (the history's default): the union is ordered once, outside.
    return (
        history.order_by()
        .annotate(
            src=Value(owned.label, output_field=models.CharField()),
            hid=F("history_id"),
            at=F("history_date"),
        )
        .values_list("at", "src", "hid")
    )


def trail_rows(study_id: uuid.UUID, flt: TrailFilter) -> QuerySet:
    """(time, model label, history id) of every matching history row, newest first: one query,
    to be sliced (paged) before it is read."""
    owned = subject_owned_models()
    chosen = [owned[flt.form]] if flt.form else list(owned.values())
    parts = [qs for o in chosen if (qs := _rows_of(o, study_id, flt)) is not None]
    if not parts:
        return Subject.history.none().values_list("history_date", "history_type", "history_id")
    first, *rest = parts
    combined = first.union(*rest, all=True) if rest else first
    return combined.order_by("-at", "-src", "-hid")


@dataclass(frozen=True)
class TrailEntry:
    at: dt.datetime
    when: str  # in the site's zone, labelled
    subject: str
    form: str
    user: str  # full name
    role: str
    action: str
    reason: str
    changes: tuple[tuple[str, str, str], ...]  # (field label, old, new)

    @property
    def lines(self) -> tuple[tuple[str, str, str], ...]:
        """The changes, or one blank line for an entry without any (a deletion), so that a
        table or a CSV still shows who did it, when and why."""
        return self.changes or (("", "", ""),)


def _user_name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _roles(study_id: uuid.UUID, user_ids: set[int]) -> dict[tuple[int, Any], str]:
    """(user, study site or None) -> role label, in one query."""
    found: dict[tuple[int, Any], str] = {}
    for m in Membership.objects.filter(study_id=study_id, user_id__in=user_ids, is_active=True):
        found[(m.user_id, m.study_site_id)] = str(Role(m.role).label)
    return found


class ValueReader:
    """Shows stored values as a person reads them; related rows are fetched once per page.

    `rows` are (model, row) pairs: history rows of the trail, or current rows of the printable
    casebook; `fields` says which fields of each model will be shown.
    """

    def __init__(
        self, rows: Iterable[tuple[type, Any]], fields: dict[type, list[models.Field]]
    ) -> None:
        wanted: dict[type, set[Any]] = defaultdict(set)
        for model, record in rows:
            for field in fields[model]:
                value = getattr(record, field.attname)
                if field.is_relation and value is not None:
                    wanted[field.related_model].add(value)
        self.names = {
            model: {pk: str(row) for pk, row in model._base_manager.in_bulk(ids).items()}
            for model, ids in wanted.items()
        }

    def show(self, field: models.Field, value: Any, zone: dt.tzinfo) -> str:
        if value is None or value == "":
            return ""
        if field.is_relation:
            return self.names.get(field.related_model, {}).get(value, str(value))
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, dt.datetime):
            return zoned_text(value, zone)
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            # 55.0 in a one-decimal column was entered as 55: shown as a person wrote it.
            text = format(value, "f")
            return text.rstrip("0").rstrip(".") if "." in text else text
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        return str(value)


def _changes(
    record: Any,
    previous: Any | None,
    fields: list[models.Field],
    reader: ValueReader,
    zone: dt.tzinfo,
    masked: frozenset[str],
) -> tuple[tuple[str, str, str], ...]:
    out = []
    for field in fields:
        new = getattr(record, field.attname)
        old = None if previous is None else getattr(previous, field.attname)
        if record.history_type == "-" or new == old or (previous is None and new in (None, "")):
            continue
        if field.name in masked:
            shown = ("" if previous is None else MASK, MASK)
        else:
            shown = (reader.show(field, old, zone), reader.show(field, new, zone))
        out.append((str(field.verbose_name), *shown))
    return tuple(out)


def _records(owned: SubjectOwned, history_ids: list[int]) -> dict[int, tuple[Any, Any]]:
    """history id -> (that history row, the row of the same record before it), in two queries."""
    history = owned.model.history
    before = history.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date")).order_by(
        "-history_date", "-history_id"
    )
    rows = list(
        history.filter(history_id__in=history_ids)
        .select_related("history_user")
        .annotate(
            trail_before=Subquery(before.values("history_id")[:1]),
            trail_subject=F(owned.lookup("screening_number")),
            trail_site=F(owned.lookup("study_site_id")),
            trail_zone=F(owned.lookup("study_site__site__timezone")),
        )
    )
    earlier = history.in_bulk([r.trail_before for r in rows if r.trail_before])
    for row in rows:
        row.instance_type = owned.model
    for row in earlier.values():
        row.instance_type = owned.model
    return {r.history_id: (r, earlier.get(r.trail_before)) for r in rows}


def trail_entries(
    study_id: uuid.UUID, rows: Sequence[tuple[dt.datetime, str, int]], *, show_personal_data: bool
) -> list[TrailEntry]:
    """The entries of one slice of `trail_rows`, in its order."""
    owned = subject_owned_models()
    by_model: dict[str, list[int]] = defaultdict(list)
    for _at, label, hid in rows:
        by_model[label].append(hid)
    found = {
        (label, hid): pair
        for label, ids in by_model.items()
        for hid, pair in _records(owned[label], ids).items()
    }
    # A row's own link to the subject says nothing on the subject's trail (the Subject column does).
    fields = {
        o.model: [f for f in _audited_fields(o.model) if o.path != f.name] for o in owned.values()
    }
    pairs = [found[(label, hid)] for _at, label, hid in rows if (label, hid) in found]
    reader = ValueReader(
        [(r.instance_type, r) for pair in pairs for r in pair if r is not None], fields
    )
    roles = _roles(study_id, {r.history_user_id for r, _p in pairs if r.history_user_id})
    entries = []
    for record, previous in pairs:
        model = record.instance_type
        zone = zoneinfo.ZoneInfo(record.trail_zone)
        masked = frozenset() if show_personal_data else getattr(model, "PERSONAL_DATA_FIELDS", ())
        user_id = record.history_user_id
        role = roles.get((user_id, record.trail_site)) or roles.get((user_id, None), "")
        entries.append(
            TrailEntry(
                at=record.history_date,
                when=zoned_text(record.history_date, zone),
                subject=record.trail_subject,
                form=str(model._meta.verbose_name),
                user=_user_name(record.history_user),
                role=role,
                action=str(ACTIONS[record.history_type]),
                reason=reason_display(record.history_change_reason or ""),
                changes=_changes(record, previous, fields[model], reader, zone, frozenset(masked)),
            )
        )
    return entries


def subject_trail(subject: Subject) -> QuerySet:
    """The trail rows of one subject, to page."""
    return trail_rows(subject.study_id, TrailFilter(subject_id=subject.pk))


def iter_entries(
    study_id: uuid.UUID, rows: QuerySet, *, show_personal_data: bool
) -> Iterator[TrailEntry]:
    """Every entry of `rows`, reading a chunk of history at a time (exports, the PDF)."""
    offset = 0
    while chunk := list(rows[offset : offset + EXPORT_CHUNK]):
        yield from trail_entries(study_id, chunk, show_personal_data=show_personal_data)
        offset += EXPORT_CHUNK


def export_lines(
    study_id: uuid.UUID, rows: QuerySet, *, show_personal_data: bool
) -> Iterator[list[str]]:
    """One CSV line per changed field of every entry."""
    for e in iter_entries(study_id, rows, show_personal_data=show_personal_data):
        for label, old, new in e.lines:
            yield [e.when, e.subject, e.form, label, old, new, e.action, e.user, e.role, e.reason]


def export_header() -> list[str]:
    return [
        _("When"),
        _("Subject"),
        _("Form"),
        _("Field"),
        _("Old value"),
        _("New value"),
        _("Action"),
        _("Who"),
        _("Role"),
        _("Reason"),
    ]
