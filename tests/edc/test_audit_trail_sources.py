"""The audit trail beyond a subject's forms: the access log and dataset exports in the study-wide
browser, rows whose parent is gone, names in the reader's language, the EDC system account, and
the parts that keep a page fast with a million history rows (capped count, chunked export,
trail indexes)."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from adverse_events.models import EpisodeAssessment, ToxicityEpisode
from edc import audit_trail
from edc.access_log import AccessLog
from edc.audit import audited_update, system_user
from edc.audit_indexes import trail_index_statements
from edc.audit_trail import trail_user_name
from edc.datasets import DatasetExport, dataset_export_downloaded
from edc.models import Subject
from edc.roles import Role
from tests.edc.factories import StratumFactory, SubjectFactory, UserFactory
from tests.queries import query_counts


@pytest.fixture
def subject(site_a, stratum):
    return SubjectFactory(study_site=site_a, stratum=stratum, screening_number="S01-001")


@pytest.fixture
def manager(member):
    return member(Role.DATA_MANAGER, first_name="Dana", last_name="Lee")


@pytest.fixture
def monitor(member, site_a):
    return member(Role.MONITOR, study_site=site_a)


def _browse(client, reader, **params):
    client.force_login(reader)
    url = reverse("edc:audit-trail", args=[reader.memberships.get().study.registry_id])
    return client.get(url, params)


def _entries(response):
    return list(response.context["page"])


def _access(client, reader, of, **params):
    """The access-log entries of `of` on the reader's study trail (the reader's own log-in is
    there too)."""
    entries = _entries(_browse(client, reader, user=of.pk, **params))
    return [e for e in entries if e.form in ("access log", "访问日志")]


def _history(client, subject, reader):
    client.force_login(reader)
    url = reverse("edc:subject-history", args=[subject.study.registry_id, subject.pk])
    return list(client.get(url).context["page"])


def _chinese(client):
    client.post(reverse("edc:language-set"), {"language": "zh-hans", "next": "/"})


def _login(user, kind=AccessLog.Kind.LOGIN, **fields):
    return AccessLog.objects.create(kind=kind, user=user, username=user.username, **fields)


def _export(study, actor):
    return DatasetExport.objects.create(
        study=study, requested_by=actor, kind=DatasetExport.Kind.ANALYSIS_CSV, as_of=timezone.now()
    )


def _restratify(subject, stratum, actor):
    audited_update(
        Subject.objects.get(pk=subject.pk),
        actor=actor,
        reason="Wrong cohort",
        changes={"stratum": stratum},
        expected_version=None,
    )


# Rows whose parent no longer exists


def test_a_row_whose_parent_was_deleted_stays_on_the_subject_trail(client, subject, manager):
    onset = dt.datetime(2026, 4, 2, tzinfo=dt.UTC)
    episode = ToxicityEpisode.objects.create(subject=subject, kind="crs", onset_at=onset)
    EpisodeAssessment.objects.create(
        episode=episode, assessed_at=onset, temperature_c=39, computed_grade=1
    )
    # The assessment is deleted, then its episode: neither row exists any more.
    EpisodeAssessment._base_manager.filter(episode=episode).delete()
    ToxicityEpisode._base_manager.filter(pk=episode.pk).delete()
    entries = _history(client, subject, manager)
    assert {e.form for e in entries if e.action == "deleted"} == {
        str(EpisodeAssessment._meta.verbose_name),
        str(ToxicityEpisode._meta.verbose_name),
    }
    assert {e.subject for e in entries} == {"S01-001"}


# Names in the reader's language; the EDC system account


def test_a_stratum_change_shows_the_names_in_english(client, subject, manager, study):
    _restratify(
        subject, StratumFactory(study=study, code="ssc", name="Systemic sclerosis"), manager
    )
    change = _history(client, subject, manager)[0]
    assert (str(subject.stratum.name), "Systemic sclerosis") == change.changes[0][1:]


def test_a_stratum_change_shows_the_chinese_names_to_a_chinese_reader(
    client, subject, manager, study
):
    audited_update(
        subject.stratum,
        actor=manager,
        reason="Name",
        changes={"name_zh": "系统性红斑狼疮"},
        expected_version=None,
    )
    new = StratumFactory(study=study, code="ssc", name="Systemic sclerosis", name_zh="系统性硬化症")
    _restratify(subject, new, manager)
    client.force_login(manager)
    _chinese(client)
    change = _history(client, subject, manager)[0]
    assert change.changes[0][1:] == ("系统性红斑狼疮", "系统性硬化症")


def test_the_system_account_is_named_edc_system_without_a_role(client, subject, manager):
    audited_update(
        Subject.objects.get(pk=subject.pk),
        actor=system_user(),
        reason="Screen failure: Moved away",
        changes={"initials": "XY"},
        expected_version=None,
    )
    entry = _history(client, subject, manager)[0]
    assert (entry.user, entry.role) == ("EDC system", "")


def test_the_system_account_reads_edc_system_in_chinese(client, subject, manager):
    audited_update(
        Subject.objects.get(pk=subject.pk),
        actor=system_user(),
        reason="Screen failure: Moved away",
        changes={"initials": "XY"},
        expected_version=None,
    )
    client.force_login(manager)
    _chinese(client)
    assert _history(client, subject, manager)[0].user == "EDC系统"


# The access log in a study's trail


def test_a_data_manager_sees_the_log_ins_of_the_study_members(client, manager, monitor):
    _login(monitor, ip_address="10.0.0.7")
    [entry] = _access(client, manager, monitor)
    assert (entry.action, entry.user, entry.role, entry.changes[-1][2]) == (
        "Logged in",
        trail_user_name(monitor),
        "Monitor",
        "10.0.0.7",
    )


def test_a_failed_log_in_shows_the_user_name_tried(client, manager, monitor):
    AccessLog.objects.create(kind=AccessLog.Kind.LOGIN_FAILED, username=monitor.username)
    [entry] = _access(client, manager, monitor)
    assert (entry.action, entry.user, entry.changes[0]) == (
        "Failed log-in",
        monitor.username,
        ("user name tried", "", monitor.username),
    )


def test_log_ins_of_accounts_outside_the_study_are_not_on_its_trail(client, manager):
    outsider = UserFactory()
    _login(outsider)
    entries = _entries(_browse(client, manager, form=audit_trail.ACCESS_LOG))
    assert [e.user for e in entries] == ["Dana Lee"]  # the reader's own log-in only


def test_a_monitor_without_the_access_log_permission_sees_no_log_ins(client, manager, monitor):
    _login(manager)
    assert not [e for e in _entries(_browse(client, monitor)) if e.form == "access log"]


def test_the_access_log_filters_by_action(client, manager, monitor):
    _login(monitor)
    _login(monitor, kind=AccessLog.Kind.LOGOUT)
    entries = _entries(_browse(client, manager, action=AccessLog.Kind.LOGOUT))
    assert [(e.form, e.action, e.user) for e in entries] == [
        ("access log", "Logged out", trail_user_name(monitor))
    ]


def test_the_access_log_filters_by_user(client, manager, monitor):
    _login(monitor)
    _login(manager)
    assert [e.user for e in _access(client, manager, monitor)] == [trail_user_name(monitor)]


def test_the_access_log_filters_by_date(client, manager, monitor):
    _login(monitor)
    assert _access(client, manager, monitor, date_from=timezone.localdate().isoformat())
    assert not _access(client, manager, monitor, date_to="2020-01-01")


def test_a_subject_filter_leaves_out_the_access_log(client, manager, monitor, subject):
    _login(monitor)
    entries = _entries(_browse(client, manager, subject="S01-001"))
    assert entries
    assert {e.subject for e in entries} == {"S01-001"}


def test_the_access_log_reads_in_chinese(client, manager, monitor):
    _login(monitor)
    client.force_login(manager)
    _chinese(client)
    [entry] = _access(client, manager, monitor)
    assert (entry.form, entry.action) == ("访问日志", "已登录")


# Dataset exports and downloads


def test_a_dataset_download_is_on_the_trail_with_who_and_when(client, manager, study):
    export = _export(study, manager)
    dataset_export_downloaded(export, actor=manager)
    entry = _entries(_browse(client, manager, form=audit_trail.EXPORTS))[0]
    assert (entry.form, entry.user, entry.reason, entry.changes) == (
        "dataset export",
        "Dana Lee",
        "Dataset downloaded",
        (("downloads", "0", "1"),),
    )


def test_a_site_monitor_does_not_see_the_study_wide_exports(client, manager, monitor, study):
    dataset_export_downloaded(_export(study, manager), actor=manager)
    assert not [e for e in _entries(_browse(client, monitor)) if e.form == "dataset export"]


def test_a_dataset_download_reads_in_chinese(client, manager, study):
    dataset_export_downloaded(_export(study, manager), actor=manager)
    client.force_login(manager)
    _chinese(client)
    entry = _entries(_browse(client, manager, form=audit_trail.EXPORTS))[0]
    assert (entry.form, entry.reason) == ("数据集导出", "数据集已下载")


def test_the_csv_holds_log_ins_and_downloads(client, manager, monitor, study):
    _login(monitor)
    dataset_export_downloaded(_export(study, manager), actor=manager)
    client.force_login(manager)
    url = reverse("edc:audit-trail-csv", args=[study.registry_id])
    body = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    forms = {line[2] for line in csv.reader(io.StringIO(body))}
    assert {"access log", "dataset export"} <= forms


# What keeps a page fast


def _older_pages(rows, size):
    """The rows of every page from the newest on, following each page's older link."""
    pages, cursor = [], None
    while True:
        page = rows.page(cursor, size)
        pages.append(page.rows)
        if page.older is None:
            return pages
        cursor = page.older


