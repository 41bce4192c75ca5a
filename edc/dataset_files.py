"""The analysis dataset of a study as one zip: a CSV per registered CRF, the subjects, the
investigators' signatures and a data dictionary, de-identified, as the database held it at one
moment.

Built generically from the CRF registry and each model's _meta, so a new CRF is exported without
code here. Every file is read from the history tables (django-simple-history) as of the export's
moment, so an export "as of" yesterday and one of today's data are the same code path, and two
exports as of the same moment are byte for byte the same file (the zip's timestamps are that
moment, the rows are in a fixed order). Rows stream from a server-side cursor into the zip on
disk: no table is ever held in memory (only the study's subjects, id -> USUBJID).

De-identification, for sponsors and data managers alike (one path): no initials and no date of
birth (the age at consent instead), subjects as USUBJID, the free-text fields the protocol
marks `identifying_fields` left out, and every date moved by the subject's offset when the
study shifts dates (edc/deidentify.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import IO, Any

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import translation

from edc.crfs import CrfSpec, registered_specs
from edc.csv_export import spreadsheet_safe
from edc.deidentify import ExportPrivacy
from edc.domain.calculators import age_years
from edc.domain.deidentification import NO_SHIFT, DateShift
from edc.models import CrfModel, Stratum, Study, StudySite, Subject
from edc.signatures import Signature, SignedForm

CHUNK_SIZE = 2000
SUBJECTS_FILE = "subjects.csv"
SIGNATURES_FILE = "signatures.csv"
DICTIONARY_FILE = "dictionary.csv"
# The columns of the audit base (edc.audit.AuditedModel), and those of the CRF base that every
# form has, exported first under their own names; the row id is exported as row_id.
_AUDIT_FIELDS = frozenset({"id", "created_at", "updated_at", "row_version"})
_BASE_FIELDS = _AUDIT_FIELDS | {"subject", "visit_code", "status"}
# The unit of a field is the last parenthesis of its English label when it is one word-like
# token ("height (cm)", "SpO2 on room air (%)", "body surface area (m², Mosteller)").
_UNIT = re.compile(r"\(([^()\s,]+)(?:,[^()]*)?\)\s*$")
_TYPES = {
    "AutoField": "integer",
    "BigAutoField": "integer",
    "BooleanField": "boolean",
    "CharField": "text",
    "DateField": "date",
    "DateTimeField": "datetime",
    "DecimalField": "decimal",
    "FloatField": "float",
    "ForeignKey": "text",
    "IntegerField": "integer",
    "JSONField": "json",
    "OneToOneField": "text",
    "PositiveIntegerField": "integer",
    "PositiveSmallIntegerField": "integer",
    "SlugField": "text",
    "SmallIntegerField": "integer",
    "TextField": "text",
    "TimeField": "time",
    "UUIDField": "text",
}
_YES_NO = (("Y", "Yes"), ("N", "No"))
# What the dictionary adds to a coded field's label for the column beside it with the labels.
_LABEL_SUFFIX = translation.gettext_lazy("(label)")
_ROW_ID = translation.gettext_lazy("row id")
_FORM_ROW_ID = translation.gettext_lazy("row id of the form")
_SIGNATURE_ID = translation.gettext_lazy("signature id")


class DatasetError(Exception):
    """An export that cannot be written as declared (an identifying field that does not exist)."""


@dataclass(frozen=True)
class Column:
    """One column of one file, with what the data dictionary says of it."""

    name: str
    label_en: str
    label_zh: str
    type: str
    value: Callable[[Any], object]
    unit: str = ""
    code_list: str = ""
    derived: bool = False


@dataclass(frozen=True)
class WrittenFile:
    name: str
    rows: int
    sha256: str


def _labels(text: Any) -> tuple[str, str]:
    with translation.override("en"):
        en = str(text)
    with translation.override("zh-hans"):
        zh = str(text)
    return en, zh


def _plain(value: object) -> object:
    """A value as an analyst reads it: ISO dates, decimals as stored, Y/N, ids as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def _field_columns(field: models.Field) -> list[Column]:
    """The column of a model field, and beside a coded field a column with its label."""
    label_en, label_zh = _labels(field.verbose_name)
    kind = _TYPES.get(field.get_internal_type(), "text")
    match = _UNIT.search(label_en)
    choices = [(code, str(label)) for code, label in field.flatchoices] if field.choices else []
    if kind == "boolean":
        choices = list(_YES_NO)
    code_list = "; ".join(f"{code}={label}" for code, label in choices)
    attname = field.attname
    column = Column(
        name=attname,
        label_en=label_en,
        label_zh=label_zh,
        type=kind,
        value=lambda row: _plain(getattr(row, attname)),
        unit=match.group(1) if match and kind in ("decimal", "integer", "float") else "",
        code_list=code_list,
        derived=not field.editable,
    )
    if not field.choices:
        return [column]
    with translation.override("en"):
        english = {code: str(label) for code, label in field.flatchoices}
    suffix_en, suffix_zh = _labels(_LABEL_SUFFIX)
    label = Column(
        name=f"{attname}_label",
        label_en=f"{label_en} {suffix_en}",
        label_zh=f"{label_zh}{suffix_zh}",
        type="text",
        value=lambda row: english.get(getattr(row, attname), ""),
        derived=not field.editable,
    )
    return [column, label]


