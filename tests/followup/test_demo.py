"""The demo's follow-up of a treated subject: samples entered through the CRF services, past
visits done through the schedule's services, the latest left overdue and one declared missed."""

from __future__ import annotations

import datetime as dt

import pytest

from followup.demo import follow_subject
from followup.models import (
    BCellCount,
    CarTKinetics,
    Immunoglobulins,
    ResponseAssessment,
    VisitInstance,
)
from screening.models import ConcomitantMedication, Demographics
from tests.adverse_events.journeys import DAY0, infused_subject
from tests.edc.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = DAY0 + dt.timedelta(days=40)  # every visit up to Day 28 has closed its window


@pytest.fixture
def followed():
    actor = UserFactory()
    subject = infused_subject(actor)
    follow_subject(subject, actor=actor, today=TODAY, furthest=True)
    return subject


def _visit_codes(model, subject) -> set[str]:
    return set(model.objects.filter(subject=subject).values_list("visit_code", flat=True))


def test_past_visits_are_done_but_the_latest_is_left_overdue_and_one_missed(followed):
    states = dict(VisitInstance.objects.filter(subject=followed).values_list("visit_code", "state"))
    assert {code: states[code] for code in ("D1", "D4", "D7", "D10", "D14", "D21", "D28")} == {
        "D1": "done",
        "D4": "done",
        "D7": "done",
        "D10": "missed",
        "D14": "done",
        "D21": "done",
        "D28": "open",
    }
    assert states["M2"] == "open"


def test_done_visits_have_the_samples_their_schedule_names(followed):
    # CT1192: kinetics from the end of the infusion, B cells at screening, Day 7 and Day 14.
    assert _visit_codes(CarTKinetics, followed) == {"D0", "D1", "D4", "D7", "D14", "D21"}
    assert _visit_codes(BCellCount, followed) == {"SCR", "D7", "D14"}
    assert _visit_codes(Immunoglobulins, followed) == {"SCR"}


def test_screening_records_the_subject_and_its_medication(followed):
    assert _visit_codes(Demographics, followed) == {"SCR"}
    assert _visit_codes(ConcomitantMedication, followed) == {"SCR", "D0"}


def test_b_cells_are_aplastic_after_the_infusion(followed):
    after = BCellCount.objects.filter(subject=followed).exclude(visit_code="SCR")
    assert all(row.cd19_below_lloq and row.cd19_cells_per_ul is None for row in after)


def test_the_demo_lupus_subject_reaches_doris_remission_at_month_2():
    actor = UserFactory()
    subject = infused_subject(actor)
    follow_subject(subject, actor=actor, today=DAY0 + dt.timedelta(days=100), furthest=False)
    doris = dict(
        ResponseAssessment.objects.filter(
            subject=subject, definition="doris_remission"
        ).values_list("visit_code", "result")
    )
    assert doris == {"D28": "not_met", "M2": "met"}


def test_the_demo_follow_up_shows_expansion_aplasia_reconstitution_and_ivig():
    """Followed to Day 107 (M2 done, M3 left overdue): what the kinetics page and its plots show."""
    from followup.selectors import ivig_medications, subject_kinetics

    actor = UserFactory()
    subject = infused_subject(actor)
    follow_subject(subject, actor=actor, today=DAY0 + dt.timedelta(days=107), furthest=False)
    result = subject_kinetics(subject)
    assert result.transgene.tmax == 7
    assert result.transgene_samples[-1] == (60, None)
    assert (result.b_cells.aplasia_day, result.b_cells.reconstitution_day) == (7, 28)
    assert result.igg.first_low_day == 28
    assert [m.drug_name for m in ivig_medications(subject)] == [
        "Human normal immunoglobulin (IVIG)"
    ]
