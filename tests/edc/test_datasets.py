"""Dataset exports: the analysis CSV zip (one file per CRF, subjects, data dictionary),
de-identified, reproducible as of a past moment, recorded with rows and SHA-256, run as a task."""

import csv
import datetime as dt
import hashlib
import io
import zipfile

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from edc.audit import system_user
from edc.crfs import crf_spec, registered_specs
from edc.dataset_files import (
    _BASE_FIELDS,
    DICTIONARY_FILE,
    SIGNATURES_FILE,
    SUBJECTS_FILE,
    Column,
    _cell,
)
from edc.datasets import DatasetExport, dataset_export_request, dataset_export_run
from edc.models import CrfModel
from edc.roles import Role
from edc.services.crfs import crf_create, crf_update
from edc.tasks import dataset_export_task
from screening.demo import lab
from tests.edc.factories import StudyFactory, SubjectFactory, UserFactory, minimal_definition
from tests.edc.review_journeys import SIGNING_PASSWORD, sign_casebook
from tests.queries import query_counts

pytestmark = pytest.mark.django_db

ENTERED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
CORRECTED = dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC)
BETWEEN = dt.datetime(2026, 3, 3, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def subject(site_a, stratum):
    return SubjectFactory(
        study_site=site_a,
        stratum=stratum,
        initials="QXZ",
        date_of_birth=dt.date(1971, 3, 14),
        subject_identifier=f"{site_a.study.study_code}-01-007",
        consent_version="=HYPERLINK(1)",
    )


@pytest.fixture
def sponsor(member):
    return member(Role.SPONSOR)


def _vitals(subject, visit_code="SCR", height=175, weight=70):
    return crf_create(
        spec=crf_spec("vital_signs"),
        subject=subject,
        visit_code=visit_code,
        data={"measured_on": dt.date(2026, 3, 2), "height_cm": height, "weight_kg": weight},
        actor=UserFactory(),
    )


def _correct_weight(vitals, weight):
    return crf_update(
        vitals,
        spec=crf_spec("vital_signs"),
        data={"weight_kg": weight},
        reason="Transcription error",
        expected_version=vitals.row_version,
        actor=UserFactory(),
    )


def _recorded(study, requested_by, **fields) -> DatasetExport:
    """An export row in a given state, without running it."""
    return DatasetExport.objects.create(
        study=study, requested_by=requested_by, kind="analysis_csv", as_of=ENTERED, **fields
    )


def _export(study, actor, django_capture_on_commit_callbacks, as_of=None) -> DatasetExport:
    """Request an export and let the commit run its (eager) task, as a page would."""
    with django_capture_on_commit_callbacks(execute=True):
        export = dataset_export_request(study=study, actor=actor, as_of=as_of)
    export.refresh_from_db()
    return export


def _files(export) -> dict[str, list[dict[str, str]]]:
    with export.file.open("rb") as stored, zipfile.ZipFile(stored) as archive:
        return {
            name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
            for name in archive.namelist()
        }


@pytest.fixture
def export_of(study, sponsor, django_capture_on_commit_callbacks):
    return lambda as_of=None: _export(study, sponsor, django_capture_on_commit_callbacks, as_of)


def test_a_form_file_has_one_row_per_form_with_code_labels_and_derived_values(subject, export_of):
    screening = _vitals(subject, "SCR")
    _vitals(subject, "D7", weight=64)

    rows = _files(export_of())["vital_signs.csv"]

    assert [r["visit_code"] for r in rows] == ["SCR", "D7"]
    first = rows[0]
    assert first["USUBJID"] == subject.subject_identifier  # already STUDYID-SUBJID
    assert first["status"] == "complete"
    assert first["status_label"] == "Complete"
    assert first["height_cm"] == "175.0"
    assert first["weight_kg"] == "70.0"
    assert first["bsa_m2"] == str(screening.bsa_m2)
    assert screening.bsa_m2
    assert list(first).index("bsa_m2") > list(first).index("weight_kg")


def test_the_subjects_file_gives_the_age_at_consent_and_the_coded_sex_with_its_label(
    subject, export_of
):
    (row,) = _files(export_of())[SUBJECTS_FILE]

    assert row["age_at_consent_years"] == "54"  # born 1971-03-14, consented 2026-03-01
    assert (row["sex"], row["sex_label"]) == ("F", "Female")
    assert row["stratum"] == "sle"
    assert row["SITEID"] == "01"


def test_every_registered_crf_has_its_file_even_without_rows(subject, export_of):
    export = export_of()
    names = set(_files(export))

    assert {f"{s.code}.csv" for s in registered_specs()} | {SUBJECTS_FILE, DICTIONARY_FILE} <= names
    assert {"lab_panel_results.csv", "lymphodepletion_doses.csv"} <= names  # rows of a form
    assert len(names) == export.files_total == export.files_done


def test_the_dictionary_describes_every_column_of_every_file(subject, export_of):
    _vitals(subject)
    export = export_of()
    described = {(d["file"], d["variable"]) for d in _files(export)[DICTIONARY_FILE]}

    with export.file.open("rb") as stored, zipfile.ZipFile(stored) as archive:
        headers = {
            (name, column)
            for name in archive.namelist()
            if name != DICTIONARY_FILE
            for column in next(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
        }
    assert headers
    assert headers == described


def test_the_dictionary_gives_labels_in_both_languages_units_code_lists_and_derivation(
    subject, export_of
):
    dictionary = {(d["file"], d["variable"]): d for d in _files(export_of())[DICTIONARY_FILE]}

    height = dictionary[("vital_signs.csv", "height_cm")]
    assert (height["label_en"], height["unit"], height["type"]) == ("height (cm)", "cm", "decimal")
    assert height["label_zh"]
    assert height["label_zh"] != height["label_en"]
    assert dictionary[("vital_signs.csv", "bsa_m2")]["derived"] == "Y"
    assert height["derived"] == "N"
    assert height["source_form"] == "vital_signs"
    assert dictionary[(SUBJECTS_FILE, "sex")]["code_list"] == "F=Female; M=Male"


def test_a_sponsor_export_holds_no_name_initials_or_date_of_birth(subject, export_of):
    _vitals(subject)

    with export_of().file.open("rb") as stored, zipfile.ZipFile(stored) as archive:
        text = "".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())

    assert "QXZ" not in text
    assert "1971-03-14" not in text
    assert "initials" not in text
    assert "date_of_birth" not in text


def test_free_text_the_protocol_marks_identifying_is_left_out(
    site_a, stratum, member, django_capture_on_commit_callbacks
):
    definition = minimal_definition(registry_id="NCT99999999", study_code="IDF")
    definition["crfs"][1]["identifying_fields"] = ["drug_name"]
    study = StudyFactory(registry_id="NCT99999999", study_code="IDF", protocol=definition)
    subject = SubjectFactory(study=study, study_site__study=study, stratum__study=study)
    crf_create(
        spec=crf_spec("prior_therapy"),
        subject=subject,
        visit_code="SCR",
        data={
            "kind": "other",
            "drug_name": "given at Dr Wang Lei's clinic",
            "dose": 10,
            "dose_unit": "mg/day",
            "start_date": dt.date(2025, 1, 1),
            "outcome": "ongoing",
        },
        actor=UserFactory(),
    )
    actor = UserFactory()

    files = _files(_export(study, actor, django_capture_on_commit_callbacks))

    (row,) = files["prior_therapy.csv"]
    assert "drug_name" not in row
    assert row["kind"] == "other"
    assert "Wang Lei" not in str(files)


def test_an_identifying_field_the_form_does_not_have_fails_the_export_with_its_error(
    member, django_capture_on_commit_callbacks
):
    definition = minimal_definition(registry_id="NCT99999998", study_code="TYP")
    definition["crfs"][0]["identifying_fields"] = ["no_such_field"]
    study = StudyFactory(registry_id="NCT99999998", study_code="TYP", protocol=definition)

    export = _export(study, UserFactory(), django_capture_on_commit_callbacks)

    assert export.status == DatasetExport.Status.FAILED
    assert "no_such_field" in export.error
    assert not export.file


def test_values_that_a_spreadsheet_would_run_are_neutralised(subject, export_of):
    (row,) = _files(export_of())[SUBJECTS_FILE]

    assert row["consent_version"] == "'=HYPERLINK(1)"


def test_an_export_records_rows_and_sha256_and_downloads_again_byte_for_byte(
    client, subject, sponsor, export_of
):
    _vitals(subject)
    export = export_of()
    client.force_login(sponsor)

    response = client.get(
        reverse("edc:dataset-download", args=[export.study.registry_id, export.pk])
    )
    body = b"".join(response.streaming_content)

    assert export.status == DatasetExport.Status.DONE
    assert hashlib.sha256(body).hexdigest() == export.sha256
    files = {f["name"]: f for f in export.files}
    assert files["vital_signs.csv"]["rows"] == 1
    assert files[SUBJECTS_FILE]["rows"] == 1
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        inside = hashlib.sha256(archive.read("vital_signs.csv")).hexdigest()
    assert inside == files["vital_signs.csv"]["sha256"]


def test_the_export_is_in_the_audit_trail_with_who_and_what(subject, sponsor, export_of):
    export = export_of()

    history = export.history.order_by("history_date")
    assert history.first().history_user == sponsor
    assert history.last().sha256 == export.sha256
    assert history.last().status == "done"


def test_an_export_as_of_a_past_moment_gives_the_value_before_a_later_correction(
    subject, export_of
):
    with time_machine.travel(ENTERED, tick=False):
        vitals = _vitals(subject, weight=70)
    with time_machine.travel(CORRECTED, tick=False):
        _correct_weight(vitals, 80)

    (then,) = _files(export_of(as_of=BETWEEN))["vital_signs.csv"]
    (now,) = _files(export_of())["vital_signs.csv"]

    assert (then["weight_kg"], now["weight_kg"]) == ("70.0", "80.0")
    assert then["bsa_m2"] != now["bsa_m2"]


def test_a_data_cut_is_byte_identical_after_later_edits(subject, export_of):
    with time_machine.travel(ENTERED, tick=False):
        vitals = _vitals(subject, weight=70)
    first = export_of(as_of=BETWEEN)
    with time_machine.travel(CORRECTED, tick=False):
        _correct_weight(vitals, 81)
        _vitals(subject, "D7")

    again = export_of(as_of=BETWEEN)

    assert again.pk != first.pk
    assert again.sha256 == first.sha256


def test_a_subject_registered_after_the_cut_is_not_in_it(subject, site_a, stratum, export_of):
    cut = export_of()
    SubjectFactory(study_site=site_a, stratum=stratum)

    assert len(_files(cut)[SUBJECTS_FILE]) == 1
    assert len(_files(export_of())[SUBJECTS_FILE]) == 2


def test_a_moment_in_the_future_is_refused_on_the_page(client, study, sponsor):
    client.force_login(sponsor)

    response = client.post(
        reverse("edc:datasets", args=[study.registry_id]), {"as_of": "2099-01-01T00:00"}
    )

    assert response.status_code == 200
    assert "as_of" in response.context["form"].errors
    assert not DatasetExport.objects.exists()


def test_starting_an_export_on_the_page_runs_it_and_offers_the_download(
    client, study, subject, sponsor, django_capture_on_commit_callbacks
):
    client.force_login(sponsor)
    url = reverse("edc:datasets", args=[study.registry_id])

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url, {"as_of": ""})

    export = DatasetExport.objects.get()
    assert started.status_code == 302
    assert export.status == DatasetExport.Status.DONE
    assert export.requested_by == sponsor
    download = reverse("edc:dataset-download", args=[study.registry_id, export.pk])
    assert download in client.get(url).content.decode()