@dataclass
class _Subjects:
    """Who the study's subjects were at the export's moment: id -> USUBJID and site number."""

    usubjid: dict[uuid.UUID, str]
    site_number: dict[uuid.UUID, str]


def usubjid(study: Study, subject: Any) -> str:
    """STUDYID-SUBJID; the subject id once enrolled, else the screening number."""
    ident = subject.subject_identifier or subject.screening_number
    prefix = f"{study.study_code}-"
    return ident if ident.startswith(prefix) else f"{prefix}{ident}"


def as_of_rows(model: type[models.Model], as_of: dt.datetime, **filters: Any) -> models.QuerySet:
    """The rows of a history-tracked model as they stood at `as_of`: the latest history row of
    each object saved by then, unless that row is its deletion. Two saves of one row in the same
    microsecond are told apart by the history row's id (simple-history's `latest_of_each` would
    keep both)."""
    saved = model.history.filter(history_date__lte=as_of)
    later = saved.filter(id=OuterRef("id")).filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
    )
    return (
        saved.filter(**filters)
        .filter(~Exists(later))
        .exclude(history_type="-")
        .order_by("created_at", "id")
    )


_SUBJECT_FIELDS = ("consent_date", "consent_version", "status", "day0_date")


def _subject_columns(study: Study, subjects: _Subjects) -> list[Column]:
    """The subjects file: identity, stratum, sex, age at consent (never the date of birth or the
    initials), consent, status and Day 0."""
    strata = dict(Stratum.objects.filter(study=study).values_list("id", "code"))
    field = Subject._meta.get_field
    return [
        *_identity_columns(study, subjects, subject_of=lambda row: row.id),
        Column(
            "stratum",
            *_labels(translation.gettext_lazy("Stratum")),
            type="text",
            value=lambda row: strata.get(row.stratum_id, ""),
        ),
        *_field_columns(field("sex")),
        Column(
            "age_at_consent_years",
            *_labels(translation.gettext_lazy("age at consent (years)")),
            type="integer",
            unit="years",
            derived=True,
            value=lambda row: age_years(born=row.date_of_birth, on=row.consent_date),
        ),
        *(c for name in _SUBJECT_FIELDS for c in _field_columns(field(name))),
    ]


