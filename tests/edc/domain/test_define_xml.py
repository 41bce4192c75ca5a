"""edc.domain.define_xml on hand-made datasets: what the document declares follows the data
written (lengths, mandatory keys, the code list terms used) and stays valid against the XSD."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from edc.domain.define_xml import StudyMetadata, define_xml, mandatory, used_terms
from edc.domain.sdtm import Dataset, DatasetSpec, DataType, Origin, Variable, supp_spec
from tests.edc.test_define_xml import NS, PARSER, assert_valid

STUDY = StudyMetadata(
    oid="ST.CT1192",
    name="CT1192",
    description="Universal CD19/20 CAR-T in refractory SLE",
    protocol="NCT00000000",
    created=dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC),
)
DM = DatasetSpec(
    "DM",
    "Demographics",
    (
        Variable("USUBJID", "Unique Subject Identifier", key=True, origin=Origin.DERIVED),
        Variable("AGE", "Age", DataType.INTEGER, Origin.DERIVED),
        Variable("SEX", "Sex", codelist="SEX"),
        Variable("RACE", "Race", codelist="RACE"),
    ),
)
DM_ROWS = [
    {"USUBJID": "CT1192-01-001", "AGE": 34, "SEX": "F", "RACE": ""},
    {"USUBJID": "CT1192-01-0002", "AGE": 41, "SEX": "M", "RACE": ""},
]


def _document(*datasets: Dataset) -> etree._ElementTree:
    files = {f"{dataset.spec.name.lower()}.xpt": dataset for dataset in datasets}
    return etree.ElementTree(etree.fromstring(define_xml(STUDY, files), PARSER))


def _item(document: etree._ElementTree, oid: str) -> etree._Element:
    (item,) = document.xpath("//odm:ItemDef[@OID=$oid]", namespaces=NS, oid=oid)
    return item


def test_a_text_variables_length_is_its_longest_value_and_a_numbers_has_none():
    document = _document(Dataset(DM, DM_ROWS))
    assert _item(document, "IT.DM.USUBJID").get("Length") == "14"
    assert _item(document, "IT.DM.AGE").get("Length") is None
    assert _item(document, "IT.DM.AGE").get("DataType") == "integer"


def test_a_code_list_holds_the_terms_used_and_one_never_used_is_left_out():
    document = _document(Dataset(DM, DM_ROWS))
    assert_valid(document)
    assert used_terms([Dataset(DM, DM_ROWS)]) == {"SEX": ["F", "M"]}
    assert _item(document, "IT.DM.RACE").find("odm:CodeListRef", NS) is None
    assert [cl.get("OID") for cl in document.iterfind(".//odm:CodeList", NS)] == ["CL.SEX"]


def test_a_key_is_mandatory_unless_the_file_holds_a_blank_for_it():
    supp = Dataset(
        supp_spec("DM"),
        [
            {"STUDYID": "CT1192", "RDOMAIN": "DM", "USUBJID": "CT1192-01-001", "IDVAR": "",
             "IDVARVAL": "", "QNAM": "STRATUM", "QLABEL": "Stratum", "QVAL": "A", "QORIG": "CRF"},
        ],
    )  # fmt: skip
    spec = {variable.name: variable for variable in supp.spec.variables}
    assert mandatory(supp, spec["USUBJID"])
    assert mandatory(supp, spec["QVAL"])  # SDTMIG-required, though not a key
    assert not mandatory(supp, spec["IDVAR"])  # a key, blank for DM's one record per subject
    assert not mandatory(supp, spec["QORIG"])


def test_a_supplemental_dataset_belongs_to_its_parent_domain_and_repeats():
    document = _document(Dataset(DM, DM_ROWS), Dataset(supp_spec("DM"), []))
    groups = {g.get("Name"): g for g in document.iterfind(".//odm:ItemGroupDef", NS)}
    assert (groups["SUPPDM"].get("Domain"), groups["SUPPDM"].get("Repeating")) == ("DM", "Yes")
    assert (groups["DM"].get("Domain"), groups["DM"].get("Repeating")) == ("DM", "No")
    assert groups["SUPPDM"].find("def:Class", NS).get("Name") == "RELATIONSHIP"
