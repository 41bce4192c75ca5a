"""define.xml written by `manage.py export_sdtm`: valid against the official Define-XML 2.1 XSD,
describing every dataset file and every column written, every code list term used, and with the
OIDs the Dataset-JSON files point at."""

from __future__ import annotations

import functools
import json
from io import StringIO
from pathlib import Path

import pyreadstat
import pytest
from django.core.management import call_command
from lxml import etree
from odmlib.schema_manager import get_schema_path

from edc.models import Study
from edc.sdtm import sdtm_dataset, sdtm_domains
from tests.edc.test_export_sdtm import subject  # noqa: F401  (the journey subject fixture)

pytestmark = pytest.mark.django_db

NS = {
    "odm": "http://www.cdisc.org/ns/odm/v1.3",
    "def": "http://www.cdisc.org/ns/def/v2.1",
    "xlink": "http://www.w3.org/1999/xlink",
}
HREF = f"{{{NS['xlink']}}}href"
PARSER = etree.XMLParser(no_network=True, resolve_entities=False)


@functools.cache
def define_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(get_schema_path("define", "2.1"), PARSER))


def parse_define(outdir: Path) -> etree._ElementTree:
    return etree.parse(str(outdir / "define.xml"), PARSER)


def assert_valid(document: etree._ElementTree) -> None:
    schema = define_schema()
    assert schema.validate(document), [error.message for error in schema.error_log]


def item_def(document: etree._ElementTree, oid: str) -> etree._Element:
    (element,) = document.xpath("//odm:ItemDef[@OID=$oid]", namespaces=NS, oid=oid)
    return element


@pytest.fixture
def exported(subject, tmp_path):  # noqa: F811
    call_command("export_sdtm", "CT1192", str(tmp_path), stdout=StringIO())
    return tmp_path


def test_the_journey_subjects_define_xml_is_valid_against_the_define_21_xsd(exported):
    assert_valid(parse_define(exported))


def test_the_demo_studies_define_xml_are_valid_against_the_define_21_xsd(tmp_path):
    call_command("seed_demo", "--password", "demo-Test-2026", stdout=StringIO())
    studies = list(Study.objects.all())
    assert len(studies) == 2
    for study in studies:
        outdir = tmp_path / study.registry_id
        call_command("export_sdtm", study.registry_id, str(outdir), stdout=StringIO())
        assert_valid(parse_define(outdir))


def test_every_dataset_file_has_an_item_group_whose_leaf_points_at_it(exported):
    document = parse_define(exported)
    leaves = {
        group.get("Name"): group.find("def:leaf", NS).get(HREF)
        for group in document.iterfind(".//odm:ItemGroupDef", NS)
    }
    assert leaves == {path.stem.upper(): path.name for path in exported.glob("*.xpt")}


def test_every_column_written_has_an_item_ref_and_an_item_def(exported):
    document = parse_define(exported)
    for path in exported.glob("*.xpt"):
        _, meta = pyreadstat.read_xport(str(path), metadataonly=True)
        (group,) = document.xpath("//odm:ItemGroupDef[@Name=$n]", namespaces=NS, n=meta.table_name)
        refs = [ref.get("ItemOID") for ref in group.iterfind("odm:ItemRef", NS)]
        assert refs == [f"IT.{meta.table_name}.{name}" for name in meta.column_names]
        for oid, name, label in zip(refs, meta.column_names, meta.column_labels, strict=True):
            item = item_def(document, oid)
            assert (item.get("Name"), item.get("SASFieldName")) == (name, name)
            assert item.findtext("odm:Description/odm:TranslatedText", namespaces=NS) == label