def _identity_columns(
    study: Study, subjects: _Subjects, subject_of: Callable[[Any], uuid.UUID]
) -> list[Column]:
    return [
        Column(
            "STUDYID",
            *_labels(translation.gettext_lazy("study")),
            type="text",
            value=lambda _row: study.study_code,
        ),
        Column(
            "USUBJID",
            *_labels(translation.gettext_lazy("unique subject id")),
            type="text",
            value=lambda row: subjects.usubjid.get(subject_of(row), ""),
        ),
        Column(
            "SITEID",
            *_labels(translation.gettext_lazy("site number")),
            type="text",
            value=lambda row: subjects.site_number.get(subject_of(row), ""),
        ),
    ]


def _row_id_column(name: str, label: Any, value: Callable[[Any], object]) -> Column:
    return Column(name, *_labels(label), type="text", value=lambda row: str(value(row)))


def _child_relations(spec: CrfSpec) -> list[models.ManyToOneRel]:
    """The rows a form saves with itself (a lab panel's results, a lymphodepletion course's
    doses): the history-tracked models with a foreign key to the form's model, when the form
    saves children. Rows other workflows attach to a form (SAE reports) are not the form's."""
    if spec.save_children is None:
        return []
    return [
        rel
        for rel in spec.model._meta.related_objects
        if rel.one_to_many
        and hasattr(rel.related_model, "history")
        and not issubclass(rel.related_model, CrfModel)
    ]


def _data_fields(model: type[models.Model], skip: frozenset[str]) -> list[models.Field]:
    """A model's own data fields, in its order: not the audit columns, not the links to the
    subject or the form (exported as USUBJID and row ids)."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in skip and f.related_model is not Subject
    ]


@dataclass(frozen=True)
class _File:
    name: str
    source: str
    columns: list[Column]
    rows: models.QuerySet
    subject_of: Callable[[Any], uuid.UUID]


def _crf_files(
    spec: CrfSpec, study: Study, subjects: _Subjects, as_of: dt.datetime, identifying: frozenset
) -> list[_File]:
    """The form's file (identity, visit, form status and row id, then every field of the form in
    the model's order, derived fields where the model declares them, beside their inputs) and
    one file per kind of row the form saves with itself, linked by the form's row id."""
    own = _data_fields(spec.model, _BASE_FIELDS)
    children = [
        (rel, _data_fields(rel.related_model, _AUDIT_FIELDS | {rel.field.name}))
        for rel in _child_relations(spec)
    ]
    unknown = identifying - {f.name for f in own} - {f.name for _r, fs in children for f in fs}
    if unknown:
        raise DatasetError(
            f"identifying fields {sorted(unknown)} are not fields of the form {spec.code}"
        )
    meta = spec.model._meta
    form = _File(
        f"{spec.code}.csv",
        spec.code,
        [
            *_identity_columns(study, subjects, subject_of=lambda row: row.subject_id),
            *_field_columns(meta.get_field("visit_code")),
            *_field_columns(meta.get_field("status")),
            _row_id_column("row_id", _ROW_ID, lambda row: row.id),
            *(c for f in own if f.name not in identifying for c in _field_columns(f)),
        ],
        as_of_rows(spec.model, as_of, subject__study_id=study.id),
        subject_of=lambda row: row.subject_id,
    )
    files = [form]
    for rel, fields in children:
        link = rel.field.name
        files.append(
            _File(
                f"{spec.code}_{rel.get_accessor_name()}.csv",
                spec.code,
                [
                    *_identity_columns(study, subjects, subject_of=lambda row: row.form_subject_id),
                    Column(
                        "visit_code",
                        *_labels(meta.get_field("visit_code").verbose_name),
                        type="text",
                        value=lambda row: row.form_visit_code,
                    ),
                    _row_id_column(
                        "form_row_id",
                        _FORM_ROW_ID,
                        lambda row, a=rel.field.attname: getattr(row, a),
                    ),
                    _row_id_column("row_id", _ROW_ID, lambda row: row.id),
                    *(c for f in fields if f.name not in identifying for c in _field_columns(f)),
                ],
                as_of_rows(
                    rel.related_model, as_of, **{f"{link}__subject__study_id": study.id}
                ).annotate(
                    form_subject_id=F(f"{link}__subject_id"),
                    form_visit_code=F(f"{link}__visit_code"),
                ),
                subject_of=lambda row: row.form_subject_id,
            )
        )
    return files


