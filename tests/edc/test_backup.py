"""`make backup` and `make restore`: the demo database comes back whole, guards included."""

import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from edc.audit_chain import CHAIN_TABLE
from edc.audit_sql import append_only_tables, appendable_tables
from tests.pg import connect, libpq_env, table_privileges

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _make(target: str, database: str, **variables: str) -> None:
    """Run a Makefile target against `database` with DATABASE_URL as CI sets it."""
    env = libpq_env()
    url = f"postgres://{env['PGUSER']}@{env['PGHOST']}:{env['PGPORT']}/{database}"
    env = {**env, "DATABASE_URL": url, "DATABASE_OWNER_URL": ""}
    for inherited in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):  # an outer `make test DATABASE_URL=...`
        env.pop(inherited, None)
    args = [f"{key}={value}" for key, value in variables.items()]
    subprocess.run(
        ["make", "--no-print-directory", target, *args], env=env, cwd=settings.BASE_DIR, check=True
    )


def _snapshot(cursor, app_role: str) -> dict[str, tuple[int, set[str]]]:
    """Every table's row count and the application role's privileges on it."""
    cursor.execute(
        "SELECT relname FROM pg_class WHERE relkind = 'r'"
        " AND relnamespace = current_schema()::regnamespace ORDER BY relname"
    )
    tables = [row[0] for row in cursor.fetchall()]
    snapshot = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
        snapshot[table] = (cursor.fetchone()[0], table_privileges(cursor, app_role, table))
    return snapshot


def _always_enabled_triggers(cursor) -> set[tuple[str, str]]:
    cursor.execute(
        "SELECT tgrelid::regclass::text, tgname FROM pg_trigger"
        " WHERE tgname LIKE 'edc_append_only_%' AND tgenabled = 'A'"
    )
    return set(cursor.fetchall())


@pytest.fixture
def scratch_database():
    """The name of a fresh, empty database, dropped again after the test."""
    name = f"{connection.settings_dict['NAME']}_restored"
    quoted = connection.ops.quote_name(name)
    with connect(dbname="postgres") as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {quoted}")
        try:
            yield name
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


def test_backup_restores_every_row_trigger_and_grant(app_role, scratch_database, tmp_path: Path):
    call_command("seed_demo", "--password", "demo-Test-2026", stdout=StringIO())
    _make("backup", connection.settings_dict["NAME"], BACKUP_DIR=str(tmp_path))
    (dump,) = tmp_path.glob("edc-*.dump")

    _make("restore", scratch_database, FILE=str(dump))

    with connect() as source, connect(dbname=scratch_database) as restored:
        before, after = _snapshot(source.cursor(), app_role), _snapshot(restored.cursor(), app_role)
        triggers = _always_enabled_triggers(restored.cursor())
    assert after == before
    assert all(before[t][0] > 0 for t in ("edc_historicalsubject", "edc_subject"))
    assert all(after[t][1] == {"SELECT", "INSERT"} for t in appendable_tables())
    assert after[CHAIN_TABLE][1] == {"SELECT"}
    assert {table for table, _name in triggers} == set(append_only_tables())
