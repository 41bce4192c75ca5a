"""A study's data as one CDISC ODM 1.3.2 document: the study's metadata and its clinical data,
de-identified, as the database held it at one moment.

Metadata come from the protocol (visits -> StudyEventDefs, in schedule order) and the CRF
registry (forms -> FormDefs; the form's row and each kind of row it saves with itself, such as
a lab panel's results, -> ItemGroupDefs, the latter repeating; fields -> ItemDefs with their
type, unit and code list, every label in English and Chinese). Clinical data are read from the
history tables with the same as-of rule as the CSV files (`as_of_rows`), subjects keyed by
USUBJID, without the initials, the date of birth or the fields the protocol marks identifying,
with the study's date shift applied to every date. Optionally, each form row and each repeating
row carries the AuditRecord of the change that gave it its value at the cut (who, when, why),
and a form covered by a signature valid at the cut the latest such Signature (who signed,
when, and its meaning: a form's, a visit's or the casebook's SignatureDef; ODM allows one).

Streamed: every table is read once through a server-side cursor ordered by subject, the streams
are merged, and one subject's element at a time is written with lxml's incremental writer, so
memory holds one subject's record, never a table.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import F
from django.utils import translation
from lxml import etree

from edc.crfs import CrfSpec, registered_specs
from edc.dataset_files import (
    _AUDIT_FIELDS,
    _BASE_FIELDS,
    _SUBJECT_FIELDS,
    _TYPES,
    _UNIT,
    CHUNK_SIZE,
    _child_relations,
    _data_fields,
    _labels,
    _subjects_at,
    as_of_rows,
)
from edc.deidentify import ExportPrivacy
from edc.domain.calculators import age_years
from edc.domain.protocol import ProtocolDefinition
from edc.models import Study, StudySite, Subject
from edc.signatures import MEANINGS, Scope, Signature, SignedForm

ODM_NS = "http://www.cdisc.org/ns/odm/v1.3"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ODM_FILE = "odm.xml"
MDV_OID = "MDV.1"
SUBJECT_EVENT = "SE.SUBJECT"
UNSCHEDULED_EVENT = "SE.UNSCHEDULED"
SUBJECT_FORM = "F.SUBJECT"
ORIGINATOR = "CAR-T EDC"
# ODM data types of the dataset types (edc.dataset_files); booleans are Y/N text, as in CSV.
_ODM_TYPES = {
    "integer": "integer",
    "decimal": "float",
    "float": "float",
    "date": "date",
    "datetime": "datetime",
    "time": "time",
}
_YES_NO = (("Y", translation.gettext_lazy("Yes")), ("N", translation.gettext_lazy("No")))


def _o(tag: str) -> str:
    return f"{{{ODM_NS}}}{tag}"


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, _o(tag), attributes)


def _translated(parent: etree._Element, tag: str, text: Any) -> None:
    """An element holding the text in English and Chinese (TranslatedText xml:lang)."""
    element = _sub(parent, tag)
    en, zh = _labels(text)
    _sub(element, "TranslatedText", **{XML_LANG: "en"}).text = en
    _sub(element, "TranslatedText", **{XML_LANG: "zh-Hans"}).text = zh


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()


# Metadata ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    """One ItemDef: a field of a form or of a row the form saves, how its value is written."""

    oid: str
    attname: str
    odm_type: str
    label: Any
    codes: tuple[tuple[str, Any], ...] = ()
    unit: str = ""
    value: Callable[[Any], object] | None = None

    @property
    def codelist_oid(self) -> str:
        return f"CL.{self.oid.removeprefix('IT.')}"


@dataclass(frozen=True)
class _Group:
    oid: str
    name: str
    label: Any
    items: tuple[_Item, ...]
    repeating: bool
    link: str = ""  # a repeating group's foreign key to its form row


@dataclass
class _Form:
    oid: str
    code: str
    label: Any
    repeating: bool
    groups: list[_Group]
    spec: CrfSpec | None = None


def _items(prefix: str, fields: Iterable[models.Field]) -> tuple[_Item, ...]:
    items = []
    for f in fields:
        kind = _TYPES.get(f.get_internal_type(), "text")
        label_en = _labels(f.verbose_name)[0]
        unit = _UNIT.search(label_en)
        codes: tuple[tuple[str, Any], ...] = ()
        if kind == "boolean":
            codes = _YES_NO
        elif f.choices:
            codes = tuple((str(code), label) for code, label in f.flatchoices)
        items.append(
            _Item(
                oid=f"IT.{prefix}.{f.attname.upper()}",
                attname=f.attname,
                odm_type=_ODM_TYPES.get(kind, "text"),
                label=f.verbose_name,
                codes=codes,
                unit=unit.group(1) if unit and kind in ("decimal", "integer", "float") else "",
            )
        )
    return tuple(items)


def _subject_form() -> _Form:
    field = Subject._meta.get_field
    items = (
        *_items("SUBJECT", [field("sex")]),
        _Item(
            "IT.SUBJECT.AGE",
            "age",
            "integer",
            translation.gettext_lazy("age at consent (years)"),
            unit="years",
            value=lambda row: age_years(born=row.date_of_birth, on=row.consent_date),
        ),
        *_items("SUBJECT", [field(name) for name in _SUBJECT_FIELDS]),
    )
    group = _Group("IG.SUBJECT", "SUBJECT", Subject._meta.verbose_name, items, repeating=False)
    return _Form(SUBJECT_FORM, "subject", Subject._meta.verbose_name, False, [group])


def _crf_forms(privacy: ExportPrivacy, definition: ProtocolDefinition) -> list[_Form]:
    names = {crf.code: (crf.name, crf.name_zh or crf.name) for crf in definition.crfs}
    forms = []
    for spec in sorted(registered_specs(), key=lambda s: s.code):
        identifying = privacy.identifying.get(spec.code, frozenset())
        own = [f for f in _data_fields(spec.model, _BASE_FIELDS) if f.name not in identifying]
        prefix = spec.code.upper()
        label = names.get(spec.code) or _labels(spec.model._meta.verbose_name)
        groups = [_Group(f"IG.{prefix}", prefix, label, _items(prefix, own), repeating=False)]
        for rel in _child_relations(spec):
            fields = [
                f
                for f in _data_fields(rel.related_model, _AUDIT_FIELDS | {rel.field.name})
                if f.name not in identifying
            ]
            name = f"{prefix}.{rel.get_accessor_name().upper()}"
            groups.append(
                _Group(
                    f"IG.{name}",
                    name,
                    rel.related_model._meta.verbose_name_plural,
                    _items(name, fields),
                    repeating=True,
                    link=rel.field.attname,
                )
            )
        forms.append(_Form(f"F.{prefix}", spec.code, label, spec.repeating, groups, spec))
    return forms


def _bilingual(parent: etree._Element, tag: str, label: Any) -> None:
    """A protocol's (English, Chinese) pair or a translatable label as TranslatedTexts."""
    if isinstance(label, tuple):
        element = _sub(parent, tag)
        _sub(element, "TranslatedText", **{XML_LANG: "en"}).text = label[0]
        _sub(element, "TranslatedText", **{XML_LANG: "zh-Hans"}).text = label[1]
    else:
        _translated(parent, tag, label)


