"""Connected as the application role, no statement can change or remove a history row.

The refusals come from PostgreSQL's privileges (the role owns nothing and holds only SELECT and
INSERT on history tables), not from the append-only triggers, which stand behind them.
"""

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from edc.audit_chain import CHAIN_TABLE
from edc.audit_sql import append_only_tables, grant_app_role
from edc.models import Site
from tests.edc.factories import SiteFactory
from tests.pg import connect, table_privileges

pytestmark = pytest.mark.postgres

REWRITE = "UPDATE {t} SET id = id"  # a column of every append-only table

# Each attempt is a list of statements; every one of them must be refused.
ATTEMPTS = {
    "update": [REWRITE],
    "delete": ["DELETE FROM {t}"],
    "truncate": ["TRUNCATE {t}"],
    "replica mode, then update": ["SET session_replication_role = replica", REWRITE],
    "disable the trigger": ["ALTER TABLE {t} DISABLE TRIGGER edc_append_only_change"],
    "disable all triggers": ["ALTER TABLE {t} DISABLE TRIGGER ALL"],
    "drop the trigger": ["DROP TRIGGER edc_append_only_change ON {t}"],
    "take ownership": ["ALTER TABLE {t} OWNER TO CURRENT_USER"],
    "drop the table": ["DROP TABLE {t}"],
    "defuse the trigger function": [
        "CREATE OR REPLACE FUNCTION edc_audit_append_only() RETURNS trigger"
        " LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$"
    ],
}


@pytest.fixture
def as_app(app_role):
    """A cursor on the test database, logged in as the application role (autocommit)."""
    with connect(user=app_role) as conn, conn.cursor() as cursor:
        yield cursor


@pytest.mark.parametrize("statements", ATTEMPTS.values(), ids=ATTEMPTS.keys())
def test_app_role_cannot_change_history(as_app, statements):
    for table in append_only_tables():
        for statement in statements:
            with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
                as_app.execute(statement.format(t=connection.ops.quote_name(table)))
            assert "append-only" not in str(refused.value), (table, "only the trigger refused")


def test_app_role_is_no_superuser_and_owns_nothing(as_app):
    as_app.execute(
        "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles"
        " WHERE rolname = current_user"
    )
    assert as_app.fetchone() == (False, False, False, False)
    as_app.execute("SELECT count(*) FROM pg_class WHERE relowner = current_user::regrole")
    assert as_app.fetchone() == (0,)


@pytest.mark.django_db
def test_app_role_may_only_read_and_append_history(app_role):
    with connection.cursor() as cursor:
        held = {t: table_privileges(cursor, app_role, t) for t in append_only_tables()}
    assert held == {
        t: {"SELECT"} if t == CHAIN_TABLE else {"SELECT", "INSERT"} for t in append_only_tables()
    }


@pytest.mark.django_db
def test_app_role_reads_and_writes_other_tables_but_never_truncates(app_role):
    with connection.cursor() as cursor:
        others = set(connection.introspection.table_names(cursor)) - set(append_only_tables())
        held = {t: table_privileges(cursor, app_role, t) for t in others}
    crud = {"SELECT", "INSERT", "UPDATE", "DELETE"}
    assert held == {t: {"SELECT"} if t == "django_migrations" else crud for t in others}


@pytest.mark.django_db
def test_app_role_enters_and_corrects_data_with_its_history(app_role):
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {connection.ops.quote_name(app_role)}")
    site = SiteFactory(name="Hospital A")
    site.name, site._change_reason = "Hospital B", "Typo in the name"
    site.save()
    assert [h.name for h in Site.history.filter(id=site.id).order_by("history_date")] == [
        "Hospital A",
        "Hospital B",
    ]


@pytest.mark.django_db
def test_app_role_creates_changes_and_deletes_ordinary_rows(app_role):
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {connection.ops.quote_name(app_role)}")
    session = SessionStore()
    session["step"] = 1
    session.create()
    session["step"] = 2
    session.save()
    session.delete()
    assert not SessionStore().exists(session.session_key)


@pytest.mark.django_db
def test_every_append_only_trigger_fires_always():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger"
            " WHERE tgname LIKE 'edc_append_only_%%'"
        )
        triggers = {(table, name): enabled for table, name, enabled in cursor.fetchall()}
    assert triggers == {
        (t, name): "A"
        for t in append_only_tables()
        for name in ("edc_append_only_change", "edc_append_only_truncate")
    }


@pytest.fixture
def tables_added_after_migrate(app_role):
    """A history table and an ordinary one created outside a migration, then `migrate` run."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE edc_historicallater (history_id bigint PRIMARY KEY)")
        cursor.execute("CREATE TABLE edc_later (id bigint PRIMARY KEY)")
    call_command("migrate", verbosity=0)
    return "edc_historicallater", "edc_later"


@pytest.mark.django_db
def test_migrate_grants_a_later_history_table_select_and_insert_only(
    app_role, tables_added_after_migrate
):
    history, _ordinary = tables_added_after_migrate
    with connection.cursor() as cursor:
        assert table_privileges(cursor, app_role, history) == {"SELECT", "INSERT"}


@pytest.mark.django_db
def test_migrate_grants_a_later_ordinary_table_reads_and_writes(
    app_role, tables_added_after_migrate
):
    _history, ordinary = tables_added_after_migrate
    with connection.cursor() as cursor:
        assert table_privileges(cursor, app_role, ordinary) == {
            "SELECT",
            "INSERT",
            "UPDATE",
            "DELETE",
        }


@pytest.mark.django_db
def test_migrate_puts_always_enabled_triggers_on_a_later_history_table(
    tables_added_after_migrate,
):
    history, _ordinary = tables_added_after_migrate
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = %s::regclass", [history]
        )
        assert dict(cursor.fetchall()) == {
            "edc_append_only_change": "A",
            "edc_append_only_truncate": "A",
            "edc_audit_chain_link": "A",
        }


@pytest.mark.django_db
def test_migrate_run_as_the_app_role_says_to_use_the_owner(app_role):
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {connection.ops.quote_name(app_role)}")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_OWNER_URL"):
        grant_app_role()


def test_app_role_cannot_forge_a_hash_chain_link(as_app):
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        as_app.execute(
            "INSERT INTO edc_audit_chain (table_name, history_id, record_id, seq, snapshot,"
            " prev_hash, row_hash) VALUES ('edc_historicalsite', '1', 'x', 1, '{}', '', '')"
        )


def test_app_role_cannot_call_the_chain_function_with_a_forged_row(as_app):
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        as_app.execute("SELECT edc_audit_chain_append('edc_historicalsite', '{\"id\": 1}')")
