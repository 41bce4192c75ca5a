"""The role and site matrix, for every page of every app: who gets it, a 403, a 404 or the login
page. A new page belongs in MATRIX."""

import datetime as dt
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from adverse_events.models import ToxicityEpisode
from edc.audit import audited_create
from edc.data_queries import Query
from edc.datasets import DatasetExport
from edc.roles import Role
from edc.services.locks import data_lock
from tests.edc.factories import SubjectFactory, UserFactory
from tests.edc.query_helpers import save_vitals
from tests.edc.review_journeys import vitals
from tests.followup.factories import VisitInstanceFactory

OK, FORBIDDEN, NOT_FOUND, LOGIN = 200, 403, 404, 302

# Who is asking: (role, at site A?) ; None = a user with no membership; "anon" = not logged in.
WHO = {
    "investigator@A": (Role.INVESTIGATOR, True),
    "coordinator@A": (Role.COORDINATOR, True),
    "pi@A": (Role.PRINCIPAL_INVESTIGATOR, True),
    "monitor@A": (Role.MONITOR, True),
    "data_manager": (Role.DATA_MANAGER, False),
    "sponsor": (Role.SPONSOR, False),
    "administrator": (Role.ADMINISTRATOR, False),
    "outsider": None,
    "anonymous": "anon",
}

# view -> expected status per asker, for a subject at site A ("A") or at site B ("B").
SUBJECT_PAGE_A = dict(zip(WHO, [OK] * 6 + [FORBIDDEN, NOT_FOUND, LOGIN], strict=True))
SUBJECT_PAGE_B = dict(
    zip(WHO, [NOT_FOUND] * 4 + [OK, OK, FORBIDDEN, NOT_FOUND, LOGIN], strict=True)
)
STUDY_PAGE = dict(zip(WHO, [OK] * 7 + [NOT_FOUND, LOGIN], strict=True))
SUBJECTS_PAGE = dict(zip(WHO, [OK] * 6 + [FORBIDDEN, NOT_FOUND, LOGIN], strict=True))

# The study's datasets: those who may export them (data managers and sponsors).
DATASETS_PAGE = dict(zip(WHO, [FORBIDDEN] * 4 + [OK, OK, FORBIDDEN, NOT_FOUND, LOGIN], strict=True))

# Locking and unlocking: data managers only (LOCK_DATA).
LOCKING_PAGE = dict(
    zip(WHO, [FORBIDDEN] * 4 + [OK] + [FORBIDDEN] * 2 + [NOT_FOUND, LOGIN], strict=True)
)

# Pages about the whole system, not one study: data managers and administrators of any study.
SYSTEM_LOG_PAGE = dict(
    zip(WHO, [FORBIDDEN] * 4 + [OK, FORBIDDEN, OK, FORBIDDEN, LOGIN], strict=True)
)
# The user's own pages (their tasks, their notification settings): anyone logged in.
OWN_PAGE = dict(zip(WHO, [OK] * 8 + [LOGIN], strict=True))

# The study-wide audit trail: everyone holding VIEW_AUDIT_TRAIL (within their sites).
AUDIT_TRAIL_PAGE = dict(zip(WHO, [OK] * 5 + [FORBIDDEN, OK, NOT_FOUND, LOGIN], strict=True))

# Source-data verification: monitors (VERIFY_SOURCE), at their sites.
MONITOR_PAGE = dict(
    zip(WHO, [FORBIDDEN] * 3 + [OK] + [FORBIDDEN] * 3 + [NOT_FOUND, LOGIN], strict=True)
)
# Risk-based monitoring: monitors, data managers and principal investigators (RAISE_QUERY or
# SIGN_CASEBOOK).
MONITORING_PAGE = dict(
    zip(WHO, [FORBIDDEN] * 2 + [OK] * 3 + [FORBIDDEN] * 2 + [NOT_FOUND, LOGIN], strict=True)
)
# Signing: the principal investigator (SIGN_CASEBOOK) of the subject's site.
SIGN_PAGE_A = dict(
    zip(WHO, [FORBIDDEN] * 2 + [OK] + [FORBIDDEN] * 4 + [NOT_FOUND, LOGIN], strict=True)
)
SIGN_PAGE_B = dict(
    zip(WHO, [FORBIDDEN] * 2 + [NOT_FOUND] + [FORBIDDEN] * 4 + [NOT_FOUND, LOGIN], strict=True)
)

