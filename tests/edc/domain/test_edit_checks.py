"""Each kind of edit check, judged on plain values (edc/domain/edit_checks.py)."""

import datetime as dt
from decimal import Decimal

import pytest

from edc.domain.edit_checks import check_fails
from edc.domain.protocol import (
    CrossFieldCheck,
    CrossFormCheck,
    RangeCheck,
    RequiredWhenCheck,
    load_protocol_file,
)
from tests.edc.domain.test_protocol import PROTOCOLS

TEXT = {"message": "m", "message_zh": "m"}
RANGE = RangeCheck(id="hr", kind="range", field="hr", min=40, max=150, **TEXT)
REQUIRED = RequiredWhenCheck(id="dia", kind="required_when", field="dia", when_field="sys", **TEXT)
AFTER = CrossFieldCheck(
    id="res", kind="cross_field", field="end", op=">=", other_field="start", **TEXT
)
INFUSED_AFTER_LD = CrossFormCheck(
    id="inf", kind="cross_form", field="infused_on", op=">", reference="lymphodepletion_last_day",
    **TEXT,
)  # fmt: skip
WEIGHT = CrossFormCheck(
    id="wt", kind="cross_form", field="w", reference="previous_visit", max_change_pct=10, **TEXT
)


@pytest.mark.parametrize(("value", "fails"), [(39, True), (40, False), (150, False), (151, True)])
def test_range_fails_outside_its_bounds(value, fails):
    assert check_fails(RANGE, {"hr": value}) is fails


def test_range_cannot_fail_on_a_missing_value():
    assert check_fails(RANGE, {"hr": None}) is False


@pytest.mark.parametrize(
    ("values", "fails"),
    [({"sys": 120, "dia": None}, True), ({"sys": 120, "dia": 80}, False), ({"sys": None}, False)],
)
def test_required_when_fails_only_when_the_other_field_is_answered(values, fails):
    assert check_fails(REQUIRED, values) is fails


def test_cross_field_fails_when_the_comparison_does_not_hold():
    values = {"start": dt.date(2026, 5, 2), "end": dt.date(2026, 5, 1)}
    assert check_fails(AFTER, values) is True


def test_cross_field_passes_on_the_same_day():
    values = {"start": dt.date(2026, 5, 1), "end": dt.date(2026, 5, 1)}
    assert check_fails(AFTER, values) is False


@pytest.mark.parametrize(
    ("infused", "fails"), [(dt.date(2026, 5, 3), True), (dt.date(2026, 5, 4), False)]
)
def test_infusion_must_follow_the_last_lymphodepletion_day(infused, fails):
    values = {"infused_on": infused}
    assert check_fails(INFUSED_AFTER_LD, values, reference=dt.date(2026, 5, 3)) is fails


@pytest.mark.parametrize(("weight", "fails"), [("77.0", False), ("77.1", True), ("62.9", True)])
def test_weight_change_fails_beyond_ten_percent(weight, fails):
    assert (
        check_fails(WEIGHT, {"w": Decimal(weight)}, reference=Decimal(70), limit_pct=Decimal(10))
        is fails
    )


def test_a_cross_form_check_without_its_reference_cannot_fail():
    assert check_fails(WEIGHT, {"w": Decimal(99)}, reference=None, limit_pct=Decimal(10)) is False


@pytest.mark.parametrize("name", ["ct1192.yaml", "nct07246096.yaml"])
def test_dose_tolerance_is_read_from_the_escalation(name):
    protocol, _sha = load_protocol_file(PROTOCOLS / name)
    infusion = protocol.crf("infusion")
    check = next(c for c in infusion.checks if c.id == "dose_within_assigned_level")
    assert protocol.change_limit(check) == protocol.escalation.dose_tolerance_pct