def test_a_running_export_shows_its_progress_and_asks_the_page_to_refresh(client, study, sponsor):
    _recorded(study, sponsor, status="running", files_done=3, files_total=12)
    client.force_login(sponsor)

    page = client.get(reverse("edc:datasets", args=[study.registry_id])).content.decode()

    assert 'data-progress="25"' in page
    assert "data-refresh-seconds" in page


def test_a_rerun_of_a_finished_export_writes_nothing_again(subject, export_of):
    export = export_of()

    again = dataset_export_run(str(export.pk))

    assert again.row_version == export.row_version
    assert again.file == export.file


def test_the_list_of_exports_runs_the_same_queries_for_few_and_many(client, study, sponsor):
    client.force_login(sponsor)

    def add(n):
        for _ in range(n):
            _recorded(
                study,
                UserFactory(),
                status="done",
                files=[{"name": "subjects.csv", "rows": 1, "sha256": "0" * 64}],
            )

    counts = query_counts(client, reverse("edc:datasets", args=[study.registry_id]), add)
    assert counts[0] == counts[1]


def test_the_datasets_link_is_shown_only_to_those_who_may_export(client, study, site_a, member):
    url = reverse("edc:study-home", args=[study.registry_id])
    for role, shown in ((Role.SPONSOR, True), (Role.DATA_MANAGER, True), (Role.MONITOR, False)):
        client.force_login(member(role, study_site=None if shown else site_a))
        page = client.get(url).content.decode()
        assert ('data-testid="nav-datasets"' in page) is shown, role