def _study_element(
    study: Study, definition: ProtocolDefinition, forms: list[_Form]
) -> etree._Element:
    root = etree.Element(_o("Study"), OID=f"ST.{study.study_code}")
    globals_ = _sub(root, "GlobalVariables")
    _sub(globals_, "StudyName").text = study.study_code
    _sub(globals_, "StudyDescription").text = study.title
    _sub(globals_, "ProtocolName").text = study.registry_id
    units = sorted({item.unit for form in forms for g in form.groups for item in g.items} - {""})
    if units:
        basic = _sub(root, "BasicDefinitions")
        for unit in units:
            measurement = _sub(basic, "MeasurementUnit", OID=_unit_oid(unit), Name=unit)
            symbol = _sub(measurement, "Symbol")
            _sub(symbol, "TranslatedText", **{XML_LANG: "en"}).text = unit
    version = _sub(
        root,
        "MetaDataVersion",
        OID=MDV_OID,
        Name=f"{study.study_code} {definition.protocol.version}",
    )
    protocol = _sub(version, "Protocol")
    events = [(SUBJECT_EVENT, "Subject", _labels(Subject._meta.verbose_name), "Common")]
    events += [
        (f"SE.{v.code}", v.code, (v.name, v.name_zh or v.name), "Scheduled")
        for v in definition.visits
    ]
    events.append((UNSCHEDULED_EVENT, "UNSCHEDULED", _labels(_UNSCHEDULED), "Unscheduled"))
    for order, (oid, _name, _label, _type) in enumerate(events, start=1):
        _sub(protocol, "StudyEventRef", StudyEventOID=oid, OrderNumber=str(order), Mandatory="No")
    known = {form.code for form in forms}
    visit_forms = {f"SE.{v.code}": [c for c in v.crfs if c in known] for v in definition.visits}
    for oid, name, label, kind in events:
        repeating = "Yes" if oid == UNSCHEDULED_EVENT else "No"
        event = _sub(version, "StudyEventDef", OID=oid, Name=name, Repeating=repeating, Type=kind)
        _bilingual(event, "Description", label)
        codes = (
            ["subject"]
            if oid == SUBJECT_EVENT
            else visit_forms.get(oid, [f.code for f in forms if f.spec is not None])
        )
        for order, code in enumerate(codes, start=1):
            _sub(event, "FormRef", FormOID=_form_oid(code), OrderNumber=str(order), Mandatory="No")
    for form in forms:
        element = _sub(
            version,
            "FormDef",
            OID=form.oid,
            Name=form.code,
            Repeating="Yes" if form.repeating else "No",
        )
        _bilingual(element, "Description", form.label)
        for order, group in enumerate(form.groups, start=1):
            _sub(
                element,
                "ItemGroupRef",
                ItemGroupOID=group.oid,
                OrderNumber=str(order),
                Mandatory="No",
            )
    for form in forms:
        for group in form.groups:
            element = _sub(
                version,
                "ItemGroupDef",
                OID=group.oid,
                Name=group.name,
                Repeating="Yes" if group.repeating else "No",
            )
            _bilingual(element, "Description", group.label)
            for order, item in enumerate(group.items, start=1):
                _sub(element, "ItemRef", ItemOID=item.oid, OrderNumber=str(order), Mandatory="No")
    for form in forms:
        for group in form.groups:
            for item in group.items:
                element = _sub(
                    version, "ItemDef", OID=item.oid, Name=item.attname, DataType=item.odm_type
                )
                _translated(element, "Description", item.label)
                _translated(element, "Question", item.label)
                if item.unit:
                    _sub(element, "MeasurementUnitRef", MeasurementUnitOID=_unit_oid(item.unit))
                if item.codes:
                    _sub(element, "CodeListRef", CodeListOID=item.codelist_oid)
    for form in forms:
        for group in form.groups:
            for item in group.items:
                if not item.codes:
                    continue
                codelist = _sub(
                    version, "CodeList", OID=item.codelist_oid, Name=item.attname, DataType="text"
                )
                for code, label in item.codes:
                    entry = _sub(codelist, "CodeListItem", CodedValue=code)
                    _translated(entry, "Decode", label)
    return root