MATRIX = {
    ("edc:study-home", None): STUDY_PAGE,
    ("edc:audit-trail", None): AUDIT_TRAIL_PAGE,
    ("edc:audit-trail-csv", None): AUDIT_TRAIL_PAGE,
    ("edc:subject-list", None): SUBJECTS_PAGE,
    ("edc:dashboard", None): SUBJECTS_PAGE,
    ("edc:subject-register", None): dict(
        zip(WHO, [OK] * 3 + [FORBIDDEN] * 4 + [NOT_FOUND, LOGIN], strict=True)
    ),
    ("edc:subject-detail", "A"): SUBJECT_PAGE_A,
    ("edc:subject-detail", "B"): SUBJECT_PAGE_B,
    ("edc:subject-casebook-pdf", "A"): SUBJECT_PAGE_A,
    ("edc:subject-casebook-pdf", "B"): SUBJECT_PAGE_B,
    ("edc:subject-correct", "A"): dict(
        zip(WHO, [OK] * 3 + [FORBIDDEN] * 4 + [NOT_FOUND, LOGIN], strict=True)
    ),
    ("edc:subject-correct", "B"): dict(
        zip(WHO, [NOT_FOUND] * 3 + [FORBIDDEN] * 4 + [NOT_FOUND, LOGIN], strict=True)
    ),
    ("edc:subject-history", "A"): dict(
        zip(WHO, [OK] * 5 + [FORBIDDEN, OK, NOT_FOUND, LOGIN], strict=True)
    ),
    ("edc:subject-history", "B"): dict(
        zip(WHO, [NOT_FOUND] * 4 + [OK, FORBIDDEN, OK, NOT_FOUND, LOGIN], strict=True)
    ),
    ("edc:crf", "A"): SUBJECT_PAGE_A,
    ("edc:crf", "B"): SUBJECT_PAGE_B,
    ("screening:eligibility", "A"): SUBJECT_PAGE_A,
    ("screening:eligibility", "B"): SUBJECT_PAGE_B,
    ("screening:screening-log", None): SUBJECTS_PAGE,
    ("dosing:escalation", None): STUDY_PAGE,
    ("adverse_events:safety", "A"): SUBJECT_PAGE_A,
    ("adverse_events:safety", "B"): SUBJECT_PAGE_B,
    ("adverse_events:episode", "A"): SUBJECT_PAGE_A,
    ("adverse_events:episode", "B"): SUBJECT_PAGE_B,
    ("adverse_events:sae-dashboard", None): STUDY_PAGE,
    ("adverse_events:safety-contacts", None): dict(
        zip(WHO, [FORBIDDEN] * 4 + [OK, FORBIDDEN, OK, NOT_FOUND, LOGIN], strict=True)
    ),
    ("followup:schedule", "A"): SUBJECT_PAGE_A,
    ("followup:schedule", "B"): SUBJECT_PAGE_B,
    ("followup:efficacy", "A"): SUBJECT_PAGE_A,
    ("followup:efficacy", "B"): SUBJECT_PAGE_B,
    ("followup:calendar", None): SUBJECTS_PAGE,
    ("followup:calendar-month", None): SUBJECTS_PAGE,
    ("followup:visit", "A"): SUBJECT_PAGE_A,
    ("followup:visit", "B"): SUBJECT_PAGE_B,
    ("followup:unscheduled-add", "A"): dict(
        zip(WHO, [OK] * 3 + [FORBIDDEN] * 4 + [NOT_FOUND, LOGIN], strict=True)
    ),
    ("followup:unscheduled-add", "B"): dict(
        zip(WHO, [NOT_FOUND] * 3 + [FORBIDDEN] * 4 + [NOT_FOUND, LOGIN], strict=True)
    ),
    ("followup:deviations", None): SUBJECTS_PAGE,
    ("followup:kinetics", "A"): SUBJECT_PAGE_A,
    ("followup:kinetics", "B"): SUBJECT_PAGE_B,
    ("followup:kinetics-expansion-svg", "A"): SUBJECT_PAGE_A,
    ("followup:kinetics-expansion-svg", "B"): SUBJECT_PAGE_B,
    ("followup:swimmer", None): SUBJECTS_PAGE,
    ("followup:swimmer-svg", None): SUBJECTS_PAGE,
    ("edc:query-list", None): SUBJECTS_PAGE,
    ("edc:subject-queries", "A"): SUBJECT_PAGE_A,
    ("edc:subject-queries", "B"): SUBJECT_PAGE_B,
    ("edc:query-detail", "A"): SUBJECT_PAGE_A,
    ("edc:query-detail", "B"): SUBJECT_PAGE_B,
    # Raising a query: monitors (at their site) and data managers.
    ("edc:query-raise", "A"): dict(
        zip(WHO, [FORBIDDEN] * 3 + [OK, OK] + [FORBIDDEN] * 2 + [NOT_FOUND, LOGIN], strict=True)
    ),
    ("edc:query-raise", "B"): dict(
        zip(
            WHO,
            [FORBIDDEN] * 3 + [NOT_FOUND, OK] + [FORBIDDEN] * 2 + [NOT_FOUND, LOGIN],
            strict=True,
        )
    ),
    ("edc:datasets", None): DATASETS_PAGE,
    ("edc:data-locks", None): LOCKING_PAGE,
    # "A": a lock of the subject at site A.
    ("edc:data-unlock", "A"): LOCKING_PAGE,
    # "A": a finished export of the study of the subject at site A.
    ("edc:dataset-download", "A"): DATASETS_PAGE,
    ("edc:access-log", "system"): SYSTEM_LOG_PAGE,
    ("edc:access-log-csv", "system"): SYSTEM_LOG_PAGE,
    ("edc:my-tasks", "system"): OWN_PAGE,
    ("edc:notification-settings", "system"): OWN_PAGE,
    ("edc:api-tokens", "system"): OWN_PAGE,
    # The read API's Swagger page (its data answer per role: tests/api/test_api_access.py).
    ("api:docs", "system"): OWN_PAGE,
    ("edc:sdv-worklist", None): MONITOR_PAGE,
    ("edc:sdv-progress", None): SUBJECTS_PAGE,
    ("edc:monitoring", None): MONITORING_PAGE,
    ("edc:crf-verify", "A"): MONITOR_PAGE,
    ("edc:crf-verify", "B"): dict(
        zip(WHO, [FORBIDDEN] * 3 + [NOT_FOUND] + [FORBIDDEN] * 3 + [NOT_FOUND, LOGIN], strict=True)
    ),
    ("edc:sign-casebook", "A"): SIGN_PAGE_A,
    ("edc:sign-casebook", "B"): SIGN_PAGE_B,
    ("edc:sign-visit", "A"): SIGN_PAGE_A,
    ("edc:sign-visit", "B"): SIGN_PAGE_B,
    ("edc:sign-form", "A"): SIGN_PAGE_A,
    ("edc:sign-form", "B"): SIGN_PAGE_B,
    # The icon browsers ask for on every page, the login page included.
    ("edc:favicon", "system"): dict.fromkeys(WHO, OK),
}
EXTRA_KWARGS = {
    "edc:crf": lambda subject: {"visit_code": "SCR", "crf_code": "vital_signs"},
    "adverse_events:episode": lambda subject: {"episode_pk": subject.episodes.get().pk},
    "followup:calendar-month": lambda subject: {"year": 2026, "month": 5},
    "followup:visit": lambda subject: {"visit_pk": VisitInstanceFactory(subject=subject).pk},
    "followup:unscheduled-add": lambda subject: {"token": uuid.uuid4()},
    "edc:crf-verify": lambda subject: {
        "visit_code": "SCR",
        "crf_code": "vital_signs",
        "row": vitals(subject).pk,
    },
    "edc:sign-visit": lambda subject: {"visit_code": "SCR"},
    "edc:sign-form": lambda subject: {
        "visit_code": "SCR",
        "crf_code": "vital_signs",
        "row": vitals(subject).pk,
    },
    "edc:dataset-download": lambda subject: {"pk": _finished_export(subject.study).pk},
    "edc:query-detail": lambda subject: {"query_pk": _query(subject).pk},
    "edc:query-raise": lambda subject: _saved_vitals(subject),
    "edc:data-unlock": lambda subject: {"pk": _subject_lock(subject).pk},
}
CASES = [
    pytest.param(view, where, who, status, id=f"{view.split(':')[1]}-{where or 'study'}-{who}")
    for (view, where), row in MATRIX.items()
    for who, status in row.items()
]


