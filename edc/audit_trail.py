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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property, lru_cache, partial
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.db.models import F, Func, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.lookups import GreaterThan, LessThan
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from edc.access_log import AccessLog
from edc.audit import AuditedModel
from edc.audit_reasons import reason_display
from edc.compiled_queries import CompiledQuery, compile_with_sentinels
from edc.datasets import DatasetExport
from edc.models import Membership, Subject
from edc.roles import Role
from edc.time_display import zoned_text

ACCESS_LOG = "edc.accesslog"
EXPORTS = "edc.datasetexport"
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


def trail_labels() -> frozenset[str]:
    """The label of every source the trail reads."""
    return frozenset({*subject_owned_models(), ACCESS_LOG, EXPORTS})


def trail_sources() -> list[tuple[type[models.Model], str]]:
    """(history model, the column a trail narrows it by) of every table the trail reads: the
    indexes it needs are made from this list (edc/audit_indexes.py)."""
    sources = []
    for owned in subject_owned_models().values():
        head = owned.path.split(".")[0]
        column = owned.model._meta.get_field(head).attname if head else "id"
        sources.append((owned.model.history.model, column))
    return [*sources, (DatasetExport.history.model, "study_id")]


def form_choices(*, with_access_log: bool = False, with_exports: bool = False) -> list:
    """(label, name in the reader's language) of every source of the trail, for a filter."""
    owned = [(o.label, str(o.model._meta.verbose_name)) for o in subject_owned_models().values()]
    if with_access_log:
        owned.append((ACCESS_LOG, str(AccessLog._meta.verbose_name_plural)))
    if with_exports:
        owned.append((EXPORTS, str(DatasetExport._meta.verbose_name)))
    return sorted(owned, key=lambda c: c[1])


def action_choices(*, with_access_log: bool = False) -> list[tuple[str, str]]:
    """What an entry records: a change of data, and the access log's events when shown."""
    actions = [(k, str(v)) for k, v in ACTIONS.items()]
    return [*actions, *AccessLog.Kind.choices] if with_access_log else actions


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
    # Entries of no subject, for those who may read them (see `trail_rows`).
    with_access_log: bool = False
    with_exports: bool = False


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


class _AnyOf(Func):
    """`column = ANY(ARRAY(subquery))` on PostgreSQL, which runs the subquery once (an
    InitPlan), so each history table of the union stays a plain scan it can read newest first
    from an index (a join or IN there would make it collect every matching row first);
    `column IN (subquery)` elsewhere (SQLite, for development)."""

    arg_joiner = " IN "
    template = "%(expressions)s"
    output_field = models.BooleanField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, arg_joiner=" = ANY(ARRAY", template="%(expressions)s)"
        )


def _in(column: str, keys: QuerySet | list) -> Q | Func:
    """`column` is one of `keys`: a list the caller already read (a few subjects), or a query."""
    if isinstance(keys, list):
        return Q(**{f"{column}__in": keys})
    return _AnyOf(F(column), Subquery(keys))


def _on_subjects(model: type[models.Model], path: list[str], subjects: QuerySet | list) -> Any:
    """History rows of `model` that belong to one of `subjects` (keys), following `path` through
    the history of each row on the way: a row whose parent was deleted still has its subject."""
    if not path:
        return _in("id", subjects)
    head, *rest = path
    field = model._meta.get_field(head)
    if not rest:
        return _in(field.attname, subjects)
    parent = field.related_model
    parents = parent.history.filter(_on_subjects(parent, rest, subjects)).order_by().values("id")
    if isinstance(subjects, list):
        # Read too: a query over no subject would compile to NULL inside ANY(ARRAY(...)).
        return _in(field.attname, [row["id"] for row in parents])
    return _in(field.attname, parents)


