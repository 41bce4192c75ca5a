"""Append-only history tables on PostgreSQL (21 CFR 11.10(e): audit trails must not be altered).

Two guards, both re-applied after every `migrate` (post_migrate, edc/apps.py), so a table that a
later migration adds is covered as soon as it exists:

- Statement triggers on every simple-history table (`<app>_historical<model>`) reject any UPDATE,
  DELETE or TRUNCATE statement, whoever runs it (ORM, raw SQL, psql), even one that matches no row.
  They are `ENABLE ALWAYS`, so `session_replication_role = replica` does not switch them off.
  Migration edc/0002 installed them first.
- Grants: the application's login role (`EDC_DB_APP_ROLE`) owns nothing, so it can neither drop
  nor disable a trigger; it may only SELECT and INSERT history rows, and has no TRUNCATE anywhere.
  `migrate` runs as the owner role (deploy/postgres/roles.sql creates both roles).

The access log (edc_accesslog, 21 CFR 11.300(d)) is append-only in the same way, and so is the
hash chain over the history rows (edc_audit_chain, edc/audit_chain.py), which the application
role may only read: its links are written by a SECURITY DEFINER trigger.

Only the test runner's teardown may TRUNCATE, and only in a database named test_* with the session
flag edc.test_teardown=on that edc/settings/test.py sets; a production database never matches both.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction

from edc.audit_chain import CHAIN_TABLE, install_chain_triggers

INSTALL_SQL = r"""
CREATE OR REPLACE FUNCTION edc_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND current_database() LIKE 'test\_%'
       AND current_setting('edc.test_teardown', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit trail is append-only: % on % denied', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DO $$
DECLARE t record;
BEGIN
    FOR t IN
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname = current_schema()
          AND (c.relname LIKE '%\_historical%'
               OR c.relname IN ('edc_accesslog', 'edc_audit_chain'))
    LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER edc_append_only_change BEFORE UPDATE OR DELETE'
                       ' ON %I FOR EACH STATEMENT EXECUTE FUNCTION edc_audit_append_only()',
                       t.relname);
        EXECUTE format('CREATE OR REPLACE TRIGGER edc_append_only_truncate BEFORE TRUNCATE'
                       ' ON %I FOR EACH STATEMENT EXECUTE FUNCTION edc_audit_append_only()',
                       t.relname);
        EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER edc_append_only_change', t.relname);
        EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER edc_append_only_truncate', t.relname);
    END LOOP;
END;
$$;
"""

# Run by the owner (whoever runs `migrate`); the role's name comes in through edc.app_role so that
# it is bound as a parameter, never pasted into SQL. REVOKE ALL first: a re-run also takes away
# whatever was granted by hand.
GRANT_SQL = r"""
DO $$
DECLARE
    app text := current_setting('edc.app_role');
    t record;
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), app);
    EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM %I', current_schema(), app);
    FOR t IN
        SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'S') AND n.nspname = current_schema()
    LOOP
        EXECUTE format('REVOKE ALL ON %I FROM %I', t.relname, app);
        IF t.relkind = 'S' THEN
            EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %I TO %I', t.relname, app);
        ELSIF t.relname LIKE '%\_historical%' OR t.relname = 'edc_accesslog' THEN
            EXECUTE format('GRANT SELECT, INSERT ON TABLE %I TO %I', t.relname, app);
        ELSIF t.relname IN ('django_migrations', 'edc_audit_chain') THEN
            EXECUTE format('GRANT SELECT ON TABLE %I TO %I', t.relname, app);
        ELSE
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE %I TO %I',
                           t.relname, app);
        END IF;
    END LOOP;
END;
$$;
"""


def history_tables() -> list[str]:
    """The table of every simple-history model of the installed apps."""
    return sorted(m._meta.db_table for m in apps.get_models() if getattr(m, "instance_type", None))


def appendable_tables() -> list[str]:
    """The append-only tables the application may insert into: history and the access log."""
    return [*history_tables(), "edc_accesslog"]


def append_only_tables() -> list[str]:
    """Every table the triggers keep append-only: history, the access log and the hash chain
    (the `LIKE '%\\_historical%' OR relname IN (...)` of the SQL above)."""
    return [*appendable_tables(), CHAIN_TABLE]


def install_append_only_triggers(using: str = "default") -> None:
    """Create or replace the append-only and hash-chain triggers on every history table;
    idempotent, PostgreSQL only."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(INSTALL_SQL)
        install_chain_triggers(using)


def grant_app_role(using: str = "default") -> bool:
    """Give the application role exactly its privileges on every table; PostgreSQL only.

    Returns False, changing nothing, where the role does not exist (SQLite, or a cluster whose
    roles were not set up): then the application connects as whatever DATABASE_URL says.
    Refuses to run as the application role itself: its own grants cannot be taken away by
    itself, and the owner's work (triggers, tables) would fail with a less helpful error.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    role = settings.EDC_DB_APP_ROLE
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT current_user = %s FROM pg_roles WHERE rolname = %s", [role, role])
        row = cursor.fetchone()
        if row is None:
            return False
        if row[0]:
            raise ImproperlyConfigured(
                f"migrate is running as the application role {role}: run it as the owner "
                "role (DATABASE_URL=$DATABASE_OWNER_URL python manage.py migrate)."
            )
        cursor.execute("SELECT set_config('edc.app_role', %s, true)", [role])
        cursor.execute(GRANT_SQL)
    return True
