"""The protocol definition format: both real files load, and every error names file and path."""

import copy
from pathlib import Path

import pytest
import yaml

from edc.domain.protocol import ProtocolFileError, format_number, load_protocol_file, parse_protocol
from tests.edc.factories import minimal_definition

PROTOCOLS = Path(__file__).resolve().parents[3] / "protocols"
SEED_FILES = ["nct07246096.yaml", "ct1192.yaml"]


def _parse(definition) -> None:
    parse_protocol(yaml.safe_dump(definition), file="trial.yaml")


def _problems(definition) -> list[tuple[str, str]]:
    with pytest.raises(ProtocolFileError) as info:
        _parse(definition)
    return info.value.problems


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_protocol_file_loads(name):
    definition, sha256 = load_protocol_file(PROTOCOLS / name)
    assert definition.eligibility
    assert len(sha256) == 64


def test_nct07246096_has_the_five_disease_strata():
    definition, _ = load_protocol_file(PROTOCOLS / "nct07246096.yaml")
    assert definition.stratum_codes() == ["sle", "ssc", "pss", "ra", "aav"]
    assert definition.protocol.target_enrolment == 60


def test_ct1192_is_a_boin_design_targeting_30_percent():
    definition, _ = load_protocol_file(PROTOCOLS / "ct1192.yaml")
    assert definition.escalation.design == "boin"
    assert float(definition.escalation.target_dlt_rate) == pytest.approx(0.30)


@pytest.mark.parametrize("name", SEED_FILES)
def test_every_criterion_keeps_its_original_wording_and_a_chinese_text(name):
    definition, _ = load_protocol_file(PROTOCOLS / name)
    assert all(c.text.strip() and c.text_zh for c in definition.eligibility)


def test_minimal_definition_is_valid():
    _parse(minimal_definition())


def test_error_names_file_path_and_problem():
    broken = minimal_definition()
    broken["eligibility"][0]["rule"]["rules"][0]["measure"] = "shoe_size"
    with pytest.raises(ProtocolFileError) as info:
        _parse(broken)
    assert str(info.value).startswith("trial.yaml: eligibility[0].rule.rules[0]: ")
    assert "unknown measure 'shoe_size'" in str(info.value)


def test_yaml_syntax_error_names_the_line():
    with pytest.raises(ProtocolFileError, match=r"trial.yaml: line 3, column 1: not valid YAML"):
        parse_protocol("schema_version: 1\nprotocol: [unclosed\n", file="trial.yaml")


def test_unknown_key_is_refused():
    broken = minimal_definition()
    broken["escalation"]["cohort_sise"] = 3
    assert ("escalation.cohort_sise", "Extra inputs are not permitted") in _problems(broken)


def test_lab_rule_needs_exactly_one_threshold():
    broken = minimal_definition()
    broken["eligibility"][0]["rule"] = {
        "type": "lab", "analyte": "alt", "op": "<=", "x_uln": 3, "value": 40, "unit": "U/L"
    }  # fmt: skip
    assert any("exactly one of value" in message for _, message in _problems(broken))


def test_absolute_lab_threshold_needs_a_unit():
    broken = minimal_definition()
    broken["eligibility"][0]["rule"] = {
        "type": "lab", "analyte": "neutrophils", "op": ">=", "value": 1.0
    }  # fmt: skip
    assert any("needs its unit" in message for _, message in _problems(broken))


def test_categorical_result_must_be_one_the_test_has():
    broken = minimal_definition()
    broken["eligibility"][0]["rule"] = {"type": "result", "test": "hbsag", "any_of": ["maybe"]}
    assert any("hbsag has no result ['maybe']" in message for _, message in _problems(broken))


def test_criterion_group_must_be_common_or_a_stratum():
    broken = minimal_definition()
    broken["eligibility"][0]["group"] = "gout"
    assert any("group 'gout'" in message for _, message in _problems(broken))


def test_duplicate_criterion_ids_are_refused():
    broken = minimal_definition()
    broken["eligibility"].append(copy.deepcopy(broken["eligibility"][0]))
    assert any("duplicate eligibility ids: ['IN-1']" in m for _, m in _problems(broken))


