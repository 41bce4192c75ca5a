"""The API's role and site matrix: every endpoint answers each role as the matching page does
(the same gate and selectors), with 401 instead of the login page."""

import pytest

from adverse_events.models import AdverseEvent
from edc.crfs import crf_spec
from tests.api.conftest import WHO

pytestmark = pytest.mark.django_db

OK, UNAUTHORISED, FORBIDDEN, NOT_FOUND = 200, 401, 403, 404

STUDIES = dict(zip(WHO, [OK] * 6 + [UNAUTHORISED], strict=True))
STUDY = dict(zip(WHO, [OK] * 5 + [NOT_FOUND, UNAUTHORISED], strict=True))
# Subjects and their data: the subject pages' matrix (tests/edc/test_access.py).
SUBJECT_LIST = dict(zip(WHO, [OK] * 4 + [FORBIDDEN, NOT_FOUND, UNAUTHORISED], strict=True))
SUBJECT_A = SUBJECT_LIST
SUBJECT_B = dict(
    zip(WHO, [NOT_FOUND] * 2 + [OK, OK, FORBIDDEN, NOT_FOUND, UNAUTHORISED], strict=True)
)
AUDIT_TRAIL = dict(zip(WHO, [OK] * 3 + [FORBIDDEN, OK, NOT_FOUND, UNAUTHORISED], strict=True))
DATASETS = dict(
    zip(WHO, [FORBIDDEN] * 2 + [OK, OK, FORBIDDEN, NOT_FOUND, UNAUTHORISED], strict=True)
)

S = "/api/v1/studies/{rid}"
ENDPOINTS = {
    "/api/v1/studies/": STUDIES,
    S + "/": STUDY,
    S + "/subjects/": SUBJECT_LIST,
    S + "/subjects/{A}/": SUBJECT_A,
    S + "/subjects/{B}/": SUBJECT_B,
    S + "/visits/": SUBJECT_LIST,
    S + "/visits/{visit_A}/": SUBJECT_A,
    S + "/visits/{visit_B}/": SUBJECT_B,
    S + "/adverse-events/": SUBJECT_LIST,
    S + "/adverse-events/{ae_A}/": SUBJECT_A,
    S + "/adverse-events/{ae_B}/": SUBJECT_B,
    S + "/crfs/": SUBJECT_LIST,
    S + "/crfs/prior_therapy/": SUBJECT_LIST,
    S + "/crfs/prior_therapy/rows/": SUBJECT_LIST,
    S + "/crfs/prior_therapy/rows/{row_A}/": SUBJECT_A,
    S + "/crfs/prior_therapy/rows/{row_B}/": SUBJECT_B,
    # The query pages' matrix: their gate is the subject pages'.
    S + "/queries/": SUBJECT_LIST,
    S + "/queries/{query_A}/": SUBJECT_A,
    S + "/queries/{query_B}/": SUBJECT_B,
    S + "/audit-trail/": AUDIT_TRAIL,
    S + "/dataset-exports/": DATASETS,
    S + "/dataset-exports/{export}/": DATASETS,
    S + "/dataset-exports/{export}/download/": DATASETS,
}
CASES = [
    pytest.param(url, who, status, id=f"{url.removeprefix(S)}-{who}")
    for url, row in ENDPOINTS.items()
    for who, status in row.items()
]


def _keys(study, subjects, export):
    keys = {"rid": study.registry_id, "export": export.pk}
    for where, subject in subjects.items():
        keys[where] = subject.pk
        keys[f"visit_{where}"] = subject.visit_instances.get().pk
        keys[f"ae_{where}"] = AdverseEvent.objects.get(subject=subject).pk
        keys[f"query_{where}"] = subject.queries.get().pk
        keys[f"row_{where}"] = crf_spec("prior_therapy").model.objects.get(subject=subject).pk
    return keys


@pytest.mark.parametrize(("url", "who", "expected"), CASES)
def test_endpoint_answers_each_role_as_the_pages_do(
    as_role, study, subjects, export, url, who, expected
):
    response = as_role(who).get(url.format(**_keys(study, subjects, export)))
    assert response.status_code == expected
