"""SDTM PC from the cellular-kinetics samples (BLQ per SDTMIG: text BLQ, no number) and the LB
records of the B-cell counts and immunoglobulins, numbered with the screening labs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from edc.crfs import crf_spec
from edc.sdtm import sdtm_dataset
from edc.services.crfs import crf_create
from tests.adverse_events.journeys import at

pytestmark = pytest.mark.django_db


def _sample(subject, actor, **changes):
    data = {
        "time_point": "end_of_infusion", "sampled_at": at(0, 2),
        "transgene_copies_per_ug_dna": Decimal("1520"), "transgene_below_lloq": False,
        "car_cells_per_ul": Decimal("3.4"), "car_cells_below_lloq": False, **changes,
    }  # fmt: skip
    return crf_create(
        spec=crf_spec("car_t_kinetics"), subject=subject, visit_code="D0", data=data, actor=actor
    )


def _pc(subject) -> list[dict]:
    return sdtm_dataset("PC", subject.study).rows


def test_pc_has_a_record_per_analyte_with_its_unit_and_method(subject, actor):
    _sample(subject, actor)
    rows = {row["PCTESTCD"]: row for row in _pc(subject)}
    transgene, cells = rows["CARTRNSG"], rows["CARTCELL"]
    assert (transgene["PCORRES"], transgene["PCORRESU"], transgene["PCSTRESN"]) == (
        "1520", "copies/ug DNA", Decimal("1520")
    )  # fmt: skip
    assert (cells["PCSTRESC"], cells["PCSTRESU"], cells["PCMETHOD"]) == (
        "3.4", "cells/uL", "FLOW CYTOMETRY"
    )  # fmt: skip


def test_pc_keys_time_point_and_study_day_1_on_the_infusion_day(subject, actor):
    _sample(subject, actor)
    row = _pc(subject)[0]
    assert (row["STUDYID"], row["DOMAIN"], row["USUBJID"]) == ("CT1192", "PC", "CT1192-01-001")
    assert (row["PCTPT"], row["PCDY"], row["PCDTC"]) == (
        "END OF INFUSION", 1, f"{subject.day0_date.isoformat()}T10:00"
    )  # fmt: skip


def test_a_result_below_the_lloq_is_blq_with_no_number(subject, actor):
    _sample(subject, actor, transgene_copies_per_ug_dna=None, transgene_below_lloq=True)
    row = next(r for r in _pc(subject) if r["PCTESTCD"] == "CARTRNSG")
    assert (row["PCORRES"], row["PCSTRESC"], row["PCSTRESN"], row["PCLLOQ"]) == (
        "BLQ", "BLQ", None, None
    )  # fmt: skip


def test_pc_seq_follows_the_sample_times(subject, actor):
    _sample(subject, actor, time_point="pre_infusion", sampled_at=at(0, 0))
    _sample(subject, actor)
    rows = _pc(subject)
    assert [row["PCSEQ"] for row in rows] == [1, 2, 3, 4]
    assert [row["PCTPT"] for row in rows][:2] == ["PRE-INFUSION", "PRE-INFUSION"]


def test_immunoglobulins_are_lb_records_numbered_with_the_screening_labs(subject, actor):
    crf_create(
        spec=crf_spec("immunoglobulins"),
        subject=subject,
        visit_code="D28",
        data={"sampled_on": subject.day0_date + dt.timedelta(days=28),
              "igg_g_per_l": Decimal("3.8"), "iga_g_per_l": Decimal("0.5"),
              "igm_g_per_l": Decimal("0.3")},
        actor=actor,
    )  # fmt: skip
    rows = sdtm_dataset("LB", subject.study).rows
    d28 = {row["LBTESTCD"]: row for row in rows if row["VISIT"] == "D28"}
    assert set(d28) == {"IGG", "IGA", "IGM"}
    igg = d28["IGG"]
    assert (igg["LBSTRESN"], igg["LBSTRESU"], igg["LBCAT"], igg["LBDY"]) == (
        Decimal("3.8"), "g/L", "IMMUNOLOGY", 29
    )  # fmt: skip
    assert [row["LBSEQ"] for row in rows] == list(range(1, len(rows) + 1))