def _subject_of(model: type[models.Model], path: list[str]) -> Any:
    """The key of the subject a history row of `model` belongs to, read through the history of
    its parents (which outlives them)."""
    if not path:
        return F("id")
    head, *rest = path
    field = model._meta.get_field(head)
    if not rest:
        return F(field.attname)
    parent = field.related_model
    found = (
        parent.history.filter(id=OuterRef(field.attname))
        .order_by()
        .annotate(trail_subject_id=_subject_of(parent, rest))
        .values("trail_subject_id")[:1]
    )
    return Subquery(found, output_field=models.UUIDField())


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight of `day` in the reader's zone: a date filter compares times, so the index on
    the history time serves it (a cast to a date would not)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _subjects(study_id: uuid.UUID, flt: TrailFilter) -> QuerySet | list[uuid.UUID]:
    """The keys of the subjects the filter selects: read first when it names a subject (so the
    planner knows it looks for one), else a query the database runs once per history table."""
    subjects = Subject._base_manager.filter(study_id=study_id).order_by()
    if flt.subject_id is not None:
        subjects = subjects.filter(pk=flt.subject_id)
    if flt.study_site_ids is not None:
        subjects = subjects.filter(study_site_id__in=flt.study_site_ids)
    if flt.subject_number:
        subjects = subjects.filter(screening_number=flt.subject_number)
    if flt.subject_id is not None or flt.subject_number:
        return list(subjects.values_list("pk", flat=True))
    return subjects.values("pk")


def _narrowed(history: QuerySet, flt: TrailFilter) -> QuerySet:
    """The filters every source of the trail shares: who, what and when."""
    if flt.user_id is not None:
        history = history.filter(history_user_id=flt.user_id)
    if flt.action:
        history = history.filter(history_type=flt.action)
    if flt.date_from:
        history = history.filter(history_date__gte=_day_start(flt.date_from))
    if flt.date_to:
        history = history.filter(history_date__lt=_day_start(flt.date_to + dt.timedelta(days=1)))
    return history


Row = tuple[dt.datetime, str, int]  # (time, source label, key of the row in its table)


@dataclass(frozen=True)
class Cursor:
    """Where a page of the trail starts: past `row`, towards older entries or newer ones."""

    row: Row
    older: bool = True

    @property
    def token(self) -> str:
        """The cursor as a link carries it."""
        at, src, key = self.row
        return f"{at.isoformat()}|{src}|{key}"

    @classmethod
    def parse(cls, token: str, *, older: bool) -> Cursor | None:
        """The cursor a link carried, or None for one that is not (the page then starts at the
        newest entry): it only says where to start reading, so a doctored one shows no more."""
        at, _sep, rest = (token or "").partition("|")
        src, _sep, key = rest.rpartition("|")
        try:
            moment = dt.datetime.fromisoformat(at)
            number = int(key)
        except ValueError:
            return None
        if moment.tzinfo is None or src not in trail_labels() or not 0 < number < 2**63:
            return None
        return cls((moment, src, number), older=older)


@dataclass(frozen=True)
class TrailPage:
    """One page of the trail, and the cursors of the pages on either side (None at an end)."""

    rows: list[Row]
    newer: Cursor | None
    older: Cursor | None


def _text(value: str) -> Value:
    return Value(value, output_field=models.CharField())


@dataclass(frozen=True)
class Source:
    """One table the trail reads, narrowed by the filter; `at` and `key` name its time and its
    row key (a history table's, or the access log's own)."""

    label: str
    rows: QuerySet
    at: str = "history_date"
    key: str = "history_id"

    def as_rows(self, rows: QuerySet | None = None) -> QuerySet:
        return (
            (self.rows if rows is None else rows)
            .annotate(
                trail_src=_text(self.label),
                trail_key=F(self.key),
                trail_at=F(self.at),
            )
            .values_list("trail_at", "trail_src", "trail_key")
        )

    def ordered(self, cursor: Cursor | None) -> QuerySet:
        """Its rows in the trail's order from `cursor` on: newest first past an "older than"
        cursor (the order of its trail index), oldest first past a "newer than" one (the same
        index read backwards). The bound on the time alone lets the index scan start at the
        cursor instead of filtering every newer row on the way."""
        rows = self.rows
        if cursor is None:
            return rows.order_by(f"-{self.at}", f"-{self.key}")
        at, src, key = cursor.row
        # Past the cursor's row in the trail's order (time, key, then source, each descending);
        # the sources are compared in the database, which orders the union by them, and as a
        # parameter, so the SQL is the same past a row of any source (see `_compiled_page`).
        side, label_past = ("lt", LessThan) if cursor.older else ("gt", GreaterThan)
        tie = Q(**{self.at: at, self.key: key}) & Q(label_past(_text(self.label), _text(src)))
        past = Q(**{f"{self.at}__{side}": at}) | Q(**{self.at: at, f"{self.key}__{side}": key})
        rows = rows.filter(Q(**{f"{self.at}__{side}e": at}) & (past | tie))
        if cursor.older:
            return rows.order_by(f"-{self.at}", f"-{self.key}")
        return rows.order_by(self.at, self.key)


