"""A change to a reviewed form undoes its review on every write path, not only the CRF page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from edc.audit import audited_update, system_user
from edc.crfs import crf_spec
from edc.roles import Role
from edc.sdv import SourceVerification, verify_form
from edc.services.crfs import crf_create, crf_update
from edc.signatures import Signature
from screening.models import LabPanel, VitalSigns
from tests.edc.factories import SubjectFactory, UserFactory
from tests.edc.review_journeys import SIGNING_PASSWORD, VITALS, sign_casebook, vitals

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject(site_a, stratum):
    return SubjectFactory(study_site=site_a, stratum=stratum)


@pytest.fixture
def monitor(site_a, member):
    return member(Role.MONITOR, study_site=site_a)


@pytest.fixture
def pi(site_a, member):
    return member(Role.PRINCIPAL_INVESTIGATOR, study_site=site_a, password=SIGNING_PASSWORD)


def _verify(row, monitor, code="vital_signs", fields=()):
    return verify_form(
        crf_spec(code),
        row,
        fields=fields,
        expected_version=type(row).objects.get(pk=row.pk).row_version,
        actor=monitor,
        now=timezone.now(),
    )


def _service_change(row, **changes):
    """A service that is not the CRF page (a re-derived date, a correction by a task)."""
    return audited_update(
        row, actor=UserFactory(), reason="Re-derived", changes=changes, expected_version=None
    )


def _live_marks(row):
    return SourceVerification.objects.filter(form_id=row.pk, dropped_at__isnull=True)


def test_a_change_by_another_service_sends_a_verified_form_back(subject, monitor):
    row = _verify(vitals(subject), monitor)
    assert _service_change(row, weight_kg=Decimal("71")).status == "complete"
    assert not _live_marks(row).exists()


def test_a_change_by_another_service_invalidates_the_signature(subject, pi):
    row = vitals(subject)
    signature = sign_casebook(subject, pi)
    assert _service_change(row, weight_kg=Decimal("71")).status == "complete"
    assert Signature.objects.get(pk=signature.pk).invalidated_at is not None


def test_a_change_from_the_shell_is_undone_as_the_system_user(subject, monitor):
    row = VitalSigns.objects.get(pk=_verify(vitals(subject), monitor).pk)
    row.weight_kg = Decimal("71")
    row._change_reason = "Corrected from source"
    row.save()
    mark = SourceVerification.objects.get(form_id=row.pk)
    assert mark.history.latest().history_user == system_user()


def test_a_save_that_changes_nothing_keeps_the_verification(subject, monitor):
    row = _verify(vitals(subject), monitor)
    after = crf_update(
        row,
        spec=crf_spec("vital_signs"),
        data=VITALS,
        reason="Checked, no change",
        expected_version=VitalSigns.objects.get(pk=row.pk).row_version,
        actor=UserFactory(),
    )
    assert (after.status, _live_marks(row).count()) == ("verified", 1)


def test_signing_keeps_the_monitors_marks(subject, monitor, pi):
    row = _verify(vitals(subject), monitor)
    sign_casebook(subject, pi)
    assert (VitalSigns.objects.get(pk=row.pk).status, _live_marks(row).count()) == ("signed", 1)


def test_a_change_keeps_the_marks_of_the_fields_it_did_not_change(subject, monitor):
    row = _verify(vitals(subject), monitor, fields=["height_cm", "weight_kg"])
    _service_change(row, weight_kg=Decimal("71"))
    assert list(_live_marks(row).values_list("field_name", flat=True)) == ["height_cm"]


def test_a_locked_form_refuses_a_change_from_any_path(subject, pi):
    row = vitals(subject)
    sign_casebook(subject, pi)
    locked = _service_change(VitalSigns.objects.get(pk=row.pk), status="locked")
    locked.weight_kg = Decimal("71")
    locked._change_reason = "Late correction"
    with pytest.raises(ValidationError, match="locked"):
        locked.save()


def _panel(subject, value):
    return {"alt": {"value": Decimal(value), "unit": "U/L", "lln": None, "uln": None}}


def _lab_panel(subject):
    return crf_create(
        spec=crf_spec("lab_panel"),
        subject=subject,
        visit_code="SCR",
        data={"collected_on": dt.date(2026, 4, 21), "laboratory": "Central"},
        actor=UserFactory(),
        children=_panel(subject, "30"),
    )


def _correct_results(panel, value):
    return crf_update(
        panel,
        spec=crf_spec("lab_panel"),
        data={"collected_on": dt.date(2026, 4, 21), "laboratory": "Central"},
        children=_panel(panel.subject, value),
        reason="Result corrected",
        expected_version=LabPanel.objects.get(pk=panel.pk).row_version,
        actor=UserFactory(),
    )


def test_a_change_to_a_panels_results_alone_sends_the_verified_panel_back(subject, monitor):
    panel = _verify(_lab_panel(subject), monitor, code="lab_panel")
    assert _correct_results(panel, "35").status == "complete"
    assert not _live_marks(panel).exists()


def test_the_same_results_again_keep_the_panel_verified(subject, monitor):
    panel = _verify(_lab_panel(subject), monitor, code="lab_panel")
    assert _correct_results(panel, "30").status == "verified"
