"""A new malignancy report opens exactly one serious adverse event in its own transaction, with
the SAE notification queued in the outbox; a correction updates that event, never a second."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from adverse_events.models import AdverseEvent, NewMalignancy
from adverse_events.sae import sae_notification_key
from edc.crfs import crf_spec
from edc.outbox import OutboxMessage
from edc.services.crfs import crf_create, crf_update
from tests.adverse_events.journeys import DAY0, at, infused_subject
from tests.edc.factories import UserFactory

pytestmark = pytest.mark.django_db

YEAR_3 = 365 * 3
REPORT = {
    "malignancy_type": "t_cell_lymphoma",
    "type_detail": "Peripheral T-cell lymphoma, NOS",
    "diagnosis_date": DAY0 + dt.timedelta(days=YEAR_3),
    "site_aware_at": at(YEAR_3 + 1),
    "biopsy_done": True,
    "biopsy_result": "CD3+ CD4+ atypical lymphoid infiltrate",
    "transgene_tested": True,
    "transgene_result": "detected",
    "grade": 3,
    "relationship_cart": "possible",
    "relationship_lymphodepletion": "unlikely",
    "action_taken": "treatment",
    "outcome": "not_recovered",
    "notes": "",
}


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def subject(actor):
    return infused_subject(actor)


@pytest.fixture(autouse=True)
def in_year_3(subject):
    """The reports are entered during the long-term follow-up, a week after the diagnosis."""
    with time_machine.travel(at(YEAR_3 + 7), tick=False):
        yield


def _report(subject, actor, **changes) -> NewMalignancy:
    return crf_create(
        spec=crf_spec("new_malignancy"),
        subject=subject,
        visit_code="LTFU_Y3",
        data={**REPORT, **changes},
        actor=actor,
    )


def _correct(report, actor, **changes) -> NewMalignancy:
    return crf_update(
        report,
        spec=crf_spec("new_malignancy"),
        data=changes,
        reason="Histology revised by the pathologist",
        expected_version=report.row_version,
        actor=actor,
    )


def test_a_malignancy_report_opens_one_serious_adverse_event(subject, actor):
    report = _report(subject, actor)
    ae = AdverseEvent.objects.get(subject=subject)
    assert (report.adverse_event_id, ae.is_serious, ae.serious_important_medical) == (
        ae.pk,
        True,
        True,
    )


def test_a_t_cell_lymphoma_is_reported_as_a_t_cell_malignancy_aesi(subject, actor):
    _report(subject, actor)
    ae = AdverseEvent.objects.get(subject=subject)
    assert (ae.ctcae_term, ae.aesi, ae.onset_date, ae.study_day) == (
        "t_cell_malignancy",
        "t_cell_malignancy",
        REPORT["diagnosis_date"],
        YEAR_3,
    )


def test_the_sae_notification_is_queued_with_the_report(subject, actor):
    report = _report(subject, actor)
    key = sae_notification_key(report.adverse_event_id)
    assert OutboxMessage.objects.filter(key=key).count() == 1


def test_a_failing_notification_queue_leaves_neither_report_nor_event(subject, actor, monkeypatch):
    def broken(ae):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr("adverse_events.services.sae_notification_queue", broken)
    with pytest.raises(RuntimeError):
        _report(subject, actor)
    assert (NewMalignancy.objects.count(), AdverseEvent.objects.count()) == (0, 0)


def test_a_correction_updates_the_same_event(subject, actor):
    report = _report(subject, actor)
    _correct(report, actor, malignancy_type="b_cell_lymphoma", type_detail="DLBCL", grade=4)
    ae = AdverseEvent.objects.get(subject=subject)
    assert (ae.pk, ae.ctcae_term, ae.aesi, ae.grade, ae.verbatim_term) == (
        report.adverse_event_id,
        "secondary_malignancy",
        "secondary_malignancy",
        4,
        "B-cell lymphoma: DLBCL",
    )


def test_a_correction_queues_no_second_notification(subject, actor):
    report = _report(subject, actor)
    _correct(report, actor, grade=4)
    assert OutboxMessage.objects.filter(key__startswith="sae:").count() == 1


def test_the_event_history_names_the_correction(subject, actor):
    report = _report(subject, actor)
    _correct(report, actor, grade=4)
    ae = AdverseEvent.objects.get(subject=subject)
    assert ae.history.latest().history_change_reason == (
        "New malignancy report corrected: Histology revised by the pathologist"
    )


def test_a_biopsy_without_its_result_is_refused_and_nothing_is_saved(subject, actor):
    with pytest.raises(ValidationError) as info:
        _report(subject, actor, biopsy_result="")
    assert "biopsy_result" in info.value.message_dict
    assert AdverseEvent.objects.count() == 0


def test_a_tested_tumour_needs_the_transgene_result(subject, actor):
    with pytest.raises(ValidationError) as info:
        _report(subject, actor, transgene_result="")
    assert "transgene_result" in info.value.message_dict


def test_an_untested_tumour_has_no_transgene_result(subject, actor):
    with pytest.raises(ValidationError) as info:
        _report(subject, actor, transgene_tested=False)
    assert "transgene_result" in info.value.message_dict


def test_a_diagnosis_before_consent_is_refused_on_the_report_field(subject, actor):
    with pytest.raises(ValidationError) as info:
        _report(subject, actor, diagnosis_date=dt.date(2000, 1, 1))
    assert "diagnosis_date" in info.value.message_dict