def test_every_code_list_term_in_the_data_is_in_its_code_list(subject, exported):  # noqa: F811
    document = parse_define(exported)
    checked = set()
    for domain in sdtm_domains():
        frame, _ = pyreadstat.read_xport(str(exported / f"{domain.lower()}.xpt"))
        for variable in sdtm_dataset(domain, subject.study).spec.variables:
            used = set(frame[variable.name]) - {""}
            if variable.codelist is None or not used:
                continue
            reference = item_def(document, f"IT.{domain}.{variable.name}").find(
                "odm:CodeListRef", NS
            )
            assert reference.get("CodeListOID") == f"CL.{variable.codelist}"
            (codelist,) = document.xpath(
                "//odm:CodeList[@OID=$oid]", namespaces=NS, oid=reference.get("CodeListOID")
            )
            terms = {term.get("CodedValue") for term in codelist.iterfind("odm:EnumeratedItem", NS)}
            assert used <= terms, (domain, variable.name, used - terms)
            checked.add(variable.codelist)
    assert {"SEX", "NY", "UNIT", "COUNTRY"} <= checked


def test_oids_match_the_dataset_json_files(exported):
    document = parse_define(exported)
    (study,) = document.iterfind("odm:Study", NS)
    version = study.find("odm:MetaDataVersion", NS)
    for path in exported.glob("*.json"):
        dataset = json.loads(path.read_text())
        assert (dataset["studyOID"], dataset["metaDataVersionOID"]) == (
            study.get("OID"),
            version.get("OID"),
        )
        (group,) = version.xpath(
            "odm:ItemGroupDef[@OID=$o]", namespaces=NS, o=dataset["itemGroupOID"]
        )
        keys = {
            ref.get("ItemOID"): ref.get("KeySequence") for ref in group.iterfind("odm:ItemRef", NS)
        }
        for column in dataset["columns"]:
            assert keys[column["itemOID"]] == (
                str(column["keySequence"]) if "keySequence" in column else None
            )
            length = item_def(document, column["itemOID"]).get("Length")
            assert length == (str(column["length"]) if "length" in column else None)


def test_each_item_def_carries_its_variables_origin(subject, exported):  # noqa: F811
    document = parse_define(exported)
    for domain in sdtm_domains():
        for variable in sdtm_dataset(domain, subject.study).spec.variables:
            origin = item_def(document, f"IT.{domain}.{variable.name}").find("def:Origin", NS)
            assert origin.get("Type") == variable.origin.value


def test_a_json_only_export_points_its_leaves_at_the_json_files(subject, tmp_path):  # noqa: F811
    call_command("export_sdtm", "CT1192", str(tmp_path), "--format", "json", stdout=StringIO())
    document = parse_define(tmp_path)
    assert_valid(document)
    hrefs = {leaf.get(HREF) for leaf in document.iterfind(".//def:leaf", NS)}
    assert hrefs == {path.name for path in tmp_path.glob("*.json")}


def test_every_method_an_item_ref_names_is_a_method_def(exported):
    document = parse_define(exported)
    named = set(document.xpath("//odm:ItemRef/@MethodOID", namespaces=NS))
    defined = set(document.xpath("//odm:MethodDef/@OID", namespaces=NS))
    assert named == defined
    assert {"MT.STUDYDAY", "MT.SEQ"} <= defined


def test_every_study_day_variable_points_at_the_no_day_0_method(exported):
    document = parse_define(exported)
    oids = document.xpath(
        "//odm:ItemRef[substring(@ItemOID, string-length(@ItemOID) - 1) = 'DY']/@MethodOID",
        namespaces=NS,
    )
    assert oids
    assert set(oids) == {"MT.STUDYDAY"}
    (description,) = document.xpath(
        "//odm:MethodDef[@OID='MT.STUDYDAY']//odm:TranslatedText/text()", namespaces=NS
    )
    assert "there is no day 0" in description


def test_the_ce_fa_split_and_the_pc_choice_are_dataset_comments(exported):
    document = parse_define(exported)
    comments = {
        group.get("Name"): group.get(f"{{{NS['def']}}}CommentOID")
        for group in document.xpath("//odm:ItemGroupDef", namespaces=NS)
    }
    assert (comments["CE"], comments["FA"], comments["PC"]) == ("COM.CE", "COM.FA", "COM.PC")
    defined = set(document.xpath("//def:CommentDef/@OID", namespaces=NS))
    assert {"COM.CE", "COM.FA", "COM.PC", "COM.TA"} <= defined
