"""Every list page of the core answers in the same number of queries for N and 3N rows."""

import datetime as dt

import pytest
from django.urls import reverse

from edc.crfs import crf_spec
from edc.data_queries import Query
from edc.domain.query_workflow import QueryAction
from edc.roles import Role
from edc.services.crfs import crf_create
from edc.services.data_queries import query_raise, query_step
from edc.services.subjects import subject_correct
from tests.edc.factories import MembershipFactory, SubjectFactory, UserFactory
from tests.queries import query_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def investigator(client, site_a, member):
    client.force_login(member(Role.INVESTIGATOR, study_site=site_a))
    return client


@pytest.fixture
def subject(site_a, stratum):
    return SubjectFactory(study_site=site_a, stratum=stratum)


def test_the_subject_list_runs_the_same_queries_for_few_and_many_subjects(
    investigator, site_a, stratum, study
):
    def add(n):
        SubjectFactory.create_batch(n, study_site=site_a, stratum=stratum)

    url = reverse("edc:subject-list", args=[study.registry_id])
    counts = query_counts(investigator, url, add)
    assert counts[0] == counts[1]


def test_the_rows_of_a_repeating_form_run_the_same_queries_for_few_and_many(investigator, subject):
    actor = UserFactory()

    def add(n):
        for i in range(n):
            crf_create(
                spec=crf_spec("prior_therapy"),
                subject=subject,
                visit_code="SCR",
                data={
                    "kind": "glucocorticoid",
                    "drug_name": f"Prednisone {i}",
                    "dose": 10,
                    "dose_unit": "mg/day",
                    "start_date": dt.date(2025, 1, 1),
                    "outcome": "ongoing",
                },
                actor=actor,
            )

    url = reverse("edc:crf", args=[subject.study.registry_id, subject.pk, "SCR", "prior_therapy"])
    counts = query_counts(investigator, url, add)
    assert counts[0] == counts[1]


def test_the_audit_trail_runs_the_same_queries_for_few_and_many_changes(
    client, member, site_a, subject
):
    client.force_login(member(Role.MONITOR, study_site=site_a))
    actor = UserFactory()

    def add(n):
        for _ in range(n):
            subject.refresh_from_db()
            subject_correct(
                subject,
                changes={"initials": "ABD" if subject.initials == "ABC" else "ABC"},
                reason="Transcription error",
                expected_version=subject.row_version,
                today=dt.date(2026, 4, 1),
                actor=actor,
            )

    url = reverse("edc:subject-history", args=[subject.study.registry_id, subject.pk])
    counts = query_counts(client, url, add)
    assert counts[0] == counts[1]


def test_the_audit_trail_is_paged(client, member, site_a, subject):
    client.force_login(member(Role.MONITOR, study_site=site_a))
    actor = UserFactory()
    for _ in range(26):
        subject.refresh_from_db()
        subject_correct(
            subject,
            changes={"initials": "ABD" if subject.initials == "ABC" else "ABC"},
            reason="Transcription error",
            expected_version=subject.row_version,
            today=dt.date(2026, 4, 1),
            actor=actor,
        )
    url = reverse("edc:subject-history", args=[subject.study.registry_id, subject.pk])
    older = client.get(url).context["page"].older
    assert len(client.get(f"{url}?{older}").context["page"]) == 2  # 27 entries


def _raise_queries(subject, n):
    monitor = UserFactory()
    MembershipFactory(
        user=monitor, study=subject.study, study_site=subject.study_site, role=Role.MONITOR
    )
    for i in range(n):
        query_raise(
            subject=subject, visit_code="SCR", crf_code="vital_signs", field_name="weight_kg",
            text=f"Question {i}", actor=monitor,
        )  # fmt: skip


def test_the_query_list_runs_the_same_queries_for_few_and_many(investigator, subject):
    url = reverse("edc:query-list", args=[subject.study.registry_id])
    counts = query_counts(investigator, url, lambda n: _raise_queries(subject, n))
    assert counts[0] == counts[1]


def test_a_subjects_query_list_runs_the_same_queries_for_few_and_many(investigator, subject):
    url = reverse("edc:subject-queries", args=[subject.study.registry_id, subject.pk])
    counts = query_counts(investigator, url, lambda n: _raise_queries(subject, n))
    assert counts[0] == counts[1]


def test_a_querys_thread_runs_the_same_queries_for_few_and_many_messages(
    client, member, site_a, subject
):
    investigator = member(Role.INVESTIGATOR, study_site=site_a)
    _raise_queries(subject, 1)
    query = Query.objects.get()
    client.force_login(investigator)

    def add(n):
        for i in range(n):
            query_step(query, action=QueryAction.MESSAGE, text=f"Note {i}", actor=investigator)

    url = reverse("edc:query-detail", args=[subject.study.registry_id, subject.pk, query.pk])
    counts = query_counts(client, url, add)
    assert counts[0] == counts[1]