_UNSCHEDULED = translation.gettext_lazy("Unscheduled visit")


def _unit_oid(unit: str) -> str:
    return "MU." + "".join(c if c.isalnum() else "_" for c in unit)


def _form_oid(code: str) -> str:
    return f"F.{code.upper()}"


# Admin data: who may appear in audit records and signatures, where ---------------------------


def _user_oid(user_id: object) -> str:
    return f"USR.{user_id}"


def _location_oid(site_number: str) -> str:
    return f"LOC.{site_number}"


def _admin_element(study: Study, as_of: dt.datetime, user_ids: set | None) -> etree._Element:
    """The study's sites (every subject's SiteRef), and with audit records their users (by
    login name) and the signature's meaning."""
    admin = etree.Element(_o("AdminData"), StudyOID=f"ST.{study.study_code}")
    users = get_user_model().objects.filter(pk__in=user_ids or ()).order_by("pk")
    for user in users:
        element = _sub(admin, "User", OID=_user_oid(user.pk))
        _sub(element, "LoginName").text = user.get_username()
    sites = StudySite.objects.filter(study=study).order_by("site_number")
    for site in sites:
        location = _sub(
            admin, "Location", OID=_location_oid(site.site_number), Name=site.site_number,
            LocationType="Site",
        )  # fmt: skip
        _sub(
            location,
            "MetaDataVersionRef",
            StudyOID=f"ST.{study.study_code}",
            MetaDataVersionOID=MDV_OID,
            EffectiveDate=as_of.astimezone(dt.UTC).date().isoformat(),
        )
    if user_ids is None:
        return admin
    for scope in Scope:
        signature = _sub(admin, "SignatureDef", OID=_signature_def(scope), Methodology="Electronic")
        with translation.override("en"):
            _sub(signature, "Meaning").text = str(MEANINGS[scope])
        _sub(signature, "LegalReason").text = "21 CFR Part 11 electronic signature"
    return admin


