"""The eligibility page's confirmations and screen failure, posted by Hypothesis with hostile
values (tests/hostile.py). The page shows refusals as messages naming the field: never a server
error, nothing written on refusal."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edc.audit import system_user
from tests.hostile import drive, log_in_investigator
from tests.screening.journeys import CONSENT, ct1192_subject, screen

HOSTILE = settings(
    max_examples=20,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def subject(db, client):
    """A screened CT1192 subject whose investigator judgements are still to be confirmed."""
    subject = screen(ct1192_subject(), system_user())
    log_in_investigator(client, subject)
    return subject


def _first_confirmation(page):
    return next(
        form
        for section in page.context["sections"]
        for row in section["rows"]
        for form in row["confirm"]
    )


@pytest.mark.parametrize(
    ("action", "forms_of"),
    [
        ("confirm", lambda page: [_first_confirmation(page)]),
        ("screen_fail", lambda page: [page.context["screen_fail_form"]]),
    ],
    ids=["confirm", "screen_fail"],
)
@HOSTILE
@given(data=st.data())
def test_eligibility_decisions_refuse_hostile_input(client, subject, action, forms_of, data):
    drive(
        client,
        reverse("screening:eligibility", args=[subject.study.registry_id, subject.pk]),
        data,
        forms_of=forms_of,
        known={"met": "yes", "note": "Per chart", "reason": "Declined"},
        on=CONSENT,
        fixed={"action": action},
        refuses_with_messages=True,
    )
