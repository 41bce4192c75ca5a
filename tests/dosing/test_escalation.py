"""The escalation dashboard and the committee's signed decision."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dosing.models import DoseAssignment, EscalationDecision
from dosing.selectors import current_dose_level
from dosing.services import dlt_candidate_record, escalation_decision_record
from edc.access_log import AccessLog
from edc.crfs import crf_spec
from edc.models import Membership
from edc.roles import Role
from edc.services.crfs import crf_create
from tests.dosing.journeys import enrol, infuse
from tests.edc.factories import UserFactory
from tests.screening.journeys import TODAY

pytestmark = pytest.mark.django_db
PASSWORD = "sign-Pass-2026"


@pytest.fixture
def treated():
    actor = UserFactory()
    return infuse(enrol(actor, today=TODAY), actor, day0=dt.date(2026, 5, 6))


def _login(client, study, role):
    user = UserFactory(password=PASSWORD)
    site = study.study_sites.get()
    Membership.objects.create(user=user, study=study, study_site=site, role=role)
    client.force_login(user)
    return user


def _url(study):
    return reverse("dosing:escalation", args=[study.registry_id])


def _decision(**changes):
    return {
        "decision": "stay",
        "next_dose_level": "1",
        "rationale": "",
        "meeting_on": "2026-06-10",
        "password": PASSWORD,
        **changes,
    }


def test_dashboard_shows_each_level_and_the_boin_table(client, treated):
    _login(client, treated.study, Role.INVESTIGATOR)
    response = client.get(_url(treated.study))
    levels = [summary for summary, _, _ in response.context["summaries"]]
    assert [(s.level, s.assigned, s.treated, s.pending) for s in levels] == [
        (1, 1, 1, 1),
        (2, 0, 0, 0),
        (3, 0, 0, 0),
    ]
    table = response.context["boin_table"]
    assert [(r.n, r.escalate_if_dlt_le, r.deescalate_if_dlt_ge) for r in table[2:3]] == [(3, 0, 2)]


def test_investigator_cannot_record_a_decision(client, treated):
    _login(client, treated.study, Role.INVESTIGATOR)
    assert client.post(_url(treated.study), _decision()).status_code == 403


def test_wrong_password_signs_nothing(client, treated):
    _login(client, treated.study, Role.PRINCIPAL_INVESTIGATOR)
    response = client.post(_url(treated.study), _decision(password="wrong"))
    assert "password is not correct" in response.content.decode()
    assert not EscalationDecision.objects.exists()


def test_decision_against_the_recommendation_needs_a_rationale(client, treated):
    _login(client, treated.study, Role.PRINCIPAL_INVESTIGATOR)
    response = client.post(_url(treated.study), _decision(decision="escalate", next_dose_level=2))
    assert "give the rationale" in response.content.decode()
    assert not EscalationDecision.objects.exists()


def test_signed_decision_moves_new_subjects_to_the_next_level(client, treated):
    user = _login(client, treated.study, Role.PRINCIPAL_INVESTIGATOR)
    client.post(
        _url(treated.study),
        _decision(decision="escalate", next_dose_level=2, rationale="SRC: 0/1 so far, cleared"),
    )
    decision = EscalationDecision.objects.get()
    assert (decision.decision, decision.history.get().history_user) == ("escalate", user)
    assert current_dose_level(treated.study) == 2
    enrol(UserFactory(), today=dt.date(2026, 6, 11))
    assert DoseAssignment.objects.order_by("created_at").last().dose_level == 2


def test_dlt_assessment_links_the_events_that_caused_it(treated):
    actor = UserFactory()
    candidate = dlt_candidate_record(
        subject=treated,
        source="adverse_events",
        source_ref="ae-1",
        rule_id="dlt-icans",
        description="ICANS grade 3",
        grade=3,
        onset_on=dt.date(2026, 5, 10),
        actor=actor,
    )
    assessment = crf_create(
        spec=crf_spec("dlt_assessment"),
        subject=treated,
        visit_code="D28",
        data={
            "assessed_on": dt.date(2026, 6, 3),
            "evaluable": True,
            "not_evaluable_reason": "",
            "had_dlt": True,
            "dlt_description": "ICANS grade 3 on day 4",
            "dlt_candidate_refs": [str(candidate.pk)],
        },
        actor=actor,
    )
    assert assessment.dlt_candidate_refs == [str(candidate.pk)]


def test_the_same_event_proposed_twice_is_one_candidate(treated):
    actor = UserFactory()
    fields = {
        "subject": treated,
        "source": "adverse_events",
        "source_ref": "ae-1",
        "rule_id": "dlt-icans",
        "description": "ICANS grade 3",
        "grade": 3,
        "onset_on": dt.date(2026, 5, 10),
        "actor": actor,
    }
    assert dlt_candidate_record(**fields) == dlt_candidate_record(**fields)


def test_skipping_a_level_needs_a_rationale(treated, rf):
    user = UserFactory(password=PASSWORD)
    with pytest.raises(ValidationError, match="give the rationale for another level"):
        escalation_decision_record(
            study=treated.study,
            dose_level=1,
            recommendation="escalate",
            basis={},
            decision="escalate",
            next_dose_level=3,
            rationale="",
            meeting_on=dt.date(2026, 6, 10),
            password=PASSWORD,
            actor=user,
            request=rf.post("/"),
            now=timezone.now(),
        )


def test_five_wrong_signature_passwords_lock_signing_with_a_message_on_the_field(client, treated):
    _login(client, treated.study, Role.PRINCIPAL_INVESTIGATOR)
    for _ in range(5):
        response = client.post(_url(treated.study), _decision(password="wrong"))
    assert response.status_code == 200
    assert "signing and logging in are locked for 30 minutes" in response.content.decode()
    response = client.post(_url(treated.study), _decision())
    assert "signing and logging in are locked" in response.content.decode()
    assert not EscalationDecision.objects.exists()


def test_wrong_signature_passwords_lock_the_log_in_too(client, treated):
    user = _login(client, treated.study, Role.PRINCIPAL_INVESTIGATOR)
    for _ in range(5):
        client.post(_url(treated.study), _decision(password="wrong"))
    client.logout()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429


def test_a_wrong_signature_password_is_in_the_access_log(client, treated):
    user = _login(client, treated.study, Role.PRINCIPAL_INVESTIGATOR)
    client.post(_url(treated.study), _decision(password="wrong"))
    assert AccessLog.objects.filter(kind="signature_failed", username=user.username).exists()


def test_why_column_says_in_words_what_the_level_waits_for(client, treated):
    _login(client, treated.study, Role.INVESTIGATOR)
    rows = client.get(_url(treated.study)).context["summaries"]
    assert [(recommendation, why) for _, recommendation, why in rows] == [
        (
            "pending",
            "waiting for 1 subject(s) still in the DLT window; so far: no DLT-evaluable "
            "subject yet",
        ),
        ("pending", "no DLT-evaluable subject yet"),
        ("pending", "no DLT-evaluable subject yet"),
    ]


def test_why_column_reads_chinese_for_a_chinese_user(client, treated):
    _login(client, treated.study, Role.INVESTIGATOR)
    client.post(reverse("edc:language-set"), {"language": "zh-hans", "next": "/"})
    rows = client.get(_url(treated.study)).context["summaries"]
    assert [recommendation for _, recommendation, _ in rows] == ["待定", "待定", "待定"]
    assert all(not re.search("[a-z]{3,}", why) for _, _, why in rows), rows


def test_next_dose_level_offers_the_protocols_levels(client, treated):
    _login(client, treated.study, Role.PRINCIPAL_INVESTIGATOR)
    field = client.get(_url(treated.study)).context["form"].fields["next_dose_level"]
    assert [value for value, _ in field.choices] == ["", 1, 2, 3]


def test_next_dose_level_outside_the_protocol_is_refused_on_the_field(client, treated):
    _login(client, treated.study, Role.PRINCIPAL_INVESTIGATOR)
    response = client.post(_url(treated.study), _decision(next_dose_level="7"))
    assert "next_dose_level" in response.context["form"].errors
    assert not EscalationDecision.objects.exists()
