"""The eligibility page's judgements form and screen failure, posted by Hypothesis with hostile
values (tests/hostile.py): refusals on the judgement's field or (screen failure) as messages
naming the field; never a server error, nothing written on refusal."""

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


@pytest.mark.parametrize(
    ("action", "forms_of", "refuses_with_messages"),
    [
        ("judgements", lambda page: [page.context["form"]], False),
        ("screen_fail", lambda page: [page.context["screen_fail_form"]], True),
    ],
    ids=["judgements", "screen_fail"],
)
@HOSTILE
@given(data=st.data())
def test_eligibility_decisions_refuse_hostile_input(
    client, subject, action, forms_of, refuses_with_messages, data
):
    drive(
        client,
        reverse("screening:eligibility", args=[subject.study.registry_id, subject.pk]),
        data,
        forms_of=forms_of,
        known={"inc-3__met": "yes", "inc-3__note": "Per chart", "reason": "Declined"},
        on=CONSENT,
        fixed={"action": action},
        refuses_with_messages=refuses_with_messages,
    )