class _HashingWriter(io.RawIOBase):
    """Passes bytes to the zip member and keeps their SHA-256."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target, self.sha256 = target, hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.sha256.update(data)
        return self.target.write(data)


def _cell(column: Column, row: Any, key: str = "", shift: DateShift = NO_SHIFT) -> object:
    """A cell as written: text that a spreadsheet would run as a formula is neutralised; typed
    values (numbers, dates) cannot be one, and a negative number must stay a number. A date of
    the subject `key` is moved by the study's date shift."""
    value = column.value(row)
    if column.type in ("date", "datetime") and isinstance(value, str):
        return shift.iso_text(key, value)
    return spreadsheet_safe(value) if column.type in ("text", "json") else value


def _member(name: str, as_of: dt.datetime) -> zipfile.ZipInfo:
    """A zip entry stamped with the export's moment, so the zip's bytes depend on data only."""
    info = zipfile.ZipInfo(name, date_time=as_of.astimezone(dt.UTC).timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _write_csv(
    archive: zipfile.ZipFile,
    name: str,
    as_of: dt.datetime,
    columns: list[Column],
    rows: Iterable[Any],
    key: Callable[[Any], str] = lambda _row: "",
    shift: DateShift = NO_SHIFT,
) -> WrittenFile:
    count = 0
    with archive.open(_member(name, as_of), "w") as member:
        hashing = _HashingWriter(member)
        text = io.TextIOWrapper(hashing, encoding="utf-8", newline="", write_through=True)
        writer = csv.writer(text)
        text.write("\ufeff")  # a BOM, so that Excel reads the Chinese text as UTF-8
        writer.writerow([c.name for c in columns])
        for row in rows:
            subject = key(row)
            writer.writerow([_cell(c, row, subject, shift) for c in columns])
            count += 1
        text.flush()
        text.detach()
    return WrittenFile(name=name, rows=count, sha256=hashing.sha256.hexdigest())


def _dictionary_rows(files: list[tuple[str, str, list[Column]]]) -> Iterator[list[object]]:
    for file_name, source, columns in files:
        for c in columns:
            yield [
                file_name,
                c.name,
                c.label_en,
                c.label_zh,
                c.type,
                c.unit,
                c.code_list,
                source,
                "Y" if c.derived else "N",
            ]


_DICTIONARY_COLUMNS = [
    Column(name, name, name, "text", value=lambda row, i=i: row[i])
    for i, name in enumerate(
        ("file", "variable", "label_en", "label_zh", "type", "unit", "code_list", "source_form",
         "derived")
    )
]  # fmt: skip


# What a signature declared and its state at the cut, then the form it covered, at which version.
_SIGNATURE_FIELDS = (
    "scope", "meaning", "role", "printed_name", "signed_at", "invalidated_at",
    "invalidated_reason",
)  # fmt: skip
_SIGNED_FORM_FIELDS = ("crf_code", "visit_code", "form_id", "form_version")


def _signature_columns(study: Study, subjects: _Subjects) -> list[Column]:
    """One row per form a signature covered: `form_id` is that form's `row_id` in its file."""
    signature, covered = Signature._meta.get_field, SignedForm._meta.get_field
    return [
        *_identity_columns(study, subjects, subject_of=lambda row: row.subject_id),
        _row_id_column("signature_id", _SIGNATURE_ID, lambda row: row.signature_id),
        *(c for name in _SIGNATURE_FIELDS for c in _field_columns(signature(name))),
        *(c for name in _SIGNED_FORM_FIELDS for c in _field_columns(covered(name))),
    ]


def _signature_rows(study: Study, as_of: dt.datetime) -> Iterator[SimpleNamespace]:
    """Each form a signature covered, with the signature as it stood at the cut (valid, or
    invalidated: when and why). A study's signatures are few; the covered forms stream."""
    signatures = {row.id: row for row in as_of_rows(Signature, as_of, subject__study_id=study.id)}
    covered = as_of_rows(SignedForm, as_of, subject__study_id=study.id)
    for row in covered.iterator(chunk_size=CHUNK_SIZE):
        signature = signatures[row.signature_id]
        yield SimpleNamespace(
            subject_id=row.subject_id,
            signature_id=row.signature_id,
            **{name: getattr(signature, name) for name in _SIGNATURE_FIELDS},
            **{name: getattr(row, name) for name in _SIGNED_FORM_FIELDS},
        )


def _subjects_at(study: Study, as_of: dt.datetime) -> _Subjects:
    numbers = dict(StudySite.objects.filter(study=study).values_list("id", "site_number"))
    subjects = _Subjects(usubjid={}, site_number={})
    for row in as_of_rows(Subject, as_of, study_id=study.id).iterator(chunk_size=CHUNK_SIZE):
        subjects.usubjid[row.id] = usubjid(study, row)
        subjects.site_number[row.id] = numbers.get(row.study_site_id, "")
    return subjects


def dataset_file_count() -> int:
    """How many files an analysis export holds: subjects, one per CRF and per kind of row a CRF
    saves with itself, the signatures, the dictionary."""
    return 3 + sum(1 + len(_child_relations(spec)) for spec in registered_specs())


def write_analysis_zip(
    target: IO[bytes],
    *,
    study: Study,
    as_of: dt.datetime,
    privacy: ExportPrivacy,
    progress: Callable[[int], None] = lambda _done: None,
) -> list[WrittenFile]:
    """Write the study's analysis dataset as of `as_of` into `target` (a file opened for
    writing); `progress(files done)` after each file. Returns each file's rows and SHA-256."""
    subjects = _subjects_at(study, as_of)
    shift = privacy.date_shift
    written, described = [], []
    with zipfile.ZipFile(target, "w") as archive:
        columns = _subject_columns(study, subjects)
        rows = as_of_rows(Subject, as_of, study_id=study.id).iterator(chunk_size=CHUNK_SIZE)
        written.append(
            _write_csv(
                archive, SUBJECTS_FILE, as_of, columns, rows,
                key=lambda row: subjects.usubjid.get(row.id, ""), shift=shift,
            )
        )  # fmt: skip
        described.append((SUBJECTS_FILE, "subject", columns))
        progress(len(written))
        for spec in sorted(registered_specs(), key=lambda s: s.code):
            identifying = privacy.identifying.get(spec.code, frozenset())
            for file in _crf_files(spec, study, subjects, as_of, identifying):
                rows = file.rows.iterator(chunk_size=CHUNK_SIZE)
                written.append(
                    _write_csv(
                        archive, file.name, as_of, file.columns, rows,
                        key=lambda row, f=file: subjects.usubjid.get(f.subject_of(row), ""),
                        shift=shift,
                    )
                )  # fmt: skip
                described.append((file.name, file.source, file.columns))
                progress(len(written))
        columns = _signature_columns(study, subjects)
        written.append(
            _write_csv(
                archive, SIGNATURES_FILE, as_of, columns, _signature_rows(study, as_of),
                key=lambda row: subjects.usubjid.get(row.subject_id, ""), shift=shift,
            )
        )  # fmt: skip
        described.append((SIGNATURES_FILE, "signature", columns))
        progress(len(written))
        written.append(
            _write_csv(
                archive, DICTIONARY_FILE, as_of, _DICTIONARY_COLUMNS, _dictionary_rows(described)
            )
        )
        progress(len(written))
    return written
