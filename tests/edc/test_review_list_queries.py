"""The SDV work list, the SDV progress and the casebook's signatures answer in the same number
of queries for few and many forms."""

import pytest
from django.urls import reverse
from django.utils import timezone

from edc.roles import Role
from edc.signatures import casebook_sign
from tests.edc.factories import SubjectFactory
from tests.edc.review_journeys import vitals
from tests.queries import query_counts

pytestmark = pytest.mark.django_db


def _add_subjects_with_forms(site_a, stratum):
    def add(n):
        for _ in range(n):
            subject = SubjectFactory(study_site=site_a, stratum=stratum)
            vitals(subject)
            vitals(subject, "D7")

    return add


@pytest.mark.parametrize("view", ["edc:sdv-worklist", "edc:sdv-progress"])
def test_the_sdv_list_runs_the_same_queries_for_few_and_many_forms(
    client, member, site_a, stratum, study, view
):
    client.force_login(member(Role.MONITOR, study_site=site_a))
    url = reverse(view, args=[study.registry_id])
    counts = query_counts(client, url, _add_subjects_with_forms(site_a, stratum))
    assert counts[0] == counts[1]


def test_the_casebook_signatures_run_the_same_queries_for_few_and_many(
    client, member, site_a, stratum, study, rf
):
    pi = member(Role.PRINCIPAL_INVESTIGATOR, study_site=site_a, password="sign-Pass-2026")
    client.force_login(pi)
    subject = SubjectFactory(study_site=site_a, stratum=stratum)
    vitals(subject)

    def add(n):
        for _ in range(n):
            casebook_sign(
                subject,
                scope="casebook",
                password="sign-Pass-2026",
                role=Role.PRINCIPAL_INVESTIGATOR,
                actor=pi,
                request=rf.post("/"),
                now=timezone.now(),
            )

    url = reverse("edc:subject-detail", args=[study.registry_id, subject.pk])
    counts = query_counts(client, url, add)
    assert counts[0] == counts[1]
