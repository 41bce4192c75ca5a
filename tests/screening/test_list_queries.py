"""The screening log answers in the same number of queries for N and 3N subjects, page by page."""

import pytest
from django.urls import reverse

from edc.roles import Role
from tests.edc.factories import SubjectFactory
from tests.queries import query_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def investigator(client, site_a, member):
    client.force_login(member(Role.INVESTIGATOR, study_site=site_a))
    return client


def test_the_screening_log_runs_the_same_queries_for_few_and_many(
    investigator, study, site_a, stratum
):
    def add(n):
        SubjectFactory.create_batch(n, study_site=site_a, stratum=stratum)

    url = reverse("screening:screening-log", args=[study.registry_id])
    counts = query_counts(investigator, url, add)
    assert counts[0] == counts[1]


def test_the_screening_log_is_paged(investigator, study, site_a, stratum):
    SubjectFactory.create_batch(27, study_site=site_a, stratum=stratum)
    url = reverse("screening:screening-log", args=[study.registry_id])
    assert len(investigator.get(url, {"page": 2}).context["page"]) == 2
