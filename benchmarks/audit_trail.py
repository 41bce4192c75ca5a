"""How long a page of the audit trail takes with many history rows, and the plan PostgreSQL uses.

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/audit_trail.py [history rows]

Builds a study with 2 sites and 1,000 subjects, adds the given number (1,000,000 by default) of
history rows to the subjects' history, then prints the time of the subject trail page, the
study-wide browser's first page and its older and newer pages a thousand and half the rows
deep, pages filtered by site, subject, field, user, date and
form, and EXPLAIN ANALYZE of the first page. The hash-chain trigger is disabled
for the bulk load (see `_history`). Everything is inside one transaction that is rolled back, so the
database is left as it was. A benchmark prints figures; the tests assert query counts, never times.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edc.settings.local")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from edc.audit_trail import Cursor, TrailFilter, trail_entries, trail_rows  # noqa: E402
from edc.models import Subject  # noqa: E402
from tests.edc.factories import (  # noqa: E402
    StratumFactory,
    StudyFactory,
    StudySiteFactory,
    SubjectFactory,
    UserFactory,
)

SUBJECTS = 1000
PAGE = 25


def _out(text: str) -> None:
    """A benchmark's figures go to standard output (it is run by hand, not by the tests)."""
    sys.stdout.write(text + "\n")


class Rollback(Exception):
    """Raised to leave the benchmark's transaction without keeping its rows."""


def _timed(label: str, study_id, flt: TrailFilter, cursor: Cursor | None = None) -> None:
    """What a page of the browser costs (the rows past `cursor` and their entries): the first
    time in the process, which compiles its SQL, and again (each filter shape is compiled once
    per process, edc/compiled_queries.py)."""
    figures = []
    for _ in range(2):
        start = time.perf_counter()
        page = trail_rows(study_id, flt).page(cursor, PAGE)
        paged = time.perf_counter()
        entries = trail_entries(study_id, page.rows, show_personal_data=True)
        done = time.perf_counter()
        figures.append(
            f"{(done - start) * 1000:6.1f} ms (rows {(paged - start) * 1000:5.1f}, "
            f"entries {(done - paged) * 1000:4.1f})"
        )
    _out(f"{label:<40} {len(entries):>2} entries; first {figures[0]}; again {figures[1]}")


def _cursor_at(study_id, flt: TrailFilter, depth: int) -> Cursor:
    """The cursor an "older" link carries after `depth` rows (read as one page, untimed)."""
    return Cursor(trail_rows(study_id, flt).page(None, depth).rows[-1])


def _history(study_id, rows: int, actors: list) -> None:
    """`rows` history rows made in the database (INSERT ... SELECT generate_series): copies of the
    subjects' first rows, one every 30 seconds over the past year, by the given users in turn.
    The hash-chain trigger is disabled (as the table owner) for the bulk load only: chaining a
    million rows one by one measures the trigger, not the trail (the rollback enables it again)."""
    table = Subject.history.model._meta.db_table
    columns = [f.column for f in Subject._meta.concrete_fields]
    listed = ", ".join(columns)
    copied = ", ".join(f"t.{c}" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks: ALTER may run
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER edc_audit_chain_link")
        cursor.execute(
            f"""
            WITH t AS (
                SELECT row_number() OVER (ORDER BY history_id) - 1 AS rn, h.*
                FROM {table} h WHERE h.study_id = %(study)s
            )
            INSERT INTO {table} ({listed}, history_date, history_change_reason,
                                 history_type, history_user_id)
            SELECT {copied}, %(start)s + g * interval '30 seconds', 'Transcription error',
                   '~', (%(users)s::int[])[1 + g %% %(nusers)s]
            FROM generate_series(0, %(rows)s - 1) g JOIN t ON t.rn = g %% %(subjects)s
            """,
            {
                "study": study_id,
                "start": timezone.now() - dt.timedelta(days=365),
                "users": [a.pk for a in actors],
                "nusers": len(actors),
                "rows": rows,
                "subjects": SUBJECTS,
            },
        )
        cursor.execute(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER edc_audit_chain_link")


def main(rows: int) -> None:
    try:
        with transaction.atomic():
            study = StudyFactory()
            sites = [StudySiteFactory(study=study, site_number=n) for n in ("01", "02")]
            stratum = StratumFactory(study=study, code="sle")
            subjects = [
                SubjectFactory(study_site=sites[i % 2], stratum=stratum) for i in range(SUBJECTS)
            ]
            actors = [UserFactory() for _ in range(5)]
            _history(study.pk, rows, actors)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            for _ in range(2):  # warm the caches once (a page read twice is the usual case)
                list(trail_rows(study.pk, TrailFilter())[:PAGE])
            _out(f"{rows} history rows over {SUBJECTS} subjects, page of {PAGE}")
            _timed("one subject's trail, page 1", study.pk, TrailFilter(subject_id=subjects[7].pk))
            _timed("study-wide, page 1", study.pk, TrailFilter())
            for depth in (1_000, rows // 2):
                older = _cursor_at(study.pk, TrailFilter(), depth)
                _timed(f"study-wide, older than entry {depth:,}", study.pk, TrailFilter(), older)
                newer = Cursor(older.row, older=False)
                _timed(f"study-wide, newer than entry {depth:,}", study.pk, TrailFilter(), newer)
            _timed(
                "one site, changes only, page 1",
                study.pk,
                TrailFilter(study_site_ids=frozenset({sites[0].pk}), action="~"),
            )
            _timed(
                "subject by number, field 'initials'",
                study.pk,
                TrailFilter(
                    subject_number=subjects[9].screening_number,
                    field="initials",
                    form="edc.subject",
                ),
            )
            _timed("one user, page 1", study.pk, TrailFilter(user_id=actors[2].pk))
            day = (timezone.now() - dt.timedelta(days=200)).date()
            _timed("one day, page 1", study.pk, TrailFilter(date_from=day, date_to=day))
            _timed(
                "one form (vital signs), page 1", study.pk, TrailFilter(form="screening.vitalsigns")
            )
            _timed(
                "with access log and exports, page 1",
                study.pk,
                TrailFilter(with_access_log=True, with_exports=True),
            )
            rows = trail_rows(study.pk, TrailFilter())
            sql, params = rows._window(PAGE)[:PAGE].query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS OFF) {sql}", params)
                plan = [line for (line,) in cursor.fetchall()]
            _out("\nEXPLAIN ANALYZE study-wide page 1 (first and last lines):")
            _out("\n".join([*plan[:12], "  ...", *plan[-3:]]))
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
