"""Append-only history tables on PostgreSQL (21 CFR 11.10(e): audit trails must not be altered).

Statement triggers on every simple-history table (`<app>_historical<model>`) reject any UPDATE,
DELETE or TRUNCATE statement, whoever runs it (ORM, raw SQL, psql), even one that matches no row.
Migration edc/0002 installs them; the same statement runs again after every `migrate`
(post_migrate), so a history table that a later migration adds is covered as soon as it exists.

The access log (edc_accesslog, 21 CFR 11.300(d)) is append-only in the same way.

Only the test runner's teardown may TRUNCATE, and only in a database named test_* with the session
flag edc.test_teardown=on that edc/settings/test.py sets; a production database never matches both.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connections

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
          AND (c.relname LIKE '%\_historical%' OR c.relname = 'edc_accesslog')
    LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER edc_append_only_change BEFORE UPDATE OR DELETE'
                       ' ON %I FOR EACH STATEMENT EXECUTE FUNCTION edc_audit_append_only()',
                       t.relname);
        EXECUTE format('CREATE OR REPLACE TRIGGER edc_append_only_truncate BEFORE TRUNCATE'
                       ' ON %I FOR EACH STATEMENT EXECUTE FUNCTION edc_audit_append_only()',
                       t.relname);
    END LOOP;
END;
$$;
"""


def history_tables() -> list[str]:
    """The table of every simple-history model of the installed apps."""
    return sorted(m._meta.db_table for m in apps.get_models() if getattr(m, "instance_type", None))


def install_append_only_triggers(using: str = "default") -> None:
    """Create or replace the triggers on every history table; idempotent, PostgreSQL only."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(INSTALL_SQL)
