"""Define-XML 2.1: the metadata file that describes an SDTM export to a regulator.

Built from the same DatasetSpec and rows the XPORT and Dataset-JSON writers used, so the
document cannot describe a column the files do not hold: one ItemGroupDef per dataset (with a
def:leaf to its .xpt), one ItemRef and ItemDef per variable (OIDs `IG.<DOMAIN>` and
`IT.<DOMAIN>.<VAR>`, as the Dataset-JSON files name them), a text Length that is the longest
value written (edc.domain.sdtm.column_length, which the writers use too), and one CodeList per
code list a variable names, holding the terms the data actually use: Define-XML lists the
subset a submission uses, not the whole CDISC code list (so a code list no value uses is left
out, with its CodeListRef).

Derived variables point at a MethodDef saying how they are computed (--SEQ, --DY against
RFSTDTC, AGE, ...), and the choices a reviewer would otherwise have to guess (a custom or
split domain, free text left out, a verbatim that is not ASCII and so not in the .xpt) are
CommentDefs on the dataset or variable they concern.

Plain standard-library XML, so no package is needed at run time; the tests validate the result
against the official XSD that odmlib ships.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from edc.domain.sdtm import (
    Dataset,
    DataType,
    Method,
    Origin,
    Variable,
    column_length,
    xpt_note,
)

ODM_NS = "http://www.cdisc.org/ns/odm/v1.3"
DEF_NS = "http://www.cdisc.org/ns/def/v2.1"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

DEFINE_VERSION = "2.1.0"
SDTMIG_VERSION = "3.4"
# The CDISC SDTM Controlled Terminology package whose NCI codes NCI_CODES gives; a newer
# package changes this date and is reviewed against the codes below.
CDISC_CT_VERSION = "2024-09-27"
STANDARD_IG = "STD.SDTMIG"
STANDARD_CT = "STD.CT"

# NCI C-codes of the CDISC code lists the mappers name (CDISC_CT_VERSION).
NCI_CODES: Mapping[str, str] = {
    "NY": "C66742", "SEX": "C66731", "RACE": "C74457", "ETHNIC": "C66790", "AGEU": "C66781",
    "OUT": "C66768", "TOXGR": "C66784", "UNIT": "C71620", "LBTESTCD": "C65047",
    "LBTEST": "C67154", "NRIND": "C78736", "VSTESTCD": "C66741", "VSTEST": "C67153",
    "FRM": "C66726", "ROUTE": "C66729", "IECAT": "C66797", "TSPARMCD": "C66738",
    "TSPARM": "C67152", "EPOCH": "C99079", "STENRF": "C66728", "SPECTYPE": "C78734",
}  # fmt: skip
# Code lists that are not CDISC terminology but an external dictionary.
EXTERNAL_DICTIONARIES: Mapping[str, str] = {"COUNTRY": "ISO 3166-1 alpha-3"}

# Who supplies a value of each origin (Define-XML 2.1 def:Origin/@Source).
ORIGIN_SOURCE: Mapping[Origin, str] = {
    Origin.COLLECTED: "Investigator",
    Origin.DERIVED: "Sponsor",
    Origin.ASSIGNED: "Sponsor",
    Origin.PROTOCOL: "Sponsor",
}
# SDTMIG "Req" variables that are not keys: they must hold a value in every record.
REQUIRED = frozenset({"DOMAIN", "QLABEL", "QVAL"})

ET.register_namespace("", ODM_NS)
ET.register_namespace("def", DEF_NS)
ET.register_namespace("xlink", XLINK_NS)


@dataclass(frozen=True)
class StudyMetadata:
    """What the document says about the study and its own provenance."""

    oid: str  # the Dataset-JSON files' studyOID
    name: str
    description: str
    protocol: str
    created: dt.datetime
    originator: str = "CAR-T EDC"
    source_version: str = "1"
    metadata_version_oid: str = "MDV.1"


def item_group_oid(dataset: Dataset) -> str:
    return f"IG.{dataset.spec.name}"


def item_oid(dataset: Dataset, variable: Variable) -> str:
    return f"IT.{dataset.spec.name}.{variable.name}"


def codelist_oid(name: str) -> str:
    return f"CL.{name}"


def comment_oid(dataset: Dataset, variable: Variable | None = None) -> str:
    return f"COM.{dataset.spec.name}" + (f".{variable.name}" if variable else "")


def variable_comment(dataset: Dataset, variable: Variable) -> str | None:
    """The variable's own comment and, when some of its values are not in the .xpt, where
    they are (edc.domain.sdtm.xpt_note)."""
    parts = [text for text in (variable.comment, xpt_note(dataset, variable)) if text]
    return " ".join(parts) or None


def comments(datasets: Iterable[Dataset]) -> dict[str, str]:
    """Every CommentDef of the document, by OID, in document order."""
    found: dict[str, str] = {}
    for dataset in datasets:
        if dataset.spec.comment:
            found[comment_oid(dataset)] = dataset.spec.comment
        for variable in dataset.spec.variables:
            text = variable_comment(dataset, variable)
            if text:
                found[comment_oid(dataset, variable)] = text
    return found


def methods(datasets: Iterable[Dataset]) -> dict[str, Method]:
    """Every MethodDef the variables point at, by OID (one per way of deriving)."""
    found: dict[str, Method] = {}
    for dataset in datasets:
        for variable in dataset.spec.variables:
            if variable.method is not None:
                found.setdefault(variable.method.oid, variable.method)
    return found


def leaf_id(dataset: Dataset) -> str:
    return f"LF.{dataset.spec.name}"


def _odm(tag: str) -> str:
    return f"{{{ODM_NS}}}{tag}"


def _def(tag: str) -> str:
    return f"{{{DEF_NS}}}{tag}"


def _sub(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, tag, attributes)


def _description(parent: ET.Element, text: str) -> None:
    description = _sub(parent, _odm("Description"))
    _sub(description, _odm("TranslatedText"), **{XML_LANG: "en"}).text = text


def _filled(dataset: Dataset, variable: Variable) -> bool:
    return all(row.get(variable.name) not in (None, "") for row in dataset.rows)


def mandatory(dataset: Dataset, variable: Variable) -> bool:
    """Keys and SDTMIG-required variables, unless the file holds a blank for them (SUPPDM
    leaves IDVAR blank: DM has one record per subject), since Define-XML describes the file."""
    return (variable.key or variable.name in REQUIRED) and _filled(dataset, variable)


def used_terms(datasets: Iterable[Dataset]) -> dict[str, list[str]]:
    """Each code list's terms as the data use them, sorted, blanks left out; a code list none
    of whose variables holds a value is left out (an ODM CodeList needs at least one item)."""
    terms: dict[str, set[str]] = {}
    for dataset in datasets:
        for variable in dataset.spec.variables:
            if variable.codelist is None:
                continue
            values = terms.setdefault(variable.codelist, set())
            values.update(
                str(row[variable.name])
                for row in dataset.rows
                if row.get(variable.name) not in (None, "")
            )
    return {name: sorted(values) for name, values in sorted(terms.items()) if values}


def _item_group(version: ET.Element, dataset: Dataset, filename: str) -> None:
    spec = dataset.spec
    group = _sub(
        version,
        _odm("ItemGroupDef"),
        OID=item_group_oid(dataset),
        Domain=spec.name.removeprefix("SUPP") or spec.name,
        Name=spec.name,
        SASDatasetName=spec.name,
        Repeating="No" if spec.structure == "One record per subject" else "Yes",
        IsReferenceData="No",
        Purpose="Tabulation",
        **{
            _def("Structure"): spec.structure,
            _def("ArchiveLocationID"): leaf_id(dataset),
            _def("StandardOID"): STANDARD_IG,
            **({_def("CommentOID"): comment_oid(dataset)} if spec.comment else {}),
        },
    )
    _description(group, spec.label)
    key_sequence = spec.key_sequence
    for order, variable in enumerate(spec.variables, start=1):
        reference = {
            "OrderNumber": str(order),
            "Mandatory": "Yes" if mandatory(dataset, variable) else "No",
        }
        if variable.name in key_sequence:
            reference["KeySequence"] = str(key_sequence[variable.name])
        if variable.method is not None:
            reference["MethodOID"] = variable.method.oid
        _sub(group, _odm("ItemRef"), ItemOID=item_oid(dataset, variable), **reference)
    _sub(group, _def("Class"), Name=spec.dataset_class)
    leaf = _sub(group, _def("leaf"), ID=leaf_id(dataset), **{f"{{{XLINK_NS}}}href": filename})
    _sub(leaf, _def("title")).text = filename


def _item(version: ET.Element, dataset: Dataset, variable: Variable, codelists: set[str]) -> None:
    attributes = {
        "OID": item_oid(dataset, variable),
        "Name": variable.name,
        "SASFieldName": variable.name,
        "DataType": variable.type.value,
    }
    if variable.type is DataType.TEXT:
        attributes["Length"] = str(column_length(dataset, variable))
    if variable_comment(dataset, variable):
        attributes[_def("CommentOID")] = comment_oid(dataset, variable)
    item = _sub(version, _odm("ItemDef"), **attributes)
    _description(item, variable.label)
    if variable.codelist in codelists:
        _sub(item, _odm("CodeListRef"), CodeListOID=codelist_oid(variable.codelist))
    _sub(
        item,
        _def("Origin"),
        Type=variable.origin.value,
        Source=ORIGIN_SOURCE[variable.origin],
    )


def _codelist(version: ET.Element, name: str, terms: list[str]) -> None:
    attributes = {"OID": codelist_oid(name), "Name": name, "DataType": "text"}
    if name in NCI_CODES:
        attributes[_def("StandardOID")] = STANDARD_CT
    codelist = _sub(version, _odm("CodeList"), **attributes)
    for order, term in enumerate(terms, start=1):
        _sub(codelist, _odm("EnumeratedItem"), CodedValue=term, OrderNumber=str(order))
    if name in NCI_CODES:
        _sub(codelist, _odm("Alias"), Context="nci:ExtCodeID", Name=NCI_CODES[name])
    elif name in EXTERNAL_DICTIONARIES:
        # Not CDISC terminology: the subset used is still listed, the dictionary named.
        _sub(codelist, _odm("Alias"), Context="dictionary", Name=EXTERNAL_DICTIONARIES[name])


def define_xml(study: StudyMetadata, datasets: Mapping[str, Dataset]) -> bytes:
    """The Define-XML 2.1 document of `datasets`, keyed by the file each was written to
    (dm.xpt -> its Dataset), as UTF-8 bytes."""
    created = study.created.replace(microsecond=0, tzinfo=None).isoformat()
    root = ET.Element(
        _odm("ODM"),
        {
            "FileType": "Snapshot",
            "FileOID": f"{study.oid}.Define",
            "CreationDateTime": created,
            "ODMVersion": "1.3.2",
            "Originator": study.originator,
            "SourceSystem": study.originator,
            "SourceSystemVersion": study.source_version,
            _def("Context"): "Submission",
        },
    )
    study_element = _sub(root, _odm("Study"), OID=study.oid)
    global_variables = _sub(study_element, _odm("GlobalVariables"))
    _sub(global_variables, _odm("StudyName")).text = study.name
    _sub(global_variables, _odm("StudyDescription")).text = study.description
    _sub(global_variables, _odm("ProtocolName")).text = study.protocol
    version = _sub(
        study_element,
        _odm("MetaDataVersion"),
        OID=study.metadata_version_oid,
        Name=f"{study.name} SDTM",
        Description=f"SDTM tabulation datasets of {study.name}",
        **{_def("DefineVersion"): DEFINE_VERSION},
    )
    standards = _sub(version, _def("Standards"))
    _sub(
        standards,
        _def("Standard"),
        OID=STANDARD_IG,
        Name="SDTMIG",
        Type="IG",
        Version=SDTMIG_VERSION,
        Status="Final",
    )
    _sub(
        standards,
        _def("Standard"),
        OID=STANDARD_CT,
        Name="CDISC/NCI",
        Type="CT",
        PublishingSet="SDTM",
        Version=CDISC_CT_VERSION,
        Status="Final",
    )
    for filename, dataset in datasets.items():
        _item_group(version, dataset, filename)
    codelists = used_terms(datasets.values())
    for dataset in datasets.values():
        for variable in dataset.spec.variables:
            _item(version, dataset, variable, set(codelists))
    for name, terms in codelists.items():
        _codelist(version, name, terms)
    for method in methods(datasets.values()).values():
        element = _sub(
            version, _odm("MethodDef"), OID=method.oid, Name=method.name, Type=method.type
        )
        _description(element, method.description)
    for oid, text in comments(datasets.values()).items():
        _description(_sub(version, _def("CommentDef"), OID=oid), text)
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)