@pytest.fixture
def subjects(study, site_a, site_b, stratum):
    subjects = {
        "A": SubjectFactory(study_site=site_a, stratum=stratum, day0_date=dt.date(2026, 4, 1)),
        "B": SubjectFactory(study_site=site_b, stratum=stratum, day0_date=dt.date(2026, 4, 1)),
    }
    for subject in subjects.values():
        ToxicityEpisode.objects.create(
            subject=subject, kind="crs", onset_at=dt.datetime(2026, 4, 2, tzinfo=dt.UTC)
        )
    return subjects


@pytest.mark.parametrize(("view", "where", "who", "expected"), CASES)
def test_view_answers_each_role_as_the_matrix_says(
    client, study, site_a, subjects, member, view, where, who, expected
):
    asker = WHO[who]
    if asker is None:
        client.force_login(UserFactory())
    elif asker != "anon":
        role, at_site = asker
        client.force_login(member(role, study_site=site_a if at_site else None))
    response = client.get(_url(view, where, study, subjects))
    assert response.status_code == expected


def _subject_lock(subject):
    return data_lock(
        study=subject.study,
        scope="subject",
        study_site=subject.study_site,
        subject=subject,
        actor=UserFactory(),
        reason="Interim analysis",
    )


def _finished_export(study):
    return DatasetExport.objects.create(
        study=study,
        requested_by=UserFactory(),
        kind=DatasetExport.Kind.ANALYSIS_CSV,
        as_of=dt.datetime(2026, 4, 1, tzinfo=dt.UTC),
        status=DatasetExport.Status.DONE,
        file=default_storage.save("dataset-exports/access.zip", ContentFile(b"PK")),
    )


