"""Run code that reads the ORM as if the database were as it stood at a past moment.

The SDTM mappers of the clinical apps query live tables (`Infusion.objects.filter(...)`), and the
core does not know their queries. To give them a data cut, every history-tracked table is
shadowed, for the length of a `with` block on this connection, by a temporary table of the same
name holding its rows as of the cut (`edc.dataset_files.as_of_rows`, the rule the CSV files
follow): PostgreSQL and SQLite both look up an unqualified table name in the session's temporary
schema first. The shadows also leave out what no export may carry: the subject's initials and
date of birth, and the free-text fields the protocol marks identifying. Nothing is written, and
the shadows are dropped when the block ends, also on error.

Only reads may happen inside the block; the temporary tables have no constraints or indexes,
which is fine for the few thousand rows of an early-phase study.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.apps import apps
from django.db import connection, models, transaction

from edc.crfs import registered_specs
from edc.dataset_files import _child_relations, as_of_rows
from edc.models import Subject


def _tracked_models() -> list[type[models.Model]]:
    """History-tracked models whose history rows hold every column of the live row (the user
    model's history leaves the password out: users are not shadowed)."""
    tracked = []
    for model in apps.get_models():
        manager = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager is None or model._meta.proxy:
            continue
        history_columns = {f.column for f in getattr(model, manager).model._meta.concrete_fields}
        if {f.column for f in model._meta.concrete_fields} <= history_columns:
            tracked.append(model)
    return tracked


def _blanked(identifying: Mapping[str, frozenset[str]]) -> dict[type[models.Model], set[str]]:
    """Model -> field names written blank in its shadow."""
    blanked: dict[type[models.Model], set[str]] = {Subject: set(Subject.PERSONAL_DATA_FIELDS)}
    for spec in registered_specs():
        names = identifying.get(spec.code, frozenset())
        if not names:
            continue
        for model in (spec.model, *(rel.related_model for rel in _child_relations(spec))):
            own = {f.name for f in model._meta.concrete_fields}
            blanked.setdefault(model, set()).update(names & own)
    return blanked


def _select(model: type[models.Model], as_of: dt.datetime, blank: set[str]) -> tuple[str, list]:
    fields = model._meta.concrete_fields
    inner, params = (
        as_of_rows(model, as_of).values_list(*(f.attname for f in fields)).query.sql_with_params()
    )
    quote = connection.ops.quote_name
    columns = []
    for f in fields:
        if f.name not in blank:
            columns.append(f"s.{quote(f.column)}")
        elif isinstance(f, models.CharField | models.TextField):
            columns.append(f"'' AS {quote(f.column)}")
        else:
            columns.append(f"NULL AS {quote(f.column)}")
    return f"SELECT {', '.join(columns)} FROM ({inner}) s", list(params)


@contextmanager
def as_of_snapshot(as_of: dt.datetime, identifying: Mapping[str, frozenset[str]]) -> Iterator[None]:
    """Inside the block, the ORM on the default connection reads every history-tracked table as
    it stood at `as_of`, de-identified."""
    blanked = _blanked(identifying)
    quote = connection.ops.quote_name
    shadowed: list[str] = []
    try:
        # A savepoint, so that a failure inside rolls back to it and drops the shadows with it
        # (an aborted PostgreSQL transaction would refuse the DROP below).
        with transaction.atomic():
            with connection.cursor() as cursor:
                for model in _tracked_models():
                    sql, params = _select(model, as_of, blanked.get(model, set()))
                    table = quote(model._meta.db_table)
                    cursor.execute(f"CREATE TEMPORARY TABLE {table} AS {sql}", params)
                    shadowed.append(table)
            yield
    finally:
        with connection.cursor() as cursor:
            for table in shadowed:
                # Only ever the temporary table: the live table is never named without it.
                schema = "pg_temp" if connection.vendor == "postgresql" else "temp"
                cursor.execute(f"DROP TABLE IF EXISTS {schema}.{table}")