def test_visit_may_only_name_catalogued_crfs():
    broken = minimal_definition()
    broken["visits"][0]["crfs"] = ["vital_signs", "tarot"]
    assert any("visit SCR: unknown crfs ['tarot']" in m for _, m in _problems(broken))


def test_boin_design_needs_a_target_rate():
    broken = minimal_definition()
    broken["escalation"]["design"] = "boin"
    assert any("needs target_dlt_rate" in m for _, m in _problems(broken))


def test_start_level_must_be_a_dose_level():
    broken = minimal_definition()
    broken["escalation"]["start_level"] = 4
    assert any("start_level 4" in m for _, m in _problems(broken))


def test_lymphodepletion_days_must_precede_day0():
    broken = minimal_definition()
    broken["lymphodepletion"]["agents"][0]["days"] = [-1, 0]
    assert any("before Day 0" in m for _, m in _problems(broken))


def test_subject_id_format_must_use_the_sequence():
    assert any(
        "must use {seq}" in m for _, m in _problems(minimal_definition(subject_id_format="X-1"))
    )


def test_subject_id_format_refuses_unknown_fields():
    fmt = "{study_code}-{initials}-{seq}"
    assert any(
        "must use {seq}" in m for _, m in _problems(minimal_definition(subject_id_format=fmt))
    )


def test_format_number_pads_the_sequence():
    number = format_number(
        "{study_code}-{site_number}-{seq:03d}", study_code="CT1192", site_number="01", seq=7
    )
    assert number == "CT1192-01-007"


def test_a_form_for_an_unknown_stratum_is_refused():
    definition = minimal_definition()
    definition["crfs"][1]["strata"] = ["ssc"]
    assert _problems(definition) == [("", "crf prior_therapy: unknown strata ['ssc']")]


def test_a_visit_offers_a_subject_only_the_forms_of_its_stratum():
    definition, _ = load_protocol_file(PROTOCOLS / "nct07246096.yaml")
    screening = definition.visits[0]
    sle, ssc = (set(definition.visit_crfs(screening, s)) for s in ("sle", "ssc"))
    assert {"sledai2k", "bilag2004", "lupus_serology"} <= sle
    assert not {"mrss", "essdai", "joint_counts", "bvas", "anca_serology"} & sle
    assert "mrss" in ssc
    assert not {"sledai2k", "essdai", "bvas"} & ssc


@pytest.mark.parametrize("name", SEED_FILES)
def test_every_disease_instrument_is_tied_to_a_stratum(name):
    definition, _ = load_protocol_file(PROTOCOLS / name)
    instruments = {"sledai2k", "bilag2004", "lupus_serology", "mrss", "essdai", "joint_counts",
                   "bvas", "anca_serology"}  # fmt: skip
    assert all(c.strata for c in definition.crfs if c.code in instruments)


def test_a_form_expected_under_an_unknown_condition_is_refused():
    definition = minimal_definition()
    definition["crfs"][1]["expected_if"] = ["hbv_monitoring"]
    assert _problems(definition) == [
        ("crfs[1]", "unknown conditions ['hbv_monitoring']; known: ['hbv_dna_monitoring']")
    ]


def test_a_form_naming_an_unknown_visit_is_refused():
    definition = minimal_definition()
    definition["crfs"][1]["visits"] = ["M99"]
    assert _problems(definition) == [("", "crf prior_therapy: unknown visits ['M99']")]


def test_a_form_is_offered_at_the_visits_it_names_and_only_under_its_condition():
    definition, _ = load_protocol_file(PROTOCOLS / "ct1192.yaml")
    month3 = next(v for v in definition.visits if v.code == "M3")
    everyone = definition.visit_crfs(month3, "sle")
    monitored = definition.visit_crfs(month3, "sle", frozenset({"hbv_dna_monitoring"}))
    assert {"infection", "pregnancy_report"} <= set(everyone)
    assert "viral_load" not in everyone
    assert "viral_load" in monitored