def _five_changes_and_log_ins(subject, manager, monitor):
    for n in range(5):
        _login(monitor)
        audited_update(
            Subject.objects.get(pk=subject.pk),
            actor=manager,
            reason=f"Typo {n}",
            changes={"initials": "AB" if n % 2 else "CD"},
            expected_version=None,
        )
    return audit_trail.trail_rows(subject.study_id, audit_trail.TrailFilter(with_access_log=True))


def test_older_pages_hold_every_entry_of_every_source_once_in_order(
    client, manager, subject, monitor
):
    rows = _five_changes_and_log_ins(subject, manager, monitor)
    every = list(rows)
    pages = _older_pages(rows, 2)
    assert [row for page in pages for row in page] == every
    assert every == sorted(every, key=lambda r: (r[0], r[2], r[1]), reverse=True)
    assert [len(page) for page in pages] == [2, 2, 2, 2, 2, 1]  # 11 different entries
    assert len(set(every)) == 11


def test_newer_pages_from_the_oldest_come_back_to_the_newest_page(
    client, manager, subject, monitor
):
    rows = _five_changes_and_log_ins(subject, manager, monitor)
    every = list(rows)
    oldest = rows.page(audit_trail.Cursor(every[9]), 2)  # the 11th entry, alone
    back = rows.page(oldest.newer, 2)
    assert (back.rows, rows.page(back.newer, 2).rows) == (every[8:10], every[6:8])