def test_the_crf_base_columns_are_the_fields_of_every_crf_base():
    assert {f.name for f in CrfModel._meta.get_fields()} == _BASE_FIELDS


def test_the_rows_a_form_saves_with_itself_have_a_file_linked_to_the_form_row(subject, export_of):
    panel = crf_create(
        spec=crf_spec("lab_panel"),
        subject=subject,
        visit_code="SCR",
        data={"collected_on": dt.date(2026, 3, 2), "laboratory": "Central"},
        actor=UserFactory(),
        children={"creatinine": lab("88", "umol/L", "45", "84")},
    )

    files = _files(export_of())

    (row,) = files["lab_panel_results.csv"]
    assert row["form_row_id"] == files["lab_panel.csv"][0]["row_id"] == str(panel.pk)
    assert row["USUBJID"] == subject.subject_identifier
    assert row["analyte"] == "creatinine"
    assert row["value_si"] == str(panel.results.get().value_si)
    assert row["flag"] == "high"


def test_a_negative_number_stays_a_number_and_only_text_is_neutralised():
    number = Column("study_day", "", "", "integer", value=lambda row: row)
    text = Column("note", "", "", "text", value=lambda row: row)

    assert _cell(number, -5) == -5
    assert _cell(text, "-5") == "'-5"