def _rows_of(owned: SubjectOwned, subjects: QuerySet | list, flt: TrailFilter) -> Source | None:
    path = [p for p in owned.path.split(".") if p]
    history = owned.model.history.filter(_on_subjects(owned.model, path, subjects))
    history = _narrowed(history, flt)
    if flt.field:
        if flt.field not in {f.name for f in _audited_fields(owned.model)}:
            return None
        history = _changed(owned, history, flt.field)
    return Source(owned.label, history.order_by())


class TrailRows:
    """The matching rows of every source of the trail, newest first, read a page at a time.

    A page asks each source for its next rows past the page's cursor (an index scan per history
    table that starts at the cursor and stops after a page) and merges them: a UNION ordered as a
    whole would make PostgreSQL sort every matching row of a million, and an offset would read
    every row before the page. So pages are "newer" and "older" of the one shown, never numbered,
    and every page costs what the first does. `chunks` walks the whole trail the same way for
    an export.
    """

    def __init__(
        self,
        sources: list[Source] | Callable[[], list[Source]],
        *,
        compiled: Callable[[int, Cursor | None], tuple[str, list] | None] | None = None,
    ) -> None:
        self._sources = sources
        self.compiled = compiled

    @cached_property
    def sources(self) -> list[Source]:
        """Built when first needed: a page with compiled SQL needs none of them."""
        return self._sources() if callable(self._sources) else self._sources

    def _rows(self, stop: int, cursor: Cursor | None) -> list[Row]:
        """The first `stop` rows past `cursor`, from the compiled SQL where there is one."""
        if self.compiled is None:
            return list(self._window(stop, cursor)) if self.sources else []
        bound = self.compiled(stop, cursor)
        if bound is None:
            return []
        with connection.cursor() as db:
            db.execute(*bound)
            return [tuple(row) for row in db.fetchall()]

    @staticmethod
    def _union(parts: list[QuerySet]) -> QuerySet:
        first, *rest = parts
        return first.union(*rest, all=True) if rest else first

    def _window(self, stop: int, cursor: Cursor | None = None) -> QuerySet:
        """The first `stop` rows past `cursor`, in its direction."""
        older = cursor is None or cursor.older
        order = ("-trail_at", "-trail_key", "-trail_src") if older else ("trail_at", "trail_key")
        if len(self.sources) == 1:
            return self.sources[0].as_rows(self.sources[0].ordered(cursor))[:stop]
        if connection.features.supports_slicing_ordering_in_compound:
            parts = [s.as_rows(s.ordered(cursor)[:stop]) for s in self.sources]
        else:  # SQLite: one ordered union (a development database has no million rows)
            parts = [s.as_rows(s.ordered(cursor).order_by()) for s in self.sources]
        if not older:
            order = (*order, "trail_src")
        return self._union(parts).order_by(*order)[:stop]

    def page(self, cursor: Cursor | None, size: int) -> TrailPage:
        """The `size` rows past `cursor` (the newest without one), newest first. A page of newer
        rows that reaches the newest entry is the first page, so pages keep their bounds."""
        rows = self._rows(size + 1, cursor)
        more = len(rows) > size
        rows = rows[:size]
        if cursor is not None and not cursor.older:
            if not more:
                return self.page(None, size)
            rows.reverse()
        further = more if cursor is None or cursor.older else True
        return TrailPage(
            rows=rows,
            newer=Cursor(rows[0], older=False) if rows and cursor is not None else None,
            older=Cursor(rows[-1]) if rows and further else None,
        )

    def chunks(self, size: int) -> Iterator[list[Row]]:
        """Every row, `size` at a time, each chunk starting past the last row of the one before."""
        cursor = None
        while chunk := self._rows(size, cursor):
            yield chunk
            cursor = Cursor(chunk[-1])

    def __iter__(self) -> Iterator[Row]:
        for chunk in self.chunks(EXPORT_CHUNK):
            yield from chunk


