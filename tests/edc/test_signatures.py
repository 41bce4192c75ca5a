"""The principal investigator's signatures: password re-entered, what they cover, invalidation."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from edc.access_log import AccessLog
from edc.audit_reasons import reason_display
from edc.audit_trail import subject_trail
from edc.crfs import crf_spec
from edc.models import UserPreference
from edc.roles import Role
from edc.sdv import verify_form
from edc.signatures import Signature, SignedForm, subject_signatures
from screening.models import VitalSigns
from tests.edc.factories import SubjectFactory
from tests.edc.review_journeys import correct_weight, vitals

pytestmark = pytest.mark.django_db
PASSWORD = "sign-Pass-2026"


@pytest.fixture
def subject(site_a, stratum):
    return SubjectFactory(study_site=site_a, stratum=stratum)


@pytest.fixture
def pi(client, site_a, member):
    user = member(
        Role.PRINCIPAL_INVESTIGATOR,
        study_site=site_a,
        password=PASSWORD,
        first_name="Wei",
        last_name="Zhang",
    )
    client.force_login(user)
    return user


def _casebook_url(subject):
    return reverse("edc:sign-casebook", args=[subject.study.registry_id, subject.pk])


def _subject_url(subject):
    return reverse("edc:subject-detail", args=[subject.study.registry_id, subject.pk])


def _crf_url(row, visit="SCR"):
    s = row.subject
    return reverse("edc:crf", args=[s.study.registry_id, s.pk, visit, "vital_signs"])


def _sign(client, subject, password=PASSWORD):
    return client.post(_casebook_url(subject), {"password": password})


def test_signing_the_casebook_with_the_password_signs_its_forms(client, subject, pi):
    screening, day7 = vitals(subject), vitals(subject, "D7")
    assert _sign(client, subject).status_code == 302
    assert set(VitalSigns.objects.values_list("status", flat=True)) == {"signed"}
    assert {f.form_id for f in Signature.objects.get().forms.all()} == {screening.pk, day7.pk}


def test_the_signature_records_who_as_what_when_and_its_meaning(client, subject, pi):
    vitals(subject)
    _sign(client, subject)
    signature = Signature.objects.get()
    assert (signature.printed_name, signature.role, signature.scope, signature.meaning) == (
        "Wei Zhang",
        "principal_investigator",
        "casebook",
        "I approve the data recorded in this casebook",
    )
    assert signature.signer == pi


def test_the_signature_covers_each_form_at_its_version_at_signing(client, subject, pi):
    vitals(subject)
    _sign(client, subject)
    covered = SignedForm.objects.get()
    assert covered.form_version == VitalSigns.objects.get().row_version


def test_a_wrong_password_signs_nothing(client, subject, pi):
    vitals(subject)
    response = _sign(client, subject, "wrong")
    assert "The password is not correct; nothing was signed." in response.content.decode()
    assert not Signature.objects.exists()
    assert VitalSigns.objects.get().status == "complete"


def test_five_wrong_passwords_lock_signing(client, subject, pi):
    vitals(subject)
    for _ in range(5):
        _sign(client, subject, "wrong")
    response = _sign(client, subject)
    assert "signing and logging in are locked" in response.content.decode()
    assert not Signature.objects.exists()


def test_a_wrong_signature_password_is_in_the_access_log(client, subject, pi):
    vitals(subject)
    _sign(client, subject, "wrong")
    assert AccessLog.objects.filter(kind="signature_failed", username=pi.username).exists()


def test_a_casebook_without_saved_forms_cannot_be_signed(client, subject, pi):
    response = _sign(client, subject)
    assert "There is no saved form to sign here" in response.content.decode()
    assert not Signature.objects.exists()


def test_a_visit_signature_covers_only_that_visit(client, subject, pi):
    screening, day7 = vitals(subject), vitals(subject, "D7")
    url = reverse("edc:sign-visit", args=[subject.study.registry_id, subject.pk, "D7"])
    client.post(url, {"password": PASSWORD})
    statuses = dict(VitalSigns.objects.values_list("visit_code", "status"))
    assert statuses == {"SCR": "complete", "D7": "signed"}
    assert {f.form_id for f in Signature.objects.get().forms.all()} == {day7.pk}
    assert screening.pk != day7.pk


def test_a_form_signature_covers_that_form(client, subject, pi):
    row = vitals(subject)
    url = reverse(
        "edc:sign-form",
        args=[subject.study.registry_id, subject.pk, "SCR", "vital_signs", row.pk],
    )
    client.post(url, {"password": PASSWORD})
    assert Signature.objects.get().meaning == "I approve the data recorded in this form"


def test_a_verified_form_can_be_signed(client, subject, pi, site_a, member):
    row = vitals(subject)
    verify_form(
        crf_spec("vital_signs"),
        row,
        expected_version=1,
        actor=member(Role.MONITOR, study_site=site_a),
        now=timezone.now(),
    )
    _sign(client, subject)
    assert VitalSigns.objects.get().status == "signed"


def test_a_change_to_a_signed_form_invalidates_the_signature(client, subject, pi):
    row = vitals(subject)
    _sign(client, subject)
    correct_weight(row, reason="Wrong scale")
    signature = Signature.objects.get()
    assert signature.invalidated_at is not None
    assert signature.invalidated_reason == "vital_signs at SCR changed: Wrong scale"
    assert VitalSigns.objects.get().status == "complete"


def test_the_changed_form_says_sign_again(client, subject, pi):
    row = vitals(subject)
    _sign(client, subject)
    correct_weight(row)
    page = client.get(_crf_url(row)).content.decode()
    assert "Signature invalidated by a change on" in page
    assert "sign again" in page


def test_the_other_forms_of_an_invalidated_signature_are_no_longer_signed(client, subject, pi):
    row = vitals(subject)
    vitals(subject, "D7")
    _sign(client, subject)
    correct_weight(row)
    assert VitalSigns.objects.get(visit_code="D7").status == "complete"


def test_a_verified_form_goes_back_to_verified_when_its_signature_is_undone(
    client, subject, pi, site_a, member
):
    row, day7 = vitals(subject), vitals(subject, "D7")
    monitor = member(Role.MONITOR, study_site=site_a)
    verify_form(
        crf_spec("vital_signs"), day7, expected_version=1, actor=monitor, now=timezone.now()
    )
    _sign(client, subject)
    correct_weight(row)
    assert VitalSigns.objects.get(visit_code="D7").status == "verified"


def test_the_invalidated_signature_is_kept_and_shown_as_such(client, subject, pi):
    row = vitals(subject)
    _sign(client, subject)
    correct_weight(row)
    assert [s.is_valid for s in subject_signatures(subject)] == [False]
    assert 'data-valid="no"' in client.get(_subject_url(subject)).content.decode()


def test_the_signature_is_on_the_subjects_audit_trail(client, subject, pi):
    vitals(subject)
    _sign(client, subject)
    sources = {src for _at, src, _hid in subject_trail(subject)}
    assert {"edc.signature", "edc.signedform"} <= sources


def test_the_casebook_shows_the_signature_with_name_time_and_meaning(client, subject, pi):
    vitals(subject)
    _sign(client, subject)
    page = client.get(_subject_url(subject)).content.decode()
    assert "Wei Zhang" in page
    assert "I approve the data recorded in this casebook" in page
    assert "UTC+08:00" in page  # the site's time, labelled


def test_the_casebook_shows_the_meaning_in_chinese(client, subject, pi):
    vitals(subject)
    _sign(client, subject)
    UserPreference.objects.create(user=pi, language="zh-hans")
    page = client.get(_subject_url(subject)).content.decode()
    assert "我批准本病例报告表中记录的数据" in page


def test_an_investigator_cannot_sign(client, subject, site_a, member):
    client.force_login(member(Role.INVESTIGATOR, study_site=site_a, password=PASSWORD))
    vitals(subject)
    assert _sign(client, subject).status_code == 403
    assert not Signature.objects.exists()


def test_the_signature_reason_on_the_trail_reads_chinese():
    with translation.override("zh-hans"):
        shown = reason_display("Signed: I approve the data recorded in this casebook")
    assert shown == "已签名：我批准本病例报告表中记录的数据"
