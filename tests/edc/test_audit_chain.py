"""Tamper evidence: every history row is chained by SHA-256 to its record's previous row, and
`verify_audit_trail` names each row that was altered, removed or slipped in outside the chain.

The attacker here is the database owner (the test user is a superuser): the append-only
triggers stop everyone else, so the owner disables them first, as a real attacker would.
"""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from edc.audit_chain import AuditChainLink, install_chain_triggers
from edc.models import Site
from tests.edc.factories import SiteFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

HISTORY = "edc_historicalsite"
GUARDS = ("edc_append_only_change", "edc_audit_chain_link")


def _corrected_site() -> Site:
    """A site with two history rows: created, then renamed with a reason."""
    site = SiteFactory(name="Hospital A")
    site.name, site._change_reason = "Hospital B", "Typo in the name"
    site.save()
    return site


def _alter_triggers(statement: str) -> None:
    """ALTER TABLE ... TRIGGER inside the test's transaction: deferred foreign-key checks are
    run first, as ALTER TABLE refuses a table with pending trigger events."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(statement)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _as_owner(*statements: str, params=None) -> None:
    """Run statements with the append-only and chain triggers of the site history switched off."""
    for trigger in GUARDS:
        _alter_triggers(f"ALTER TABLE {HISTORY} DISABLE TRIGGER {trigger}")
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, params)
    for trigger in GUARDS:
        _alter_triggers(f"ALTER TABLE {HISTORY} ENABLE ALWAYS TRIGGER {trigger}")


def _verify() -> str:
    out = StringIO()
    call_command("verify_audit_trail", stdout=out)
    return out.getvalue()


def _verify_fails() -> str:
    out = StringIO()
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("verify_audit_trail", stdout=out)
    return out.getvalue()


def _history_ids(site: Site) -> list[int]:
    return list(
        Site.history.filter(id=site.id)
        .order_by("history_date")
        .values_list("history_id", flat=True)
    )


def test_every_history_row_gets_one_link_in_its_records_order():
    site = _corrected_site()
    links = AuditChainLink.objects.filter(table_name=HISTORY, record_id=str(site.id))
    first, second = _history_ids(site)
    assert list(links.order_by("seq").values_list("seq", "history_id")) == [
        (1, str(first)),
        (2, str(second)),
    ]


def test_a_links_hash_is_sha256_of_the_previous_hash_and_the_row_as_written():
    site = _corrected_site()
    first, second = AuditChainLink.objects.filter(record_id=str(site.id)).order_by("seq")
    with connection.cursor() as cursor:
        cursor.execute("SELECT snapshot::text FROM edc_audit_chain WHERE id = %s", [second.id])
        (snapshot_text,) = cursor.fetchone()
    assert second.prev_hash == first.row_hash
    assert second.row_hash == hashlib.sha256((first.row_hash + snapshot_text).encode()).hexdigest()
    assert second.snapshot["name"] == "Hospital B"


def test_an_untouched_trail_verifies():
    _corrected_site()
    assert "audit trail intact" in _verify()


def test_an_altered_row_and_a_deleted_row_are_both_reported():
    site = _corrected_site()
    first, second = _history_ids(site)
    _as_owner(
        f"UPDATE {HISTORY} SET name = 'Forged' WHERE history_id = %s" % first,
        f"DELETE FROM {HISTORY} WHERE history_id = %s" % second,
    )
    report = _verify_fails()
    assert f"ALTERED: {HISTORY} record {site.id} history row {first} (link 1)" in report
    assert f"REMOVED: {HISTORY} record {site.id} history row {second} (link 2)" in report


def test_a_row_inserted_with_the_triggers_off_is_reported_unchained():
    site = _corrected_site()
    (first, _second) = _history_ids(site)
    columns = [
        f.column for f in Site.history.model._meta.concrete_fields if f.column != "history_id"
    ]
    names = ", ".join(columns)
    _as_owner(
        f"INSERT INTO {HISTORY} ({names}) SELECT {names} FROM {HISTORY} WHERE history_id = {first}"
    )
    report = _verify_fails()
    assert f"UNCHAINED: {HISTORY} record {site.id}" in report


def test_removing_a_link_with_its_row_breaks_the_chain_at_the_next_link():
    site = _corrected_site()
    site.name, site._change_reason = "Hospital C", "Renamed"
    site.save()
    _first, second, third = _history_ids(site)
    _alter_triggers("ALTER TABLE edc_audit_chain DISABLE TRIGGER edc_append_only_change")
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM edc_audit_chain WHERE table_name = %s AND history_id = %s",
            [HISTORY, str(second)],
        )
    _alter_triggers("ALTER TABLE edc_audit_chain ENABLE ALWAYS TRIGGER edc_append_only_change")
    _as_owner(f"DELETE FROM {HISTORY} WHERE history_id = {second}")
    report = _verify_fails()
    assert f"CHAIN_BROKEN: {HISTORY} record {site.id} history row {third} (link 3)" in report


def test_history_written_before_the_chain_existed_is_chained_once():
    _alter_triggers(f"ALTER TABLE {HISTORY} DISABLE TRIGGER edc_audit_chain_link")
    site = _corrected_site()
    _alter_triggers(f"ALTER TABLE {HISTORY} ENABLE ALWAYS TRIGGER edc_audit_chain_link")
    install_chain_triggers()
    assert AuditChainLink.objects.filter(record_id=str(site.id)).count() == 2
    assert "audit trail intact" in _verify()


def test_a_table_that_has_links_is_never_backfilled_again():
    SiteFactory()
    _alter_triggers(f"ALTER TABLE {HISTORY} DISABLE TRIGGER edc_audit_chain_link")
    slipped_in = SiteFactory()
    _alter_triggers(f"ALTER TABLE {HISTORY} ENABLE ALWAYS TRIGGER edc_audit_chain_link")
    install_chain_triggers()
    assert f"UNCHAINED: {HISTORY} record {slipped_in.id}" in _verify_fails()


def test_verifying_an_unknown_table_is_refused():
    with pytest.raises(CommandError, match="not a history table: edc_site"):
        call_command("verify_audit_trail", "--table", "edc_site", stdout=StringIO())