def _study_wide(flt: TrailFilter) -> bool:
    """Whether the filter leaves room for entries that belong to no subject or site."""
    return (
        flt.subject_id is None
        and flt.study_site_ids is None
        and not flt.subject_number
        and not flt.field
    )


def _access_log_source(study_id: uuid.UUID, flt: TrailFilter) -> Source | None:
    """Log-ins, log-outs and failures of the accounts that are (or were) members of the study,
    by the user name they gave (a failed log-in has no user)."""
    if flt.action and flt.action not in AccessLog.Kind.values:
        return None
    members = get_user_model().objects.filter(memberships__study_id=study_id).values("username")
    rows = AccessLog.objects.filter(username__in=members).order_by()
    if flt.user_id is not None:
        rows = rows.filter(
            username__in=get_user_model().objects.filter(pk=flt.user_id).values("username")
        )
    if flt.action:
        rows = rows.filter(kind=flt.action)
    if flt.date_from:
        rows = rows.filter(at__gte=_day_start(flt.date_from))
    if flt.date_to:
        rows = rows.filter(at__lt=_day_start(flt.date_to + dt.timedelta(days=1)))
    return Source(ACCESS_LOG, rows, at="at", key="id")


def _export_source(study_id: uuid.UUID, flt: TrailFilter) -> Source | None:
    if flt.action and flt.action not in ACTIONS:
        return None
    history = _narrowed(DatasetExport.history.filter(study_id=study_id), flt)
    return Source(EXPORTS, history.order_by())


def _sources(study_id: uuid.UUID, flt: TrailFilter) -> list[Source]:
    owned = subject_owned_models()
    chosen = [owned[flt.form]] if flt.form in owned else [] if flt.form else list(owned.values())
    sources = []
    if not flt.action or flt.action in ACTIONS:
        subjects = _subjects(study_id, flt)
        sources = [src for o in chosen if (src := _rows_of(o, subjects, flt)) is not None]
    if _study_wide(flt) and flt.form in ("", ACCESS_LOG) and flt.with_access_log:
        sources.append(_access_log_source(study_id, flt))
    if _study_wide(flt) and flt.form in ("", EXPORTS) and flt.with_exports:
        sources.append(_export_source(study_id, flt))
    return [s for s in sources if s is not None]


def trail_rows(study_id: uuid.UUID, flt: TrailFilter) -> TrailRows:
    """The rows of every history row that matches `flt`, to page or to export; the access log
    and the dataset exports too when the filter asks for them and is not narrowed to a subject,
    a site or a field. On PostgreSQL a filter not narrowed to a subject reads its pages with SQL
    compiled once per filter shape (see `_compiled_page`)."""
    if flt.study_site_ids == frozenset():  # no site: nothing (and no `IN ()` to compile)
        return TrailRows([])
    compiled = None
    if connection.vendor == "postgresql" and flt.subject_id is None and not flt.subject_number:
        compiled = partial(_compiled_page, study_id, flt)
    return TrailRows(
        partial(_sources, study_id, flt),
        compiled=compiled,
    )


# Values no filter holds, in place of a filter's values when a page's SQL is compiled.
_STUDY = uuid.UUID("5e471e1a-7c0d-4c1e-9a7e-d3b0a1c2e3f4")
_SITES = 0x5E471E1A_0000_4000_8000_000000000000  # the n-th site's sentinel: UUID(int=_SITES + n)
_USER = -1_734_619_325  # within a 32-bit key: Django drops a lookup past its range
_KEY = -1_734_619_326
_SRC = "~trail source~"
_AT = dt.datetime(1901, 2, 3, 4, 5, 6, 789_012, tzinfo=dt.UTC)
_FROM, _TO = dt.date(1901, 3, 4), dt.date(1901, 5, 6)

Shape = tuple  # what a page's SQL depends on: see `_shape`


def _shape(flt: TrailFilter, stop: int, cursor: Cursor | None) -> Shape:
    """Every part of a filter and cursor that changes the SQL (the rest are its values)."""
    return (
        flt.form,
        flt.field,
        flt.action,
        flt.with_access_log,
        flt.with_exports,
        None if flt.study_site_ids is None else len(flt.study_site_ids),
        flt.user_id is not None,
        flt.date_from is not None,
        flt.date_to is not None,
        None if cursor is None else cursor.older,
        stop,
    )