def _signature_def(scope: str) -> str:
    """One SignatureDef per meaning the signer declares: of a form, a visit, the casebook."""
    return f"SD.{scope.upper()}"


# Clinical data -------------------------------------------------------------------------------


@dataclass
class _SubjectRecord:
    subject: Any = None
    # (form, form row, {group oid: [child rows]}) in reading order
    forms: list[tuple[_Form, Any, dict[str, list[Any]]]] = field(default_factory=list)
    # form row id -> the latest signature covering it that was valid at the cut
    signatures: dict[uuid.UUID, Any] = field(default_factory=dict)


def _stream(
    rows: models.QuerySet, subject_key: str, tag: object
) -> Iterator[tuple[uuid.UUID, int, Any, object]]:
    counter = itertools.count()
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        yield getattr(row, subject_key), next(counter), tag, row


def _merged(study: Study, as_of: dt.datetime, forms: list[_Form]) -> Iterator[tuple]:
    """Every as-of row of the study's subjects, forms and repeating rows, ordered by subject."""
    streams = [
        _stream(as_of_rows(Subject, as_of, study_id=study.id).order_by("id"), "id", ("subject",))
    ]
    for form in forms:
        if form.spec is None:
            continue
        model = form.spec.model
        rows = as_of_rows(model, as_of, subject__study_id=study.id).order_by(
            "subject_id", "created_at", "id"
        )
        streams.append(_stream(rows, "subject_id", ("form", form)))
        for group in form.groups[1:]:
            rel = next(r for r in _child_relations(form.spec) if r.field.attname == group.link)
            link = rel.field.name
            children = (
                as_of_rows(rel.related_model, as_of, **{f"{link}__subject__study_id": study.id})
                .annotate(form_subject_id=F(f"{link}__subject_id"))
                .order_by("form_subject_id", "created_at", "id")
            )
            streams.append(_stream(children, "form_subject_id", ("child", form, group)))
    for model, tag in ((Signature, "signature"), (SignedForm, "signed")):
        rows = as_of_rows(model, as_of, subject__study_id=study.id).order_by(
            "subject_id", "created_at", "id"
        )
        streams.append(_stream(rows, "subject_id", (tag,)))
    # The tag sorts the subject's own row first; the counter keeps each stream's order.
    return heapq.merge(
        *streams, key=lambda entry: (str(entry[0]), entry[2][0] != "subject", entry[1])
    )


def _records(study: Study, as_of: dt.datetime, forms: list[_Form]) -> Iterator[_SubjectRecord]:
    for _subject_id, entries in itertools.groupby(
        _merged(study, as_of, forms), key=lambda e: str(e[0])
    ):
        record = _SubjectRecord()
        children: dict[tuple[str, object], list[Any]] = defaultdict(list)
        signatures: dict[uuid.UUID, Any] = {}
        covered: list[Any] = []
        for _sid, _n, tag, row in entries:
            if tag[0] == "subject":
                record.subject = row
            elif tag[0] == "form":
                record.forms.append((tag[1], row, {}))
            elif tag[0] == "signature":
                signatures[row.id] = row
            elif tag[0] == "signed":
                covered.append(row)
            else:
                group = tag[2]
                children[(group.oid, getattr(row, group.link))].append(row)
        for form, row, groups in record.forms:
            for group in form.groups[1:]:
                groups[group.oid] = children.get((group.oid, row.id), [])
        for signed in covered:
            signature = signatures.get(signed.signature_id)
            if signature is None or signature.invalidated_at is not None:
                continue
            latest = record.signatures.get(signed.form_id)
            if latest is None or signature.signed_at > latest.signed_at:
                record.signatures[signed.form_id] = signature
        if record.subject is not None:
            yield record


