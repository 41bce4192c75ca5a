"""Source-data verification of saved forms: as a whole or field by field, dropped by a change."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from edc.audit_trail import subject_trail
from edc.crfs import crf_spec
from edc.roles import Role
from edc.sdv import SourceVerification, form_fields, sdv_items, verify_form
from edc.selectors import protocol_definition
from screening.models import VitalSigns
from tests.edc.factories import StudyFactory, SubjectFactory, minimal_definition
from tests.edc.review_journeys import correct_weight, vitals

pytestmark = pytest.mark.django_db
SPEC = "vital_signs"


@pytest.fixture
def subject(site_a, stratum):
    return SubjectFactory(study_site=site_a, stratum=stratum)


@pytest.fixture
def monitor(client, site_a, member):
    user = member(Role.MONITOR, study_site=site_a)
    client.force_login(user)
    return user


def _verify(row, monitor, fields=()):
    return verify_form(
        crf_spec(SPEC),
        row,
        fields=fields,
        expected_version=VitalSigns.objects.get(pk=row.pk).row_version,
        actor=monitor,
        now=timezone.now(),
    )


def _verify_url(row):
    s = row.subject
    return reverse("edc:crf-verify", args=[s.study.registry_id, s.pk, row.visit_code, SPEC, row.pk])


def _crf_url(row):
    s = row.subject
    return reverse("edc:crf", args=[s.study.registry_id, s.pk, row.visit_code, SPEC])


def test_verifying_the_whole_form_makes_it_verified(subject, monitor):
    assert _verify(vitals(subject), monitor).status == "verified"


def test_verifying_some_fields_leaves_the_form_complete(subject, monitor):
    assert _verify(vitals(subject), monitor, ["weight_kg"]).status == "complete"


def test_verifying_every_field_makes_the_form_verified(subject, monitor):
    fields = [name for name, _label in form_fields(crf_spec(SPEC))]
    assert len(fields) == 8
    assert _verify(vitals(subject), monitor, fields).status == "verified"


def test_a_change_after_verification_sends_the_form_back(subject, monitor):
    row = _verify(vitals(subject), monitor)
    assert correct_weight(row).status == "complete"
    assert not SourceVerification.objects.filter(form_id=row.pk, dropped_at__isnull=True)


def test_the_form_says_it_changed_after_verification(client, subject, monitor):
    row = _verify(vitals(subject), monitor)
    correct_weight(row)
    assert "Changed after verification: verify again." in client.get(_crf_url(row)).content.decode()


def test_verifying_again_after_a_change_makes_it_verified_again(subject, monitor):
    row = correct_weight(_verify(vitals(subject), monitor))
    assert _verify(row, monitor).status == "verified"


def test_a_change_drops_only_the_marks_of_the_changed_fields(subject, monitor):
    row = _verify(vitals(subject), monitor, ["weight_kg", "height_cm"])
    correct_weight(row)
    standing = SourceVerification.objects.filter(form_id=row.pk, dropped_at__isnull=True)
    assert list(standing.values_list("field_name", flat=True)) == ["height_cm"]


def test_a_dropped_mark_keeps_when_and_why(subject, monitor):
    row = _verify(vitals(subject), monitor)
    correct_weight(row, reason="Wrong scale")
    mark = SourceVerification.objects.get(form_id=row.pk)
    assert (mark.dropped_at is not None, mark.dropped_reason) == (True, "Wrong scale")


def test_verifying_a_form_twice_is_refused(subject, monitor):
    row = _verify(vitals(subject), monitor)
    with pytest.raises(ValidationError, match="already verified"):
        _verify(row, monitor)


def test_verifying_a_version_the_monitor_did_not_see_is_refused(subject, monitor):
    row = vitals(subject)
    correct_weight(row)
    with pytest.raises(ValidationError, match="changed after you opened it"):
        verify_form(crf_spec(SPEC), row, expected_version=1, actor=monitor, now=timezone.now())
    assert not SourceVerification.objects.exists()


def test_an_unknown_field_is_refused(subject, monitor):
    with pytest.raises(ValidationError, match="Not a field"):
        _verify(vitals(subject), monitor, ["status"])


def test_the_monitor_verifies_the_whole_form_on_its_page(client, subject, monitor):
    row = vitals(subject)
    response = client.post(_verify_url(row), {"row_version": 1, "whole": "1"})
    assert response.status_code == 302
    assert VitalSigns.objects.get().status == "verified"


def test_the_monitor_verifies_ticked_fields_on_its_page(client, subject, monitor):
    row = vitals(subject)
    client.post(_verify_url(row), {"row_version": 1, "fields": ["weight_kg"], "selected": "1"})
    assert SourceVerification.objects.get().field_name == "weight_kg"


def test_nothing_ticked_and_not_the_whole_form_is_refused_on_the_field(client, subject, monitor):
    response = client.post(_verify_url(vitals(subject)), {"row_version": 1, "selected": "1"})
    assert response.context["form"].errors["fields"] == ["Tick the fields you verified."]


def test_an_investigator_cannot_verify(client, subject, site_a, member):
    client.force_login(member(Role.INVESTIGATOR, study_site=site_a))
    response = client.post(_verify_url(vitals(subject)), {"row_version": 1, "whole": "1"})
    assert response.status_code == 403
    assert not SourceVerification.objects.exists()


def test_the_verification_is_on_the_subjects_audit_trail(subject, monitor):
    _verify(vitals(subject), monitor)
    assert "edc.sourceverification" in {src for _at, src, _hid in subject_trail(subject)}


def test_the_crf_page_offers_the_monitor_the_verify_page(client, subject, monitor):
    row = vitals(subject)
    assert _verify_url(row) in client.get(_crf_url(row)).content.decode()


def test_only_the_100_percent_forms_and_the_drawn_ones_are_required(site_a, stratum):
    definition = minimal_definition()
    definition["crfs"].append({"code": "infusion", "name": "Infusion"})
    definition["sdv"] = {"full": ["infusion"], "sampling_rate": 0.0}
    subject = SubjectFactory(study_site__study=StudyFactory(protocol=definition))
    vitals(subject)
    items = sdv_items(protocol_definition(subject.study), [subject])
    assert [(i.crf_code, i.required) for i in items] == [("vital_signs", False)]


def test_without_a_plan_every_saved_form_is_required(subject):
    vitals(subject)
    items = sdv_items(protocol_definition(subject.study), [subject])
    assert [(i.crf_code, i.required, i.verified) for i in items] == [("vital_signs", True, False)]