def test_the_command_line_writes_the_same_recorded_zip(subject, tmp_path):
    _vitals(subject)

    call_command("export_datasets", study=subject.study.registry_id, out=tmp_path / "out")

    export = DatasetExport.objects.get()
    (written,) = (tmp_path / "out").iterdir()
    assert hashlib.sha256(written.read_bytes()).hexdigest() == export.sha256
    assert export.requested_by == system_user()


def test_every_field_of_every_registered_form_has_its_column(subject, export_of):
    files = _files(export_of())
    dictionary = {(d["file"], d["variable"]) for d in files[DICTIONARY_FILE]}

    for spec in registered_specs():
        for field in spec.model._meta.concrete_fields:
            if field.name in _BASE_FIELDS:
                continue
            assert (f"{spec.code}.csv", field.attname) in dictionary, (spec.code, field.name)


def test_a_data_manager_gets_the_same_de_identified_file_as_a_sponsor(
    subject, study, member, export_of, django_capture_on_commit_callbacks
):
    _vitals(subject)
    sponsors = export_of(as_of=dt.datetime.now(dt.UTC))

    managers = _export(
        study, member(Role.DATA_MANAGER), django_capture_on_commit_callbacks, sponsors.as_of
    )

    assert managers.sha256 == sponsors.sha256


def test_two_saves_of_a_row_in_the_same_instant_give_one_row_the_later_one(subject, export_of):
    with time_machine.travel(ENTERED, tick=False):
        vitals = _vitals(subject, weight=70)
        _correct_weight(vitals, 72)

    rows = _files(export_of())["vital_signs.csv"]

    assert [r["weight_kg"] for r in rows] == ["72.0"]


def test_a_broker_that_is_down_fails_the_export_on_its_row_not_the_page(
    client, study, sponsor, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("redis is down")

    monkeypatch.setattr(dataset_export_task, "apply_async", refuse)
    client.force_login(sponsor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("edc:datasets", args=[study.registry_id]), {"as_of": ""})

    export = DatasetExport.objects.get()
    assert response.status_code == 302
    assert export.status == DatasetExport.Status.FAILED
    assert "redis is down" in export.error


def _sign(subject, when):
    signer = UserFactory(password=SIGNING_PASSWORD, first_name="Wei", last_name="Zhang")
    with time_machine.travel(when, tick=False):
        return sign_casebook(subject, signer, when)


def test_the_signatures_file_has_a_row_per_form_a_signature_covered(subject, export_of):
    vitals = _vitals(subject)
    _sign(subject, ENTERED + dt.timedelta(hours=1))
    (row,) = _files(export_of())[SIGNATURES_FILE]
    assert (row["USUBJID"], row["crf_code"], row["visit_code"], row["form_id"]) == (
        subject.subject_identifier,
        "vital_signs",
        "SCR",
        str(vitals.pk),
    )
    assert (row["scope"], row["role_label"], row["printed_name"]) == (
        "casebook",
        "Principal investigator",
        "Wei Zhang",
    )
    assert row["meaning"] == "I approve the data recorded in this casebook"
    assert row["signed_at"] == "2026-03-02T10:00:00+00:00"
    assert row["invalidated_at"] == ""


def test_the_signatures_file_says_when_and_why_a_signature_was_invalidated(subject, export_of):
    vitals = _vitals(subject)
    _sign(subject, ENTERED + dt.timedelta(hours=1))
    with time_machine.travel(CORRECTED, tick=False):
        _correct_weight(type(vitals).objects.get(pk=vitals.pk), 72)
    (row,) = _files(export_of())[SIGNATURES_FILE]
    assert row["invalidated_at"] == "2026-03-05T09:00:00+00:00"
    assert "Transcription error" in row["invalidated_reason"]


def test_the_signatures_file_is_as_of_the_cut(subject, export_of):
    vitals = _vitals(subject)
    _sign(subject, ENTERED + dt.timedelta(hours=1))
    with time_machine.travel(CORRECTED, tick=False):
        _correct_weight(type(vitals).objects.get(pk=vitals.pk), 72)
    (row,) = _files(export_of(as_of=BETWEEN))[SIGNATURES_FILE]
    assert row["invalidated_at"] == ""


def test_the_dictionary_describes_the_signatures_file(subject, export_of):
    dictionary = {(r["file"], r["variable"]) for r in _files(export_of())[DICTIONARY_FILE]}
    assert {(SIGNATURES_FILE, "meaning"), (SIGNATURES_FILE, "form_id")} <= dictionary
