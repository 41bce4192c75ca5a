"""SDTM trial design domains from the two protocol files: TS parameters with their CDISC codes,
arms that are DM's dose levels, one CAR-T element per dose level, visits on study days with no
day 0, and TI criteria codes that fit XPORT."""

from __future__ import annotations

from pathlib import Path

import pytest

from edc.domain import trial_design
from edc.domain.protocol import ProtocolDefinition, load_protocol_file
from edc.domain.sdtm import Dataset, check_dataset, planned_arm, xpt_rows

PROTOCOLS = sorted(Path("protocols").glob("*.yaml"))
BUILDERS = (
    trial_design.ts_dataset,
    trial_design.te_dataset,
    trial_design.ta_dataset,
    trial_design.tv_dataset,
    trial_design.ti_dataset,
)


def _protocol(name: str = "ct1192.yaml") -> ProtocolDefinition:
    return load_protocol_file(Path("protocols") / name)[0]


def _ts(protocol: ProtocolDefinition) -> dict[str, list[dict]]:
    parameters: dict[str, list[dict]] = {}
    for row in trial_design.ts_dataset("CT1192", protocol).rows:
        parameters.setdefault(row["TSPARMCD"], []).append(row)
    return parameters


@pytest.mark.parametrize("path", PROTOCOLS, ids=lambda p: p.stem)
@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_every_trial_design_domain_of_both_protocols_fits_xport_v5(path, build):
    dataset = build("STUDY", load_protocol_file(path)[0])
    check_dataset(Dataset(dataset.spec, xpt_rows(dataset)))


def test_ts_age_limits_come_from_the_age_criteria_as_iso_8601_durations():
    parameters = _ts(_protocol())
    assert (parameters["AGEMIN"][0]["TSVAL"], parameters["AGEMAX"][0]["TSVAL"]) == ("P18Y", "P60Y")
    assert parameters["AGEMIN"][0]["TSVCDREF"] == "ISO 8601"


def test_ts_phase_is_the_cdisc_term_with_its_nci_code():
    phase = _ts(_protocol())["TPHASE"][0]
    assert (phase["TSVAL"], phase["TSVALCD"], phase["TSVCDREF"]) == (
        "PHASE I TRIAL", "C15600", "CDISC CT"
    )  # fmt: skip


def test_ts_registry_id_is_the_nct_number_not_the_sponsor_code():
    assert [row["TSVAL"] for row in _ts(_protocol())["REGID"]] == ["NCT07031713"]


def test_ts_repeats_indic_once_per_disease_numbered_by_tsseq():
    indications = _ts(_protocol("nct07246096.yaml"))["INDIC"]
    assert [row["TSSEQ"] for row in indications] == [1, 2, 3, 4, 5]


def test_ts_plansub_is_the_target_enrolment():
    assert _ts(_protocol())["PLANSUB"][0]["TSVAL"] == "12"


def test_ta_arms_are_the_dose_levels_dm_assigns():
    protocol = _protocol()
    arms = {(row["ARMCD"], row["ARM"]) for row in trial_design.ta_dataset("X", protocol).rows}
    assert arms == {planned_arm(level.level) for level in protocol.escalation.dose_levels}


def test_ta_runs_screening_lymphodepletion_treatment_follow_up_in_each_arm():
    rows = trial_design.ta_dataset("X", _protocol()).rows
    dl2 = [(row["TAETORD"], row["ETCD"], row["EPOCH"]) for row in rows if row["ARMCD"] == "DL2"]
    assert dl2 == [
        (1, "SCRN", "SCREENING"), (2, "LD", "LYMPHODEPLETION"), (3, "CARTDL2", "TREATMENT"),
        (4, "FU", "FOLLOW-UP"),
    ]  # fmt: skip


def test_te_has_one_car_t_element_per_dose_level():
    protocol = _protocol()
    codes = [row["ETCD"] for row in trial_design.te_dataset("X", protocol).rows]
    assert codes == ["SCRN", "LD", "CARTDL1", "CARTDL2", "CARTDL3", "FU"]


def test_te_lymphodepletion_lasts_from_its_first_day_to_the_infusion():
    element = next(r for r in trial_design.te_dataset("X", _protocol()).rows if r["ETCD"] == "LD")
    assert element["TEDUR"] == "P5D"


@pytest.mark.parametrize(("day", "visitdy"), [(-5, -5), (-1, -1), (0, 1), (1, 2), (28, 29)])
def test_tv_visitdy_has_no_day_0(day, visitdy):
    assert trial_design.planned_study_day(day) == visitdy


def test_tv_screening_is_planned_from_consent_so_has_no_visitdy():
    rows = {row["VISIT"]: row for row in trial_design.tv_dataset("X", _protocol()).rows}
    assert rows["SCR"]["VISITDY"] is None
    assert rows["SCR"]["TVSTRL"].startswith("From informed consent")
    assert (rows["D0"]["VISITDY"], rows["LD"]["VISITDY"]) == (1, -5)


def test_tv_start_rule_gives_the_visit_window():
    rows = {row["VISIT"]: row for row in trial_design.tv_dataset("X", _protocol()).rows}
    assert "window -1/+1 days" in rows["D7"]["TVSTRL"]


def test_ti_codes_are_unique_and_name_the_stratum_of_a_stratum_criterion():
    rows = trial_design.ti_dataset("X", _protocol("nct07246096.yaml")).rows
    codes = [row["IETESTCD"] for row in rows]
    assert len(codes) == len(set(codes))
    assert {"IN2A", "INSLE2"} <= set(codes)


def test_ti_text_over_200_characters_is_cut_at_a_word():
    text = "word " * 60
    assert trial_design.shorten(text) == ("word " * 39).strip() + "..."