def _query(subject):
    return audited_create(
        Query(subject=subject, visit_code="SCR", crf_code="vital_signs", field_name="weight_kg",
              origin="manual", raised_by=UserFactory(), raised_role=Role.MONITOR),
        actor=UserFactory(),
    )  # fmt: skip


def _saved_vitals(subject):
    save_vitals(subject, UserFactory())
    return {"visit_code": "SCR", "crf_code": "vital_signs"}


def _url(view, where, study, subjects):
    kwargs = {} if where == "system" else {"registry_id": study.registry_id}
    if where in subjects:
        kwargs["pk"] = subjects[where].pk
    kwargs |= EXTRA_KWARGS.get(view, lambda subject: {})(subjects.get(where))
    return reverse(view, kwargs=kwargs)


POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
}


def _policy(response) -> set[str]:
    return {d.strip() for d in response["Content-Security-Policy"].split(";")}


@pytest.mark.parametrize(
    ("view", "where"), [pytest.param(*key, id="-".join(map(str, key))) for key in MATRIX]
)
def test_every_page_carries_the_content_security_policy(
    client, study, site_a, subjects, member, view, where
):
    client.force_login(member(Role.DATA_MANAGER))
    response = client.get(_url(view, where, study, subjects))
    assert _policy(response) == POLICY


@pytest.mark.parametrize("url", ["/accounts/login/", "/no-such-page/", "/admin/login/"])
def test_pages_outside_the_studies_carry_the_content_security_policy(client, url):
    assert _policy(client.get(url)) == POLICY


def test_investigator_lists_only_subjects_of_their_site(client, study, site_a, subjects, member):
    client.force_login(member(Role.INVESTIGATOR, study_site=site_a))
    page = client.get(reverse("edc:subject-list", args=[study.registry_id])).content.decode()
    assert subjects["A"].screening_number in page
    assert subjects["B"].screening_number not in page


def test_sponsor_sees_no_personal_data(client, study, subjects, member):
    subjects["A"].initials = "QXZ"
    subjects["A"]._change_reason = "test set-up"
    subjects["A"].save()
    client.force_login(member(Role.SPONSOR))
    url = reverse("edc:subject-detail", args=[study.registry_id, subjects["A"].pk])
    page = client.get(url).content.decode()
    assert "QXZ" not in page
    assert "1990-05-17" not in page


def test_sponsor_has_no_register_button(client, study, member):
    client.force_login(member(Role.SPONSOR))
    page = client.get(reverse("edc:subject-list", args=[study.registry_id])).content.decode()
    assert reverse("edc:subject-register", args=[study.registry_id]) not in page


def test_monitor_cannot_post_a_correction(client, study, site_a, subjects, member):
    client.force_login(member(Role.MONITOR, study_site=site_a))
    url = reverse("edc:subject-correct", args=[study.registry_id, subjects["A"].pk])
    response = client.post(url, {"initials": "ZZ", "reason": "x", "version": 1})
    assert response.status_code == FORBIDDEN
    subjects["A"].refresh_from_db()
    assert subjects["A"].initials == "ABC"


def test_inactive_membership_grants_nothing(client, study, site_a, member):
    user = member(Role.INVESTIGATOR, study_site=site_a)
    membership = user.memberships.get()
    membership._change_reason = "left the study"
    membership.is_active = False
    membership.save()
    client.force_login(user)
    response = client.get(reverse("edc:study-home", args=[study.registry_id]))
    assert response.status_code == NOT_FOUND


def test_administrator_is_offered_no_subject_pages_it_cannot_open(client, study, member):
    client.force_login(member(Role.ADMINISTRATOR))
    page = client.get(reverse("edc:study-home", args=[study.registry_id])).content.decode()
    assert reverse("edc:subject-list", args=[study.registry_id]) not in page
    assert reverse("screening:screening-log", args=[study.registry_id]) not in page


def test_investigator_is_offered_the_subject_pages(client, study, site_a, member):
    client.force_login(member(Role.INVESTIGATOR, study_site=site_a))
    page = client.get(reverse("edc:study-home", args=[study.registry_id])).content.decode()
    assert reverse("edc:subject-list", args=[study.registry_id]) in page
