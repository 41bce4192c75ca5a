"""A study with one subject at each of two sites, each with a visit, an adverse event, a
prior-therapy row and a monitor's data query on it, a finished dataset export, and a client
per role that sends a personal token (as a program would)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from rest_framework.test import APIClient

from edc.api_tokens import api_token_issue
from edc.crfs import crf_spec
from edc.datasets import DatasetExport
from edc.roles import Role
from edc.services.crfs import crf_create
from edc.services.data_queries import query_raise
from tests.adverse_events.factories import AdverseEventFactory
from tests.edc.factories import MembershipFactory, SubjectFactory, UserFactory
from tests.followup.factories import VisitInstanceFactory

# Who is asking: (role, at site A?); None = a user with no membership; "anon" = no token.
WHO = {
    "investigator@A": (Role.INVESTIGATOR, True),
    "monitor@A": (Role.MONITOR, True),
    "data_manager": (Role.DATA_MANAGER, False),
    "sponsor": (Role.SPONSOR, False),
    "administrator": (Role.ADMINISTRATOR, False),
    "outsider": None,
    "anonymous": "anon",
}
PRIOR_THERAPY = {
    "kind": "glucocorticoid",
    "drug_name": "Prednisone",
    "dose": 10,
    "dose_unit": "mg/day",
    "start_date": dt.date(2025, 1, 1),
    "outcome": "ongoing",
}


def token_client(user) -> APIClient:
    client = APIClient()
    _token, raw = api_token_issue(user=user, name="test")
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


@pytest.fixture
def as_role(member, site_a):
    """`as_role(who)`: a client for one asker of WHO."""

    def make(who: str) -> APIClient:
        asker = WHO[who]
        if asker == "anon":
            return APIClient()
        if asker is None:
            return token_client(UserFactory())
        role, at_site = asker
        return token_client(member(role, study_site=site_a if at_site else None))

    return make


def subject_with_data(study_site, stratum, actor, **fields):
    subject = SubjectFactory(
        study_site=study_site, stratum=stratum, day0_date=dt.date(2026, 4, 1), **fields
    )
    VisitInstanceFactory(subject=subject)
    AdverseEventFactory(subject=subject)
    row = crf_create(
        spec=crf_spec("prior_therapy"),
        subject=subject,
        visit_code="SCR",
        data=PRIOR_THERAPY,
        actor=actor,
    )
    monitor = UserFactory()
    MembershipFactory(user=monitor, study=subject.study, study_site=study_site, role=Role.MONITOR)
    query_raise(
        subject=subject,
        visit_code="SCR",
        crf_code="prior_therapy",
        field_name="dose",
        text="Please confirm the dose.",
        actor=monitor,
        row_id=row.pk,
    )
    return subject


@pytest.fixture
def subjects(study, site_a, site_b, stratum):
    actor = UserFactory()
    return {
        "A": subject_with_data(site_a, stratum, actor, screening_number="S01-001"),
        "B": subject_with_data(site_b, stratum, actor, screening_number="S02-001"),
    }


@pytest.fixture
def export(study):
    return DatasetExport.objects.create(
        study=study,
        requested_by=UserFactory(),
        kind=DatasetExport.Kind.ANALYSIS_CSV,
        as_of=dt.datetime(2026, 4, 1, tzinfo=dt.UTC),
        status=DatasetExport.Status.DONE,
        file=default_storage.save("dataset-exports/api.zip", ContentFile(b"PK-api")),
    )
