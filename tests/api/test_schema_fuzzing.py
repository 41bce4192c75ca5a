"""schemathesis against the API's own OpenAPI schema, as each role: for every operation, valid
and invalid requests answer with no server error, only status codes and content types the schema
documents, and bodies that match it (stack-notes-2 §5).

The app runs in-process (WSGI) on the test's database transaction; the study and its rows are
fixed so that generated requests reach real data, while ids, filters and page parameters are
generated. EXAMPLES keeps all roles together well under 90 seconds on the shared machine.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from edc.wsgi import application

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

EXAMPLES = 6
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Without a token every operation is a 401, which tests/api/test_api_access.py asserts.
ROLES = ["investigator@A", "monitor@A", "data_manager", "sponsor", "administrator"]


@pytest.fixture
def in_process_app():
    """Django's test client keeps the test's connection across requests the same way: the
    request signals would otherwise close it (and the test's transaction with it)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _schema():
    schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(public=True))
    schema.app = application
    return schema


def _headers(as_role, who: str) -> dict[str, str]:
    client = as_role(who)
    return {"Authorization": client._credentials["HTTP_AUTHORIZATION"]}


@pytest.mark.parametrize("who", ROLES)
def test_every_operation_answers_as_documented(
    as_role, study, subjects, export, in_process_app, who
):
    headers = _headers(as_role, who)
    fixed = {"registry_id": study.registry_id, "crf_code": "prior_therapy"}
    operations = [result.ok() for result in _schema().get_all_operations()]
    assert len(operations) == 18  # every list and detail; none skipped
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        path_parameters = {k: v for k, v in fixed.items() if k in names}
        # Invalid requests exist only where a query parameter has a type (a detail's path takes
        # any text, and a wrong id is a documented 404, which the positive run also sends).
        modes = [GenerationMode.POSITIVE]
        if operation.query:
            modes.append(GenerationMode.NEGATIVE)
        for mode in modes:
            strategy = operation.as_strategy(mode, path_parameters=path_parameters, headers=headers)

            @given(case=strategy)
            @settings(
                max_examples=EXAMPLES,
                suppress_health_check=list(HealthCheck),
                deadline=None,
                database=None,
            )
            def check(case):
                case.call_and_validate(checks=CHECKS)

            try:
                check()
            except Unsatisfiable:
                # No invalid request exists when every parameter takes any text (a query string
                # holds only text); the positive run above covered the operation.
                assert mode is GenerationMode.NEGATIVE, operation.label


def test_the_schema_is_served_to_a_token(as_role, study):
    response = as_role("sponsor").get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    assert "/api/v1/studies/{registry_id}/subjects/" in response.json()["paths"]