def _text(item: _Item, row: Any, subject_key: str, privacy: ExportPrivacy) -> str | None:
    value = item.value(row) if item.value else getattr(row, item.attname)
    if value is None or value == "":
        return None
    value = privacy.date_shift.value(subject_key, value)
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, dt.datetime):
        return _stamp(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _audit(
    parent: etree._Element, row: Any, site: str, subject_key: str, privacy: ExportPrivacy
) -> None:
    """The change that gave the row its value at the cut: who, where, when, why."""
    record = _sub(parent, "AuditRecord")
    _sub(record, "UserRef", UserOID=_user_oid(row.history_user_id))
    _sub(record, "LocationRef", LocationOID=_location_oid(site))
    moment = privacy.date_shift.value(subject_key, row.history_date)
    _sub(record, "DateTimeStamp").text = _stamp(moment)
    if row.history_change_reason:
        _sub(record, "ReasonForChange").text = row.history_change_reason


def _signature(
    parent: etree._Element, signed: Any, site: str, subject_key: str, privacy: ExportPrivacy
) -> None:
    """The investigator's signature covering the form (edc/signatures.py): who signed, when,
    and with which meaning (a form's, a visit's or the casebook's)."""
    signature = _sub(parent, "Signature")
    _sub(signature, "UserRef", UserOID=_user_oid(signed.signer_id))
    _sub(signature, "LocationRef", LocationOID=_location_oid(site))
    _sub(signature, "SignatureRef", SignatureOID=_signature_def(signed.scope))
    moment = privacy.date_shift.value(subject_key, signed.signed_at)
    _sub(signature, "DateTimeStamp").text = _stamp(moment)


def _item_group(
    parent: etree._Element,
    group: _Group,
    row: Any,
    key: str,
    privacy: ExportPrivacy,
    repeat_key: int | None = None,
    audit: Callable[[etree._Element, Any], None] | None = None,
) -> None:
    attributes = {"ItemGroupOID": group.oid}
    if repeat_key is not None:
        attributes["ItemGroupRepeatKey"] = str(repeat_key)
    element = _sub(parent, "ItemGroupData", **attributes)
    if audit is not None:
        audit(element, row)
    for item in group.items:
        text = _text(item, row, key, privacy)
        if text is not None:
            _sub(element, "ItemData", ItemOID=item.oid, Value=text)


@dataclass(frozen=True)
class OdmWritten:
    name: str
    rows: int


def _subject_element(
    record: _SubjectRecord,
    usubjid: str,
    site: str,
    subject_form: _Form,
    visits: list[str],
    privacy: ExportPrivacy,
    audit_records: bool,
) -> tuple[etree._Element, int]:
    element = etree.Element(_o("SubjectData"), SubjectKey=usubjid)
    _sub(element, "SiteRef", LocationOID=_location_oid(site))

    def audit(parent: etree._Element, row: Any) -> None:
        if audit_records:
            _audit(parent, row, site, usubjid, privacy)

    event = _sub(element, "StudyEventData", StudyEventOID=SUBJECT_EVENT)
    form = _sub(event, "FormData", FormOID=subject_form.oid)
    _item_group(form, subject_form.groups[0], record.subject, usubjid, privacy, audit=audit)
    rows = 1
    order = {code: n for n, code in enumerate(visits)}
    by_visit: dict[str, list] = defaultdict(list)
    for entry in record.forms:
        by_visit[entry[1].visit_code].append(entry)
    for visit_code in sorted(by_visit, key=lambda c: (c not in order, order.get(c, 0), c)):
        if visit_code in order:
            event = _sub(element, "StudyEventData", StudyEventOID=f"SE.{visit_code}")
        else:
            event = _sub(
                element,
                "StudyEventData",
                StudyEventOID=UNSCHEDULED_EVENT,
                StudyEventRepeatKey=visit_code,
            )
        repeats: dict[str, int] = defaultdict(int)
        for form_def, row, children in by_visit[visit_code]:
            attributes = {"FormOID": form_def.oid}
            if form_def.repeating:
                repeats[form_def.oid] += 1
                attributes["FormRepeatKey"] = str(repeats[form_def.oid])
            form = _sub(event, "FormData", **attributes)
            if audit_records:
                _audit(form, row, site, usubjid, privacy)
                if row.id in record.signatures:
                    _signature(form, record.signatures[row.id], site, usubjid, privacy)
            _item_group(form, form_def.groups[0], row, usubjid, privacy)
            rows += 1
            for group in form_def.groups[1:]:
                for number, child in enumerate(children[group.oid], start=1):
                    _item_group(form, group, child, usubjid, privacy, number, audit)
                    rows += 1
    return element, rows


def _referenced_users(study: Study, as_of: dt.datetime, forms: list[_Form]) -> set:
    users = set(
        as_of_rows(Subject, as_of, study_id=study.id)
        .order_by()
        .values_list("history_user_id", flat=True)
        .distinct()
    )
    users |= set(
        as_of_rows(Signature, as_of, subject__study_id=study.id)
        .order_by()
        .values_list("signer_id", flat=True)
        .distinct()
    )
    for form in forms:
        if form.spec is None:
            continue
        users |= set(
            as_of_rows(form.spec.model, as_of, subject__study_id=study.id)
            .order_by()
            .values_list("history_user_id", flat=True)
            .distinct()
        )
        for rel in _child_relations(form.spec):
            users |= set(
                as_of_rows(
                    rel.related_model, as_of, **{f"{rel.field.name}__subject__study_id": study.id}
                )
                .order_by()
                .values_list("history_user_id", flat=True)
                .distinct()
            )
    return users - {None}


def write_odm(
    target: IO[bytes],
    *,
    study: Study,
    definition: ProtocolDefinition,
    as_of: dt.datetime,
    privacy: ExportPrivacy,
    audit_records: bool = False,
) -> OdmWritten:
    """Write the study's ODM 1.3.2 snapshot as of `as_of` into `target`; the count of item
    groups written (one per form row, subject row and repeating row)."""
    forms = [_subject_form(), *_crf_forms(privacy, definition)]
    subjects = _subjects_at(study, as_of)
    visits = [v.code for v in definition.visits]
    stamp = _stamp(as_of)
    rows = 0
    with etree.xmlfile(target, encoding="UTF-8") as xf:
        xf.write_declaration()
        attributes = {
            "FileType": "Snapshot",
            "FileOID": f"ST.{study.study_code}.ODM.{as_of.astimezone(dt.UTC):%Y%m%dT%H%M%S}",
            "CreationDateTime": stamp,
            "AsOfDateTime": stamp,
            "ODMVersion": "1.3.2",
            "Originator": ORIGINATOR,
            "SourceSystem": ORIGINATOR,
        }
        with xf.element(_o("ODM"), attributes, nsmap={None: ODM_NS}):
            xf.write("\n")
            xf.write(_study_element(study, definition, forms), pretty_print=True)
            users = _referenced_users(study, as_of, forms) if audit_records else None
            xf.write(_admin_element(study, as_of, users), pretty_print=True)
            clinical = {"StudyOID": f"ST.{study.study_code}", "MetaDataVersionOID": MDV_OID}
            with xf.element(_o("ClinicalData"), clinical):
                xf.write("\n")
                for record in _records(study, as_of, forms):
                    usubjid = subjects.usubjid[record.subject.id]
                    site = subjects.site_number[record.subject.id]
                    element, count = _subject_element(
                        record, usubjid, site, forms[0], visits, privacy, audit_records
                    )
                    xf.write(element, pretty_print=True)
                    rows += count
            xf.write("\n")
    return OdmWritten(ODM_FILE, rows)