def _values(study_id: uuid.UUID, flt: TrailFilter, cursor: Cursor | None) -> dict:
    """The values of a filter and cursor, named as `_compiled` names their sentinels."""
    values: dict[str, Any] = {"study": study_id}
    if flt.study_site_ids is not None:
        values["sites"] = list(flt.study_site_ids)
    if flt.user_id is not None:
        values["user"] = flt.user_id
    if flt.date_from:
        values["from"] = _day_start(flt.date_from)
    if flt.date_to:
        values["to"] = _day_start(flt.date_to + dt.timedelta(days=1))
    if cursor is not None:
        values["at"], values["src"], values["key"] = cursor.row
    return values


@lru_cache(maxsize=512)
def _compiled(shape: Shape) -> CompiledQuery | None:
    """The SQL of a page of this shape, with the places of its values (None: no source)."""
    form, field, action, access_log, exports, sites, user, since, until, older, stop = shape
    flt = TrailFilter(
        study_site_ids=None
        if sites is None
        else frozenset(uuid.UUID(int=_SITES + n) for n in range(sites)),
        form=form,
        field=field,
        user_id=_USER if user else None,
        action=action,
        date_from=_FROM if since else None,
        date_to=_TO if until else None,
        with_access_log=access_log,
        with_exports=exports,
    )
    cursor = None if older is None else Cursor((_AT, _SRC, _KEY), older=older)
    sources = _sources(_STUDY, flt)
    if not sources:
        return None
    query = TrailRows(sources)._window(stop, cursor)
    return compile_with_sentinels(query, _values(_STUDY, flt, cursor))


def _compiled_page(
    study_id: uuid.UUID, flt: TrailFilter, stop: int, cursor: Cursor | None
) -> tuple[str, list] | None:
    """The SQL and parameters of the first `stop` rows past `cursor`: building and compiling the
    union of every history table in Django costs more than PostgreSQL takes to answer it, so it
    is compiled once per filter shape (edc/compiled_queries.py)."""
    compiled = _compiled(_shape(flt, stop, cursor))
    if compiled is None:
        return None
    return compiled.bind(_values(study_id, flt, cursor))


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


def trail_user_name(user: Any) -> str:
    """The full name; the account commands and tasks act as is "EDC system" in any language."""
    if user is None:
        return ""
    if user.get_username() == settings.EDC_SYSTEM_USERNAME:
        return _("EDC system")
    return user.get_full_name() or user.get_username()


def _roles(study_id: uuid.UUID, user_ids: set[int], more: QuerySet | None = None) -> dict:
    """(user, study site or None) -> role label, in one query (`more`: further user ids)."""
    who = Q(user_id__in=user_ids) | (Q(user_id__in=more) if more is not None else Q())
    if more is None and not user_ids:
        return {}
    found: dict[tuple[int, Any], str] = {}
    for m in Membership.objects.filter(who, study_id=study_id, is_active=True):
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
            model: {
                pk: str(row)  # a name (Site, Stratum) is in the reader's language
                for pk, row in model._base_manager.select_related().in_bulk(ids).items()
            }
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


def _records(
    model: type[models.Model], history_ids: list[int], path: list[str] | None
) -> dict[int, tuple[Any, Any]]:
    """history id -> (that history row, the row of the same record before it), in two queries;
    with `path`, each row knows its subject (`trail_subject_id`)."""
    history = model.history
    before = history.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date")).order_by(
        "-history_date", "-history_id"
    )
    rows = history.filter(history_id__in=history_ids).select_related("history_user")
    rows = rows.annotate(trail_before=Subquery(before.values("history_id")[:1]))
    if path is not None:
        rows = rows.annotate(trail_subject_id=_subject_of(model, path))
    rows = list(rows)
    earlier = history.in_bulk([r.trail_before for r in rows if r.trail_before])
    for row in [*rows, *earlier.values()]:
        row.instance_type = model
    return {r.history_id: (r, earlier.get(r.trail_before)) for r in rows}


def _role(roles: dict[tuple[int, Any], str], user_id: int | None, site_id: Any) -> str:
    """The user's role at the site, else study-wide, else (an entry of no site) any."""
    if user_id is None:
        return ""
    found = roles.get((user_id, site_id)) or roles.get((user_id, None))
    if found or site_id is not None:
        return found or ""
    return next((r for (u, _s), r in sorted(roles.items(), key=str) if u == user_id), "")


