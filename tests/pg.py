"""Reach the PostgreSQL test database from outside Django: psql, pg_dump, other logins."""

from __future__ import annotations

import os

import psycopg
from django.db import connection

PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


def libpq_env(dbname: str | None = None) -> dict[str, str]:
    """The environment that points psql, pg_dump and pg_restore at the test database."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": db["HOST"] or "",
        "PGPORT": str(db["PORT"] or 5432),
        "PGUSER": db["USER"] or "",
        "PGDATABASE": dbname or db["NAME"],
    }
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def connect(*, user: str | None = None, dbname: str | None = None) -> psycopg.Connection:
    """An autocommit connection to the test database (or `dbname`), as the test user or `user`."""
    env = libpq_env(dbname)
    return psycopg.connect(
        host=env["PGHOST"],
        port=env["PGPORT"],
        dbname=env["PGDATABASE"],
        user=user or env["PGUSER"],
        password=env.get("PGPASSWORD") if user is None else None,
        autocommit=True,
    )


def table_privileges(cursor, role: str, table: str) -> set[str]:
    """The privileges `role` holds on `table`, as PostgreSQL itself answers."""
    cursor.execute(
        "SELECT p FROM unnest(%s::text[]) AS p WHERE has_table_privilege(%s, %s::regclass, p)",
        [list(PRIVILEGES), role, table],
    )
    return {row[0] for row in cursor.fetchall()}
