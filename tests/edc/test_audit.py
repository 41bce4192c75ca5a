"""The audit trail: append-only on PostgreSQL, and impossible to switch off."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from edc.audit_sql import history_tables
from edc.checks import audit_trail_enabled
from edc.demo import seed_demo
from edc.models import Subject


def _denied(sql: str, params=None) -> str:
    """Run one statement as an attacker would (teardown flag off); return the database's error."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL edc.test_teardown = 'off'")
        with pytest.raises(DatabaseError) as info, transaction.atomic():
            cur.execute(sql, params)
    return str(info.value)


def test_every_audited_model_has_a_history_table():
    tables = history_tables()
    assert "edc_historicalsubject" in tables
    assert all("_historical" in t for t in tables)


@override_settings(SIMPLE_HISTORY_ENABLED=False)
def test_system_check_refuses_a_disabled_audit_trail():
    assert [e.id for e in audit_trail_enabled(None)] == ["edc.E001"]


@override_settings(SIMPLE_HISTORY_REVERT_DISABLED=False)
def test_system_check_refuses_revert_from_the_admin():
    assert [e.id for e in audit_trail_enabled(None)] == ["edc.E002"]


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    ["UPDATE {t} SET history_change_reason = 'x'", "DELETE FROM {t}", "TRUNCATE {t}"],
)
def test_history_table_rejects_changes_on_postgresql(statement):
    for table in history_tables():
        message = _denied(statement.format(t=connection.ops.quote_name(table)))
        assert "audit trail is append-only" in message, table


@pytest.mark.postgres
@pytest.mark.django_db
def test_replica_mode_does_not_switch_the_triggers_off():
    for table in history_tables():
        message = _denied(
            "SET LOCAL session_replication_role = replica; "
            f"UPDATE {connection.ops.quote_name(table)} SET history_change_reason = 'x'"
        )
        assert "audit trail is append-only" in message, table


@pytest.mark.postgres
@pytest.mark.django_db
def test_existing_history_row_survives_a_raw_update_attempt():
    seed_demo(password="x-Demo-2026", today=dt.date(2026, 5, 1))
    record = Subject.history.order_by("history_date").first()
    _denied(
        "UPDATE edc_historicalsubject SET initials = 'ZZ' WHERE history_id = %s",
        [record.history_id],
    )
    record.refresh_from_db()
    assert record.initials != "ZZ"


@pytest.mark.postgres
@pytest.mark.django_db
def test_deleting_a_user_with_audit_history_is_refused():
    seed_demo(password="x-Demo-2026", today=dt.date(2026, 5, 1))
    user = get_user_model().objects.get(username="system")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        user.delete()
