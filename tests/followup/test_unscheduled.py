"""Unscheduled visits: numbered per subject, with a reason and forms the protocol repeats;
they appear in the casebook as their own visit, and their forms are entered there."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from edc.casebook import casebook_grid
from edc.selectors import protocol_definition
from edc.submissions import DuplicateSubmission
from followup.models import UnscheduledVisit
from followup.services import unscheduled_crf_choices, unscheduled_visit_add
from tests.adverse_events.journeys import DAY0
from tests.hostile import log_in_investigator

pytestmark = pytest.mark.django_db

ON = DAY0 + dt.timedelta(days=12)


def _add(subject, actor, **kwargs) -> UnscheduledVisit:
    fields = {"visit_date": ON, "reason": "Fever", "crf_codes": ["vital_signs", "lab_panel"]}
    return unscheduled_visit_add(subject, actor=actor, **{**fields, **kwargs})


def test_visits_are_numbered_per_subject(subject, actor):
    assert [_add(subject, actor).visit_code, _add(subject, actor).visit_code] == ["UNS1", "UNS2"]


def test_the_forms_offered_are_those_the_protocol_repeats(subject):
    choices = unscheduled_crf_choices(subject)
    assert {"vital_signs", "lab_panel", "adverse_event", "b_cell_count"} <= set(choices)
    assert not {"eligibility", "infusion", "lymphodepletion", "end_of_study"} & set(choices)


def test_a_form_not_offered_is_refused_on_the_forms(subject, actor):
    with pytest.raises(ValidationError) as refused:
        _add(subject, actor, crf_codes=["vital_signs", "infusion"])
    assert "crf_codes" in refused.value.error_dict
    assert not UnscheduledVisit.objects.exists()


def test_a_visit_without_forms_is_refused_on_the_forms(subject, actor):
    with pytest.raises(ValidationError) as refused:
        _add(subject, actor, crf_codes=[])
    assert "crf_codes" in refused.value.error_dict


def test_a_visit_in_the_future_is_refused_on_its_date(subject, actor):
    with pytest.raises(ValidationError) as refused:
        _add(subject, actor, visit_date=dt.date.today() + dt.timedelta(days=2))
    assert "visit_date" in refused.value.error_dict


def test_the_same_page_submitted_twice_adds_one_visit(subject, actor):
    token = uuid.uuid4()
    _add(subject, actor, submission_token=token)
    with pytest.raises(DuplicateSubmission):
        _add(subject, actor, submission_token=token)
    assert UnscheduledVisit.objects.count() == 1


@pytest.mark.postgres
def test_the_database_refuses_a_second_visit_with_the_same_number(subject, actor):
    first = _add(subject, actor)
    duplicate = UnscheduledVisit(
        subject=subject, number=first.number, visit_date=ON, reason="x", crf_codes=["vital_signs"]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save(force_insert=True)


def test_the_casebook_shows_the_visit_with_its_forms(subject, actor):
    _add(subject, actor)
    with translation.override("en"):
        grid = casebook_grid(subject, protocol_definition(subject.study), "en", today=ON)
    row = grid[-1]
    assert (row.visit_code, row.window.target) == ("UNS1", ON)
    assert [c.crf_code for c in row.cells] == ["vital_signs", "lab_panel"]


def test_a_chosen_form_is_entered_at_the_unscheduled_visit(client, subject, actor):
    _add(subject, actor)
    log_in_investigator(client, subject)
    url = reverse("edc:crf", args=[subject.study.registry_id, subject.pk, "UNS1", "vital_signs"])
    assert client.get(url).status_code == 200


def test_a_form_not_chosen_has_no_page_at_the_unscheduled_visit(client, subject, actor):
    _add(subject, actor)
    log_in_investigator(client, subject)
    url = reverse("edc:crf", args=[subject.study.registry_id, subject.pk, "UNS1", "b_cell_count"])
    assert client.get(url).status_code == 404
