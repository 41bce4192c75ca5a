"""The eligibility page: the checklist for everyone who may see the subject, decisions for
investigators only."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from edc.models import Membership, Subject
from edc.roles import Role
from screening.models import EligibilityConfirmation
from screening.services.eligibility import eligibility_confirm
from tests.edc.factories import UserFactory
from tests.screening.journeys import confirm_judgements, ct1192_subject, screen

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject():
    return ct1192_subject()


def _login(client, subject, role, site=True):
    user = UserFactory()
    Membership.objects.create(
        user=user, study=subject.study, study_site=subject.study_site if site else None, role=role
    )
    client.force_login(user)
    return user


def _url(subject):
    return reverse("screening:eligibility", args=[subject.study.registry_id, subject.pk])


def test_checklist_groups_inclusion_criteria_and_shows_missing_data(client, subject):
    _login(client, subject, Role.INVESTIGATOR)
    response = client.get(_url(subject))
    section = response.context["sections"][0]
    assert (section["kind"], section["group"]) == ("inclusion", "common")
    row = next(r for r in section["rows"] if r["result"].criterion_id == "inc-10f")
    assert (row["result"].outcome, row["forms"]) == (
        "missing_data",
        [("echocardiography", "Echocardiography")],
    )


def _answers(**answers):
    """POST data of the judgements form: key=(met, note) -> its fields."""
    data = {"action": "judgements"}
    for key, (met, note) in answers.items():
        data |= {f"{key}__met": met, f"{key}__note": note}
    return data


def test_one_submit_saves_every_judgement(client, subject):
    _login(client, subject, Role.INVESTIGATOR)
    answers = {"inc-1": ("yes", "Per chart"), "inc-3": ("no", ""), "inc-4": ("yes", "")}
    response = client.post(_url(subject), _answers(**answers))
    assert response.status_code == 302
    saved = {c.key: (c.met, c.note) for c in EligibilityConfirmation.objects.all()}
    assert saved == {"inc-1": (True, "Per chart"), "inc-3": (False, ""), "inc-4": (True, "")}


def test_judgements_left_blank_stay_open(client, subject):
    _login(client, subject, Role.INVESTIGATOR)
    client.post(_url(subject), _answers(**{"inc-1": ("yes", "")}))
    assert list(EligibilityConfirmation.objects.values_list("key", flat=True)) == ["inc-1"]


def test_a_correction_without_reason_is_refused_on_the_field_and_saves_nothing(client, subject):
    user = _login(client, subject, Role.INVESTIGATOR)
    eligibility_confirm(subject, key="inc-1", met=True, note="", actor=user)
    response = client.post(_url(subject), _answers(**{"inc-1": ("no", ""), "inc-3": ("yes", "")}))
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert list(EligibilityConfirmation.objects.values_list("key", "met")) == [("inc-1", True)]


def test_a_correction_with_its_reason_is_saved(client, subject):
    user = _login(client, subject, Role.INVESTIGATOR)
    eligibility_confirm(subject, key="inc-1", met=True, note="", actor=user)
    client.post(_url(subject), {**_answers(**{"inc-1": ("no", "")}), "reason": "Misread chart"})
    assert EligibilityConfirmation.objects.get(key="inc-1").met is False


def test_a_note_without_an_answer_is_refused_on_that_judgement(client, subject):
    _login(client, subject, Role.INVESTIGATOR)
    response = client.post(_url(subject), _answers(**{"inc-1": ("", "why"), "inc-3": ("yes", "")}))
    assert list(response.context["form"].errors) == ["inc-1__met"]
    assert not EligibilityConfirmation.objects.exists()


def test_an_unknown_answer_is_refused_on_its_field(client, subject):
    _login(client, subject, Role.INVESTIGATOR)
    response = client.post(_url(subject), _answers(**{"inc-1": ("maybe", "")}))
    assert list(response.context["form"].errors) == ["inc-1__met"]
    assert not EligibilityConfirmation.objects.exists()


def test_investigator_enrols_an_eligible_subject(client, subject):
    user = _login(client, subject, Role.INVESTIGATOR)
    screen(subject, user)
    confirm_judgements(subject, user)
    response = client.post(_url(subject), {"action": "enrol"}, follow=True)
    assert Subject.objects.get().status == "enrolled"
    assert "Enrolled as CT1192-01-001" in response.content.decode()


def test_enrolling_a_pending_subject_shows_why_and_changes_nothing(client, subject):
    _login(client, subject, Role.INVESTIGATOR)
    response = client.post(_url(subject), {"action": "enrol"}, follow=True)
    [refusal] = [str(m) for m in response.context["messages"]]
    assert refusal.startswith("Not eligible yet: criteria I-1, I-3, I-4, "), refusal
    assert Subject.objects.get().status == "screening"


def test_coordinator_sees_the_checklist_without_decision_buttons(client, subject):
    _login(client, subject, Role.COORDINATOR)
    assert client.get(_url(subject)).context["can_decide"] is False
    assert client.post(_url(subject), {"action": "enrol"}).status_code == 403


def test_monitor_cannot_confirm(client, subject):
    _login(client, subject, Role.MONITOR)
    response = client.post(_url(subject), _answers(**{"inc-3": ("yes", "")}))
    assert response.status_code == 403
    assert not EligibilityConfirmation.objects.exists()


def test_screening_log_lists_the_sites_subjects_with_their_decision(client, subject):
    user = _login(client, subject, Role.INVESTIGATOR)
    screen(subject, user)
    client.post(_url(subject), {"action": "screen_fail", "reason": "Moved away"})
    response = client.get(reverse("screening:screening-log", args=[subject.study.registry_id]))
    [(logged, decision)] = response.context["page"]
    assert (logged.status, decision.outcome) == ("screen_failed", "screen_failed")


def test_screening_log_ignores_a_malformed_site(client, subject):
    _login(client, subject, Role.INVESTIGATOR)
    url = reverse("screening:screening-log", args=[subject.study.registry_id])
    assert client.get(url, {"site": "garbage"}).status_code == 200


class _VisibleText(HTMLParser):
    """The text a reader sees: text nodes outside <script>, <style> and <title>."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style", "title")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style", "title")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def _visible_text(response) -> str:
    parser = _VisibleText()
    parser.feed(response.content.decode())
    return " ".join(parser.parts)


SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def test_the_checklist_shows_no_developer_identifiers(client, subject):
    user = _login(client, subject, Role.INVESTIGATOR)
    screen(subject, user, skip=("echocardiography",))
    text = _visible_text(client.get(_url(subject)))
    assert "Neutrophils (ANC)" in text  # the evidence is there ...
    assert SNAKE_CASE.findall(text) == []  # ... in words, not identifiers


def test_a_chinese_user_reads_the_checklist_in_chinese(client, subject):
    user = _login(client, subject, Role.INVESTIGATOR)
    screen(subject, user, skip=("echocardiography",))
    client.post(reverse("edc:language-set"), {"language": "zh-hans", "next": "/"})
    text = _visible_text(client.get(_url(subject)))
    assert "中性粒细胞" in text
    english = ["no value on or before", "inside its window", "within ", "Met", "needs confirmation"]
    assert [phrase for phrase in english if phrase in text] == []


def test_a_monitor_reads_the_saved_judgements_with_their_notes(client, subject):
    investigator = UserFactory()
    eligibility_confirm(subject, key="inc-1", met=True, note="Per chart", actor=investigator)
    _login(client, subject, Role.MONITOR)
    text = _visible_text(client.get(_url(subject)))
    assert "the investigator confirmed: met — Per chart" in text
