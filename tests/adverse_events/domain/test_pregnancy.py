"""Contraception windows from Day 0 as the protocol files give them, and a pregnancy's exposure."""

import datetime as dt
from pathlib import Path

import pytest

from adverse_events.domain.pregnancy import (
    Exposure,
    contraception_end,
    estimated_conception,
    pregnancy_exposure,
)
from edc.domain.protocol import load_protocol_file

PROTOCOLS = Path(__file__).resolve().parents[3] / "protocols"


@pytest.mark.parametrize(
    ("file", "day0", "until"),
    [
        ("nct07246096.yaml", dt.date(2026, 5, 6), dt.date(2026, 11, 6)),
        ("nct07246096.yaml", dt.date(2026, 8, 31), dt.date(2027, 2, 28)),
        ("ct1192.yaml", dt.date(2026, 5, 6), dt.date(2027, 5, 6)),
        ("ct1192.yaml", dt.date(2028, 2, 29), dt.date(2029, 2, 28)),
    ],
)
def test_the_window_ends_the_protocols_months_after_day_0(file, day0, until):
    definition, _sha = load_protocol_file(PROTOCOLS / file)
    window = definition.contraception
    assert contraception_end(day0=day0, months_after_infusion=window.months_after_infusion) == until


@pytest.mark.parametrize("file", ["nct07246096.yaml", "ct1192.yaml"])
def test_both_protocols_include_male_subjects_with_a_partner_of_childbearing_potential(file):
    definition, _sha = load_protocol_file(PROTOCOLS / file)
    assert "male_with_partner_of_childbearing_potential" in definition.contraception.applies_to


def test_a_window_of_no_months_is_refused():
    with pytest.raises(ValueError, match="months_after_infusion"):
        contraception_end(day0=dt.date(2026, 5, 6), months_after_infusion=0)


DAY0, END = dt.date(2026, 5, 6), dt.date(2026, 11, 6)


@pytest.mark.parametrize(
    ("conceived", "exposure"),
    [
        (dt.date(2026, 5, 5), Exposure.BEFORE_INFUSION),
        (DAY0, Exposure.WITHIN_CONTRACEPTION_WINDOW),
        (END, Exposure.WITHIN_CONTRACEPTION_WINDOW),
        (END + dt.timedelta(days=1), Exposure.AFTER_CONTRACEPTION_WINDOW),
    ],
)
def test_exposure_is_judged_on_the_last_day_of_the_window(conceived, exposure):
    assert pregnancy_exposure(conception_date=conceived, day0=DAY0, window_end=END) is exposure


def test_conception_is_estimated_two_weeks_after_the_last_period():
    assert estimated_conception(lmp_date=dt.date(2026, 7, 1), conception_date=None) == dt.date(
        2026, 7, 15
    )


def test_a_given_conception_date_stands():
    given = dt.date(2026, 7, 20)
    assert estimated_conception(lmp_date=dt.date(2026, 7, 1), conception_date=given) == given
