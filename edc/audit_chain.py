"""Tamper evidence for the audit trail: a SHA-256 hash chain per audited record (21 CFR 11.10(e)).

The append-only triggers (edc/audit_sql.py) stop ordinary writes to history; they cannot stop
the database owner, who may disable a trigger, edit a row and enable it again. The chain makes
such an edit visible afterwards.

How it works (PostgreSQL; installed after every `migrate` with the append-only triggers):
- An AFTER INSERT row trigger on every history table writes one `AuditChainLink` per history
  row: a JSON snapshot of the row as inserted, its sequence number within the record (the
  history rows of one audited object, in insertion order), the previous link's hash and
  row_hash = SHA-256(previous row_hash || snapshot). No write path can skip it: it runs in the
  database for the ORM, raw SQL and psql alike.
- The trigger function is SECURITY DEFINER: the application role may read the chain but not
  write it, so forging a link needs the owner, as editing history does.
- `manage.py verify_audit_trail` (`verify_chains` here) recomputes every link and reports a
  history row that differs from its snapshot (altered), a link whose history row is gone
  (removed), a link whose predecessor is gone or out of sequence (chain broken: a removed link),
  and a history row without a link (inserted outside the trigger).

The snapshot, not the current row, is hashed, so a later migration that adds a column to a
history table (old rows get NULL or a default) does not break the chains; the comparison of row
and snapshot covers exactly the columns the row had when it was written.

Limit (said in RELIABILITY.md): an owner who rewrites a whole chain from the altered row onwards,
consistently, is caught only by comparing `chain_heads_digest` with a digest recorded earlier
outside the database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connections, models, transaction
from django.utils.translation import gettext_lazy as _

CHAIN_TABLE = "edc_audit_chain"


class AuditChainLink(models.Model):
    """One history row's place in its record's hash chain; written only by the database."""

    table_name = models.CharField(_("history table"), max_length=63)
    history_id = models.CharField(_("history row"), max_length=64)
    record_id = models.CharField(_("record"), max_length=64)
    seq = models.PositiveIntegerField(_("sequence"))
    snapshot = models.JSONField(_("row as written"))
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    row_hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        db_table = CHAIN_TABLE
        verbose_name = _("audit chain link")
        verbose_name_plural = _("audit chain")
        constraints = [
            models.UniqueConstraint(
                fields=["table_name", "record_id", "seq"], name="edc_audit_chain_one_per_seq"
            ),
            models.UniqueConstraint(
                fields=["table_name", "history_id"], name="edc_audit_chain_one_per_row"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.table_name} {self.record_id} #{self.seq}"


# The snapshot is to_jsonb(NEW) taken with TimeZone UTC, so the same row always gives the same
# text; jsonb's text form is canonical (keys sorted), which is what the hash is taken over.
# An advisory lock per record keeps two concurrent writers of one record from forking its chain.
# edc_audit_chain_append is the one place a link is made; only the owner may call it (the
# trigger function runs as the owner, and trigger functions cannot be called directly).
INSTALL_CHAIN_SQL = r"""
CREATE OR REPLACE FUNCTION edc_audit_chain_append(tbl text, snap jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    rec text := snap ->> 'id';
    prev record;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(tbl || ':' || rec, 0));
    SELECT seq, row_hash INTO prev FROM edc_audit_chain
        WHERE table_name = tbl AND record_id = rec ORDER BY seq DESC LIMIT 1;
    INSERT INTO edc_audit_chain (table_name, history_id, record_id, seq, snapshot,
                                 prev_hash, row_hash)
    VALUES (tbl, snap ->> 'history_id', rec, COALESCE(prev.seq, 0) + 1, snap,
            COALESCE(prev.row_hash, ''),
            encode(sha256(convert_to(COALESCE(prev.row_hash, '') || snap::text, 'UTF8')),
                   'hex'));
END;
$$;

CREATE OR REPLACE FUNCTION edc_audit_chain_link() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET timezone = 'UTC' AS $$
BEGIN
    PERFORM edc_audit_chain_append(TG_TABLE_NAME, to_jsonb(NEW));
    RETURN NULL;
END;
$$;

DO $$
DECLARE
    t record;
    h record;
    has_rows boolean;
BEGIN
    -- A SECURITY DEFINER function must not find tables through the caller's search_path.
    EXECUTE format('ALTER FUNCTION edc_audit_chain_link() SET search_path = %I, pg_temp',
                   current_schema());
    EXECUTE format('ALTER FUNCTION edc_audit_chain_append(text, jsonb)'
                   ' SET search_path = %I, pg_temp', current_schema());
    REVOKE ALL ON FUNCTION edc_audit_chain_link() FROM PUBLIC;
    REVOKE ALL ON FUNCTION edc_audit_chain_append(text, jsonb) FROM PUBLIC;
    PERFORM set_config('timezone', 'UTC', true);
    FOR t IN
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname = current_schema()
          AND c.relname LIKE '%\_historical%'
    LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER edc_audit_chain_link AFTER INSERT ON %I'
                       ' FOR EACH ROW EXECUTE FUNCTION edc_audit_chain_link()', t.relname);
        EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER edc_audit_chain_link', t.relname);
        -- History written before the chain existed is chained once, in the order it was
        -- written, the first time only: a table that has links is never backfilled again, so
        -- a row slipped in later with the trigger off stays unchained and is reported.
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t.relname) INTO has_rows;
        IF has_rows AND NOT EXISTS (SELECT 1 FROM edc_audit_chain
                                    WHERE table_name = t.relname) THEN
            FOR h IN EXECUTE format('SELECT to_jsonb(x) AS snap FROM %I x'
                                    ' ORDER BY x.history_date, x.history_id', t.relname)
            LOOP
                PERFORM edc_audit_chain_append(t.relname, h.snap);
            END LOOP;
        END IF;
    END LOOP;
