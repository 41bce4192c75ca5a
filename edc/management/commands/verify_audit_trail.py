"""Recompute the audit trail's hash chains and name every row that was altered, removed or
inserted out of order (edc/audit_chain.py says how the chain is built)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from edc.audit_chain import AuditChainLink, chain_heads_digest, verify_chains
from edc.audit_sql import history_tables


class Command(BaseCommand):
    help = (
        "Verify the SHA-256 hash chain of every history table (PostgreSQL). Exits non-zero and "
        "lists each altered, removed or unchained history row if the trail was tampered with."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--table", action="append", help="only this history table (repeatable)")

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "The hash chain is written by PostgreSQL triggers; this database is "
                f"{connection.vendor}, which keeps no chain to verify."
            )
        known = history_tables()
        tables = options["table"] or known
        unknown = sorted(set(tables) - set(known))
        if unknown:
            raise CommandError(f"not a history table: {', '.join(unknown)}")
        findings = list(verify_chains(tables))
        for finding in findings:
            self.stdout.write(finding.describe())
        if findings:
            raise CommandError(
                f"audit trail NOT intact: {len(findings)} finding(s) in "
                f"{len({f.table for f in findings})} table(s)"
            )
        links = AuditChainLink.objects.filter(table_name__in=tables).count()
        self.stdout.write(
            f"audit trail intact: {links} history rows in {len(tables)} tables verified; "
            f"chain-heads digest {chain_heads_digest()}"
        )