def _access_entries(ids: list[int], roles: dict, zone: dt.tzinfo) -> dict[int, TrailEntry]:
    entries = {}
    for row in AccessLog.objects.select_related("user").filter(pk__in=ids):
        tried = () if row.user_id else ((str(_("user name tried")), "", row.username),)
        entries[row.pk] = TrailEntry(
            at=row.at,
            when=zoned_text(row.at, zone),
            subject="",
            form=str(AccessLog._meta.verbose_name_plural),
            user=trail_user_name(row.user) if row.user_id else row.username,
            role=_role(roles, row.user_id, None),
            action=row.get_kind_display(),
            reason="",
            changes=(*tried, (str(_("address")), "", row.ip_address or "")),
        )
    return entries


def trail_entries(
    study_id: uuid.UUID, rows: Sequence[Row], *, show_personal_data: bool
) -> list[TrailEntry]:
    """The entries of one slice of `trail_rows`, in its order."""
    owned = subject_owned_models()
    by_source: dict[str, list[int]] = defaultdict(list)
    for _at, label, key in rows:
        by_source[label].append(key)
    found = {
        (label, hid): pair
        for label, ids in by_source.items()
        if label in owned
        for hid, pair in _records(
            owned[label].model, ids, [p for p in owned[label].path.split(".") if p]
        ).items()
    }
    found.update(
        ((EXPORTS, hid), pair)
        for hid, pair in _records(DatasetExport, by_source.get(EXPORTS, []), None).items()
    )
    # A row's own link to the subject says nothing on the subject's trail (the Subject column does).
    fields = {
        o.model: [f for f in _audited_fields(o.model) if o.path != f.name] for o in owned.values()
    }
    fields[DatasetExport] = [f for f in _audited_fields(DatasetExport) if f.name != "study"]
    pairs = list(found.values())
    reader = ValueReader(
        [(r.instance_type, r) for pair in pairs for r in pair if r is not None], fields
    )
    access_users = AccessLog.objects.filter(pk__in=by_source.get(ACCESS_LOG, [])).values("user_id")
    roles = _roles(
        study_id, {r.history_user_id for r, _p in pairs if r.history_user_id}, access_users
    )
    subjects = Subject._base_manager.select_related("study_site__site").in_bulk(
        {r.trail_subject_id for r, _p in pairs if hasattr(r, "trail_subject_id")}
    )
    reader_zone = timezone.get_current_timezone()
    entries = {
        (ACCESS_LOG, key): entry
        for key, entry in _access_entries(by_source.get(ACCESS_LOG, []), roles, reader_zone).items()
    }
    for (label, hid), (record, previous) in found.items():
        model = record.instance_type
        subject = subjects.get(getattr(record, "trail_subject_id", None))
        site_id = subject.study_site_id if subject else None
        zone = zoneinfo.ZoneInfo(subject.study_site.site.timezone) if subject else reader_zone
        masked = frozenset() if show_personal_data else getattr(model, "PERSONAL_DATA_FIELDS", ())
        entries[(label, hid)] = TrailEntry(
            at=record.history_date,
            when=zoned_text(record.history_date, zone),
            subject=subject.screening_number if subject else "",
            form=str(model._meta.verbose_name),
            user=trail_user_name(record.history_user),
            role=_role(roles, record.history_user_id, site_id),
            action=str(ACTIONS[record.history_type]),
            reason=reason_display(record.history_change_reason or ""),
            changes=_changes(record, previous, fields[model], reader, zone, frozenset(masked)),
        )
    return [entries[(label, key)] for _at, label, key in rows if (label, key) in entries]


def subject_trail(subject: Subject) -> TrailRows:
    """The trail rows of one subject, to page."""
    return trail_rows(subject.study_id, TrailFilter(subject_id=subject.pk))


def iter_entries(
    study_id: uuid.UUID, rows: TrailRows, *, show_personal_data: bool
) -> Iterator[TrailEntry]:
    """Every entry of `rows`, reading a chunk of history at a time (exports, the PDF)."""
    for chunk in rows.chunks(EXPORT_CHUNK):
        yield from trail_entries(study_id, chunk, show_personal_data=show_personal_data)


def export_lines(
    study_id: uuid.UUID, rows: TrailRows, *, show_personal_data: bool
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
