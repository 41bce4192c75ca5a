"""Indexes the audit-trail browser needs on every history table it reads (edc/audit_trail.py).

The trail reads each history table newest first and stops after a page: with a million history
rows that is an index scan only if an index has the trail's order (time, then history id), also
after the subject, user or record it is narrowed to. The tables are found the way the trail
finds them (every subject-owned model, plus the dataset exports), so a model another app adds
gets its indexes at the next `migrate` without a migration of its own; like the append-only
triggers (edc/audit_sql.py) they are installed after every `migrate`.
"""

from __future__ import annotations

import hashlib

from django.db import connections

# (name suffix, columns after the narrowing column, or the whole key when there is none)
_ORDER = "history_date DESC, history_id DESC"


def _name(table: str, suffix: str) -> str:
    """A name within PostgreSQL's 63 characters, stable for the table."""
    return f"trail_{hashlib.sha256(table.encode()).hexdigest()[:12]}_{suffix}"


def trail_index_statements() -> list[str]:
    from edc.audit_trail import trail_sources

    statements = []
    for history, narrowing in trail_sources():
        table = history._meta.db_table
        keys = {"t": _ORDER, "u": f"history_user_id, {_ORDER}"}
        if narrowing:
            keys["s"] = f"{narrowing}, {_ORDER}"
        for suffix, columns in keys.items():
            statements.append(
                f'CREATE INDEX IF NOT EXISTS "{_name(table, suffix)}" ON "{table}" ({columns})'
            )
    return statements


def install_trail_indexes(using: str = "default") -> None:
    with connections[using].cursor() as cursor:
        for statement in trail_index_statements():
            cursor.execute(statement)