def test_a_newer_page_that_reaches_the_newest_entry_is_the_first_page(
    client, manager, subject, monitor
):
    rows = _five_changes_and_log_ins(subject, manager, monitor)
    every = list(rows)
    second = rows.page(audit_trail.Cursor(every[2], older=False), 2)  # rows 0 and 1 are newer
    assert (second.rows, second.newer) == (every[0:2], None)
    assert rows.page(audit_trail.Cursor(every[1], older=False), 2).rows == every[0:2]


def test_a_row_of_the_cursors_time_and_key_in_a_table_that_sorts_after_it_comes_next(
    client, manager, subject, monitor
):
    rows = _five_changes_and_log_ins(subject, manager, monitor)
    every = list(rows)
    at, src, key = every[3]
    assert rows.page(audit_trail.Cursor((at, src + "~", key)), 1).rows == [every[3]]
    assert rows.page(audit_trail.Cursor((at, src, key)), 1).rows == [every[4]]


def test_the_csv_reads_the_trail_in_chunks_without_losing_or_repeating_a_row(
    client, manager, subject, monitor
):
    rows = _five_changes_and_log_ins(subject, manager, monitor)
    every = list(rows)
    walked = [row for chunk in rows.chunks(2) for row in chunk]
    assert walked == every
    assert len(walked) == len(set(walked)) == 11  # creation, 5 changes, 5 log-ins


def test_the_browser_with_log_ins_and_exports_runs_the_same_queries_for_few_and_many(
    client, manager, monitor, study, site_a, stratum
):
    def add(n):
        for _ in range(n):
            s = SubjectFactory(study_site=site_a, stratum=stratum)
            _restratify(s, stratum, monitor)
            _login(monitor)
            dataset_export_downloaded(_export(study, manager), actor=manager)

    client.force_login(manager)
    counts = query_counts(client, reverse("edc:audit-trail", args=[study.registry_id]), add)
    assert counts[0] == counts[1]


@pytest.mark.postgres
@pytest.mark.django_db
def test_every_table_the_trail_reads_has_its_trail_indexes():
    tables = {h._meta.db_table for h, _column in audit_trail.trail_sources()}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, count(*) FROM pg_indexes WHERE indexname LIKE 'trail\\_%%' "
            "GROUP BY tablename"
        )
        indexed = dict(cursor.fetchall())
    assert {t: indexed.get(t, 0) for t in tables} == dict.fromkeys(tables, 3)
    assert len(trail_index_statements()) == 3 * len(tables)
