"""Every list of the API answers in the same number of queries for N and 3N rows."""

import pytest

from edc.roles import Role
from tests.api.conftest import subject_with_data, token_client
from tests.edc.factories import MembershipFactory, StudyFactory, UserFactory
from tests.queries import query_counts

pytestmark = pytest.mark.django_db

LISTS = [
    "subjects/",
    "visits/",
    "adverse-events/",
    "crfs/prior_therapy/rows/",
    "audit-trail/",
    "queries/",
    "dataset-exports/",
]


@pytest.mark.parametrize("path", LISTS)
def test_the_list_runs_the_same_queries_for_few_and_many_rows(
    member, study, site_a, stratum, export, path
):
    client = token_client(member(Role.DATA_MANAGER))
    actor = UserFactory()

    def add(n):
        for _ in range(n):
            subject_with_data(site_a, stratum, actor)
            export.pk = None  # one more export of the same study
            export._state.adding = True
            export.save()

    counts = query_counts(client, f"/api/v1/studies/{study.registry_id}/{path}", add)
    assert counts[0] == counts[1]


def test_the_study_list_runs_the_same_queries_for_few_and_many_studies(member):
    user = member(Role.SPONSOR)
    client = token_client(user)

    def add(n):
        for study in StudyFactory.create_batch(n):
            MembershipFactory(user=user, study=study, role=Role.SPONSOR)

    assert len(set(query_counts(client, "/api/v1/studies/", add))) == 1