END;
$$;
"""


def install_chain_triggers(using: str = "default") -> None:
    """Create or replace the chain trigger on every history table; idempotent, PostgreSQL only.

    Skipped while the chain table does not exist yet (older migrations install the append-only
    triggers too); the post_migrate run after the last migration then installs it.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if CHAIN_TABLE in connection.introspection.table_names(cursor):
            cursor.execute(INSTALL_CHAIN_SQL)


@dataclass(frozen=True)
class ChainFinding:
    """One thing wrong with the trail: which table, record and history row, and what."""

    table: str
    record_id: str
    history_id: str
    seq: int | None
    problem: str  # altered | removed | chain_broken | unchained

    def describe(self) -> str:
        where = f"{self.table} record {self.record_id} history row {self.history_id}"
        if self.seq is not None:
            where += f" (link {self.seq})"
        return f"{self.problem.upper()}: {where}: {_PROBLEMS[self.problem]}"


_PROBLEMS = {
    "altered": "the history row differs from the snapshot taken when it was written",
    "removed": "the history row this link records is gone",
    "chain_broken": "this link does not follow its predecessor: a link was removed, altered "
    "or inserted out of order",
    "unchained": "the history row has no link: it was inserted with the chain trigger off",
}

# Every problem of one history table in one pass, in constant memory: the database compares each
# link with its predecessor (LAG), its recomputed hash and its history row; only findings return.
_LINK_FINDINGS_SQL = """
SELECT record_id, history_id, seq, row_problem, broken FROM (
    SELECT c.record_id, c.history_id, c.seq,
           CASE
               WHEN h.history_id IS NULL THEN 'removed'
               WHEN EXISTS (SELECT 1 FROM jsonb_each(c.snapshot) s
                            WHERE to_jsonb(h) -> s.key IS DISTINCT FROM s.value) THEN 'altered'
           END AS row_problem,
           (c.seq <> COALESCE(LAG(c.seq) OVER w, 0) + 1
            OR c.prev_hash <> COALESCE(LAG(c.row_hash) OVER w, '')
            OR c.row_hash <> encode(sha256(convert_to(c.prev_hash || c.snapshot::text, 'UTF8')),
                                    'hex')) AS broken
    FROM edc_audit_chain c
    LEFT JOIN {table} h ON h.history_id::text = c.history_id
    WHERE c.table_name = %s
    WINDOW w AS (PARTITION BY c.record_id ORDER BY c.seq)
) links
WHERE row_problem IS NOT NULL OR broken
ORDER BY record_id, seq
"""

_UNCHAINED_SQL = """
SELECT h.id::text, h.history_id::text FROM {table} h
WHERE NOT EXISTS (SELECT 1 FROM edc_audit_chain c
                  WHERE c.table_name = %s AND c.history_id = h.history_id::text)
ORDER BY h.id, h.history_id
"""


def verify_chains(tables: list[str], using: str = "default") -> Iterator[ChainFinding]:
    """Every finding in the given history tables; nothing on an intact trail."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SET LOCAL timezone = 'UTC'")
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(_LINK_FINDINGS_SQL.format(table=quoted), [table])
            for record_id, history_id, seq, row_problem, broken in cursor.fetchall():
                if row_problem:
                    yield ChainFinding(table, record_id, history_id, seq, row_problem)
                if broken:
                    yield ChainFinding(table, record_id, history_id, seq, "chain_broken")
            cursor.execute(_UNCHAINED_SQL.format(table=quoted), [table])
            for record_id, history_id in cursor.fetchall():
                yield ChainFinding(table, record_id, history_id, None, "unchained")


def chain_heads_digest(using: str = "default") -> str:
    """SHA-256 over the last hash of every record's chain, in a fixed order.

    Written down outside the database (a monitoring report, a signed e-mail), it lets a later
    check prove that no chain was rewritten consistently from some row onwards.
    """
    digest = hashlib.sha256()
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT ON (table_name, record_id) table_name, record_id, row_hash"
            " FROM edc_audit_chain ORDER BY table_name, record_id, seq DESC"
        )
        for table, record_id, row_hash in cursor:
            digest.update(f"{table}\t{record_id}\t{row_hash}\n".encode())
    return digest.hexdigest()
