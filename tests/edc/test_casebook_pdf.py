"""The printable casebook: every record with data, visit by visit, with derived values, and the
audit trail as an appendix; personal data and the trail only for those who may see them.

What the document says is tested on `casebook_document`; that the PDF carries it as real text
in both languages is tested by extracting the text with poppler's pdftotext.
"""

import subprocess

import pytest
from django.urls import reverse

from edc import selectors
from edc.audit_trail import MASK
from edc.casebook_document import casebook_document
from edc.roles import Role
from tests.edc.factories import SubjectFactory

VITALS = {"measured_on": "2026-04-21", "height_cm": "175", "weight_kg": "55"}


@pytest.fixture
def subject(site_a, stratum):
    return SubjectFactory(
        study_site=site_a, stratum=stratum, screening_number="S01-001", initials="LWX"
    )


@pytest.fixture
def investigator(site_a, member):
    return member(Role.INVESTIGATOR, study_site=site_a, first_name="Li", last_name="Wei")


@pytest.fixture
def corrected_vitals(client, subject, investigator):
    """Vital signs entered at screening, then the weight corrected 55 -> 56 with a reason."""
    url = reverse("edc:crf", args=[subject.study.registry_id, subject.pk, "SCR", "vital_signs"])
    client.force_login(investigator)
    client.post(url, VITALS)
    client.post(url, {**VITALS, "weight_kg": "56", "row_version": 1, "reason": "Scale error"})
    return subject


def _document(subject, **options):
    defaults = {"lang": "en", "show_personal_data": True, "show_trail": True, "printed_by": "T"}
    return casebook_document(
        subject, selectors.protocol_definition(subject.study), **{**defaults, **options}
    )


def _record(document, visit_name, title):
    visit = next(v for v in document.visits if v.name == visit_name)
    return next(r for r in visit.records if r.title == title)


def _pdf_text(client, subject, user, lang="en"):
    client.force_login(user)
    url = reverse("edc:subject-casebook-pdf", args=[subject.study.registry_id, subject.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response["Content-Type"] == "application/pdf"
    extracted = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    )
    # Table cells wrap: compare words, not lines.
    return " ".join(extracted.stdout.decode().split())


def test_a_form_is_printed_under_its_visit_with_its_current_values(corrected_vitals):
    vitals = _record(_document(corrected_vitals), "Screening", "Vital signs")
    assert ("Weight (kg)", "56") in vitals.fields


def test_a_form_is_printed_with_what_was_derived_from_it(corrected_vitals):
    vitals = _record(_document(corrected_vitals), "Screening", "Vital signs")
    derived = {d.label.split(" (")[0]: d.value for d in vitals.derived}
    assert derived["Body surface area"] == "1.65"  # Mosteller: sqrt(175 cm x 56 kg / 3600)
    assert not any(label.startswith("Body surface area") for label, _v in vitals.fields)


def test_the_appendix_shows_the_correction_with_old_and_new_value(corrected_vitals):
    trail = _document(corrected_vitals).trail
    changes = [(c, e.reason) for e in trail for c in e.changes]
    assert (("weight (kg)", "55", "56"), "Scale error") in changes


def test_no_appendix_for_a_reader_who_may_not_see_the_trail(corrected_vitals):
    assert _document(corrected_vitals, show_trail=False).trail is None


def test_personal_data_are_masked_for_a_reader_who_may_not_see_them(corrected_vitals):
    header = dict(_document(corrected_vitals, show_personal_data=False).header)
    assert (header["Initials"], header["Date of birth"]) == (MASK, MASK)


def test_forms_without_data_are_not_printed(corrected_vitals):
    screening = next(v for v in _document(corrected_vitals).visits if v.name == "Screening")
    assert [r.title for r in screening.records] == ["Vital signs"]


@pytest.mark.pdf
def test_the_pdf_carries_the_forms_and_the_trail_as_text(client, corrected_vitals, investigator):
    text = _pdf_text(client, corrected_vitals, investigator)
    assert "Vital signs" in text
    assert "Appendix: audit trail" in text
    assert "Scale error" in text


@pytest.mark.pdf
def test_the_pdf_reads_in_chinese(client, corrected_vitals, investigator):
    text = _pdf_text(client, corrected_vitals, investigator, lang="zh-hans")
    assert "生命体征" in text
    assert "附录：稽查轨迹" in text


@pytest.mark.pdf
def test_the_sponsors_pdf_has_no_initials_and_no_trail(client, corrected_vitals, member):
    text = _pdf_text(client, corrected_vitals, member(Role.SPONSOR))
    assert "LWX" not in text
    assert "Appendix: audit trail" not in text


def test_an_investigator_of_another_site_gets_no_casebook(client, corrected_vitals, site_b, member):
    client.force_login(member(Role.INVESTIGATOR, study_site=site_b))
    url = reverse(
        "edc:subject-casebook-pdf", args=[corrected_vitals.study.registry_id, corrected_vitals.pk]
    )
    assert client.get(url).status_code == 404


def test_machine_kept_json_is_not_printed_among_a_records_fields(corrected_vitals):
    document = _document(corrected_vitals)
    labels = {label for v in document.visits for r in v.records for label, _v in r.fields}
    assert "Eligibility snapshot" not in labels
    assert all(not value.startswith("{") for _l, value in document.header)


def test_a_long_value_on_the_trail_is_cut_on_paper():
    from edc.casebook_document import TRAIL_VALUE_MAX, _short

    shortened = _short("x" * (TRAIL_VALUE_MAX + 50))
    assert shortened.startswith("x" * TRAIL_VALUE_MAX + "…")
    assert f"{TRAIL_VALUE_MAX + 50} characters" in shortened


def test_the_pis_signature_is_printed_with_name_time_and_meaning(
    client, corrected_vitals, site_a, member
):
    pi = member(
        Role.PRINCIPAL_INVESTIGATOR,
        study_site=site_a,
        password="Sign-Here-2026",
        first_name="Wei",
        last_name="Zhang",
    )
    client.force_login(pi)
    url = reverse(
        "edc:sign-casebook", args=[corrected_vitals.study.registry_id, corrected_vitals.pk]
    )
    client.post(url, {"password": "Sign-Here-2026"})
    (signature,) = _document(corrected_vitals).signatures
    assert signature.printed_name == "Wei Zhang"
    assert signature.meaning == "I approve the data recorded in this casebook"
    assert signature.invalidated == ""


def test_open_queries_are_printed_with_their_last_message(corrected_vitals, site_a, member):
    from edc.services.data_queries import query_raise

    (row,) = _record_rows(corrected_vitals)
    query_raise(
        subject=corrected_vitals, visit_code="SCR", crf_code="vital_signs", field_name="weight_kg",
        row_id=row.pk, text="Source says 57 kg.", actor=member(Role.MONITOR, study_site=site_a),
    )  # fmt: skip
    (line,) = _document(corrected_vitals).open_queries
    assert (line.form, line.field, line.last_message) == (
        "Vital signs",
        "weight_kg",
        "Source says 57 kg.",
    )


def _record_rows(subject):
    from edc.crfs import crf_spec

    return list(crf_spec("vital_signs").model.objects.filter(subject=subject))
