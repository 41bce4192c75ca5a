"""CAR-T infusion: cell-dose entry, planned and infused CAR+ cells, 10x typos, timing (§7.5).

Pure domain tests: no database, no Django.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from dosing.domain.infusion import (
    InfusedDoseCheck,
    car_positive_cells,
    cells_from_mantissa,
    check_infused_dose,
    check_infusion_timing,
    planned_cells,
)
from edc.domain.protocol import DoseLevel, ProtocolDefinition, load_protocol_file
from edc.domain.validation import ArgumentError

PROTOCOLS = Path(__file__).resolve().parents[3] / "protocols"


@cache
def _protocol(name: str) -> ProtocolDefinition:
    return load_protocol_file(PROTOCOLS / name)[0]


def _flat_dl1() -> DoseLevel:  # CT1192 DL1: 3.0 x 10^8 CAR+ cells
    return _protocol("ct1192.yaml").escalation.dose_levels[0]


def _per_kg_dl1() -> DoseLevel:  # NCT07246096 DL1: 1.0 x 10^6 CAR+ cells/kg
    return _protocol("nct07246096.yaml").escalation.dose_levels[0]


def _per_m2(dose: str = "1E+8") -> DoseLevel:
    return DoseLevel(
        level=1, label="DLx: 1 x 10^8 CAR+ cells/m2", dose=Decimal(dose), unit="x", basis="per_m2"
    )


# --------------------------------------------------------------------------- mantissa entry


@pytest.mark.parametrize(
    ("mantissa", "exponent", "cells"),
    [
        (Decimal("1.0"), 8, Decimal("1E+8")),  # lowest mantissa
        (1.0, 8, Decimal("1E+8")),
        (Decimal("9.99"), 9, Decimal("9.99E+9")),
        (Decimal("9.9999"), 9, Decimal("9.9999E+9")),
        (1.5, 5, Decimal("150000")),  # lowest exponent
        (Decimal("4.5"), 12, Decimal("4.5E+12")),  # highest exponent
        (3, 8, Decimal("3E+8")),
    ],
)
def test_cells_are_mantissa_times_power_of_ten_when_in_range(
    mantissa: Decimal | float, exponent: int, cells: Decimal
) -> None:
    assert cells_from_mantissa(mantissa=mantissa, exponent=exponent) == cells


@pytest.mark.parametrize(
    ("mantissa", "exponent", "argument"),
    [
        (Decimal("10.0"), 8, "mantissa"),  # 10 is 1.0 x 10^(e+1)
        (Decimal("0.99"), 8, "mantissa"),
        (0, 8, "mantissa"),
        (-3, 8, "mantissa"),
        ("3.0", 8, "mantissa"),
        (True, 8, "mantissa"),
        (float("nan"), 8, "mantissa"),
        (Decimal("3.0"), 4, "exponent"),
        (Decimal("3.0"), 13, "exponent"),
        (Decimal("3.0"), 8.0, "exponent"),
        (Decimal("3.0"), "8", "exponent"),
        (Decimal("3.0"), True, "exponent"),
    ],
)
def test_cells_from_mantissa_refuse_entry_when_outside_range(
    mantissa: object, exponent: object, argument: str
) -> None:
    with pytest.raises(ArgumentError) as raised:
        cells_from_mantissa(mantissa=mantissa, exponent=exponent)  # type: ignore[arg-type]

    assert raised.value.argument == argument


# --------------------------------------------------------------------------- planned cells


@pytest.mark.parametrize(
    ("level", "weight_kg", "bsa_m2", "cells"),
    [
        (_flat_dl1(), None, None, Decimal("300000000")),
        (_flat_dl1(), 70, Decimal("1.8447"), Decimal("300000000")),  # flat: body size unused
        (_per_kg_dl1(), 70, None, Decimal("70000000")),
        (_per_kg_dl1(), Decimal("70.5"), None, Decimal("70500000")),
        (_per_kg_dl1(), 70.55, Decimal("1.8"), Decimal("70550000")),
        (_per_m2(), None, Decimal("1.8447"), Decimal("184470000")),
        (_per_m2(), 70, 1.5, Decimal("150000000")),
        (_per_m2("1E+5"), None, Decimal("1.000005"), Decimal("100001")),  # 100000.5 half-up
        (_per_m2("1E+5"), None, Decimal("1.0000049"), Decimal("100000")),  # 100000.49 down
    ],
)
def test_planned_cells_follow_the_basis_when_flat_per_kg_or_per_m2(
    level: DoseLevel, weight_kg: object, bsa_m2: object, cells: Decimal
) -> None:
    result = planned_cells(level=level, weight_kg=weight_kg, bsa_m2=bsa_m2)  # type: ignore[arg-type]

    assert result == cells
    assert result == result.to_integral_value()


@pytest.mark.parametrize(
    ("file", "weight_kg", "expected"),
    [
        ("ct1192.yaml", None, ["3.0E+8", "4.5E+8", "6.0E+8"]),
        ("nct07246096.yaml", 60, ["6.0E+7", "1.2E+8", "1.8E+8"]),
    ],
)
def test_planned_cells_cover_every_level_when_seed_protocol(
    file: str, weight_kg: int | None, expected: list[str]
) -> None:
    levels = _protocol(file).escalation.dose_levels

    cells = [planned_cells(level=level, weight_kg=weight_kg) for level in levels]

    assert cells == [Decimal(value) for value in expected]


@pytest.mark.parametrize(
    ("level", "weight_kg", "bsa_m2", "argument"),
    [
        (_per_kg_dl1(), None, Decimal("1.8"), "weight_kg"),  # per_kg without weight
        (_per_m2(), 70, None, "bsa_m2"),  # per_m2 without BSA
        (_per_kg_dl1(), 0, None, "weight_kg"),
        (_per_kg_dl1(), 701, None, "weight_kg"),
        (_per_kg_dl1(), "70", None, "weight_kg"),
        (_per_m2(), None, 0, "bsa_m2"),
        (_per_m2(), None, 11, "bsa_m2"),
        (_flat_dl1(), -70, None, "weight_kg"),  # validated even if unused
        ("DL1", None, None, "level"),
    ],
)
def test_planned_cells_refuse_input_when_body_size_missing_or_invalid(
    level: object, weight_kg: object, bsa_m2: object, argument: str
) -> None:
    with pytest.raises(ArgumentError) as raised:
        planned_cells(level=level, weight_kg=weight_kg, bsa_m2=bsa_m2)  # type: ignore[arg-type]

    assert raised.value.argument == argument


# --------------------------------------------------------------------------- infused dose


@pytest.mark.parametrize(
    ("infused", "deviation", "within"),
    [
        ("3.0E+8", "0.00", True),
        ("3.6E+8", "20.00", True),  # exactly +20 %
        ("3.6003E+8", "20.01", False),
        ("2.4E+8", "-20.00", True),  # exactly -20 %
        ("2.3997E+8", "-20.01", False),
        ("3.60012E+8", "20.00", True),  # 20.004 % shows as 20.00 %: verdict on the shown value
        ("3.60015E+8", "20.01", False),  # 20.005 % -> 20.01 % half-up
    ],
)
def test_infused_dose_is_within_tolerance_when_at_most_20_pct_off(
    infused: str, deviation: str, within: bool
) -> None:
    result = check_infused_dose(
        level=_flat_dl1(), infused_car_pos_cells=Decimal(infused), tolerance_pct=20
    )

    assert isinstance(result, InfusedDoseCheck)
    assert result.deviation_pct == Decimal(deviation)
    assert result.within_tolerance is within
    assert result.likely_order_of_magnitude_error is False
    assert ("within the allowed" in result.reason) is within


@pytest.mark.parametrize(
    ("ratio", "flagged", "power"),
    [
        ("10", True, 1),  # 10^8 typed as 10^9
        ("0.1", True, -1),  # 10^8 typed as 10^7
        ("100", True, 2),
        ("0.01", True, -2),
        ("11", True, 1),  # within 20 % of 10
        ("8", True, 1),  # exactly -20 % of 10
        ("12", True, 1),  # exactly +20 % of 10
        ("0.08", True, -1),
        ("0.12", True, -1),
        ("5", True, None),  # >= 5
        ("7.9", True, None),
        ("0.2", True, None),  # <= 0.2
        ("0.13", True, None),
        ("1.5", False, None),
        ("4.9", False, None),
        ("0.21", False, None),
        ("1.2", False, None),  # within tolerance
        ("1", False, None),
    ],
)
def test_likely_10x_typo_is_flagged_when_ratio_near_a_power_of_ten_or_far_off(
    ratio: str, flagged: bool, power: int | None
) -> None:
    infused = Decimal("3.0E+8") * Decimal(ratio)

    result = check_infused_dose(level=_flat_dl1(), infused_car_pos_cells=infused, tolerance_pct=20)

    assert result.likely_order_of_magnitude_error is flagged
    assert result.nearest_power_of_ten == power
    assert result.ratio == Decimal(ratio)
    assert ("order-of-magnitude (10x) entry error" in result.reason) is flagged
    if flagged:
        assert result.within_tolerance is False
        assert "check the exponent" in result.reason


def test_likely_10x_typo_is_not_flagged_when_within_a_wide_tolerance() -> None:
    # With +-100 % the ratio 0.1 is within tolerance of 1: within wins, no typo flag.
    result = check_infused_dose(
        level=_flat_dl1(), infused_car_pos_cells=Decimal("3.0E+7"), tolerance_pct=100
    )

    assert result.within_tolerance is True
    assert result.likely_order_of_magnitude_error is False


@pytest.mark.parametrize(
    ("level", "infused", "weight_kg", "bsa_m2", "planned", "cells_per_kg"),
    [
        (_per_kg_dl1(), "7.0E+7", 70, None, "7.0E+7", "1000000"),
        (_per_kg_dl1(), "7.0E+8", 70, None, "7.0E+7", "10000000"),  # 10x
        (_flat_dl1(), "3.0E+8", None, None, "3.0E+8", None),
        (_flat_dl1(), "3.0E+8", 60, None, "3.0E+8", "5000000"),
        (_per_m2(), "1.8447E+8", 70, Decimal("1.8447"), "1.8447E+8", "2635286"),  # 2635285.7
    ],
)
def test_infused_dose_reports_cells_per_kg_when_weight_given(
    level: DoseLevel,
    infused: str,
    weight_kg: int | None,
    bsa_m2: Decimal | None,
    planned: str,
    cells_per_kg: str | None,
) -> None:
    result = check_infused_dose(
        level=level,
        infused_car_pos_cells=Decimal(infused),
        weight_kg=weight_kg,
        bsa_m2=bsa_m2,
        tolerance_pct=20,
    )

    assert result.planned_cells == Decimal(planned)
    assert result.infused_cells == Decimal(infused)
    assert result.cells_per_kg == (None if cells_per_kg is None else Decimal(cells_per_kg))


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"infused_car_pos_cells": 0}, "infused_car_pos_cells"),
        ({"infused_car_pos_cells": -3e8}, "infused_car_pos_cells"),
        ({"infused_car_pos_cells": "3e8"}, "infused_car_pos_cells"),
        ({"tolerance_pct": -1}, "tolerance_pct"),
        ({"tolerance_pct": 100.5}, "tolerance_pct"),
        ({"level": _per_kg_dl1()}, "weight_kg"),
        ({"level": _per_m2()}, "bsa_m2"),
        ({"level": None}, "level"),
    ],
)
def test_infused_dose_check_refuses_input_when_invalid(
    kwargs: dict[str, object], argument: str
) -> None:
    arguments: dict[str, object] = {
        "level": _flat_dl1(),
        "infused_car_pos_cells": Decimal("3.0E+8"),
        "tolerance_pct": 20,
    }
    arguments.update(kwargs)

    with pytest.raises(ArgumentError) as raised:
        check_infused_dose(**arguments)  # type: ignore[arg-type]

    assert raised.value.argument == argument


# --------------------------------------------------------------------------- CAR+ cells


@pytest.mark.parametrize(
    ("total", "pct", "car_pos"),
    [
        (Decimal("1.2E+9"), Decimal("37.5"), Decimal("450000000")),
        (Decimal("3.0E+8"), 100, Decimal("300000000")),  # 100 % allowed
        (Decimal("1E+9"), Decimal("0.01"), Decimal("100000")),
        (3, 50, Decimal(2)),  # 1.5 -> 2 half-up
        (5, 10, Decimal(1)),  # 0.5 -> 1 half-up
        (Decimal("8E+8"), 30.7, Decimal("245600000")),
    ],
)
def test_car_positive_cells_are_total_times_pct_when_valid(
    total: Decimal | int, pct: Decimal | float, car_pos: Decimal
) -> None:
    assert car_positive_cells(total_viable_cells=total, car_positive_pct=pct) == car_pos


@pytest.mark.parametrize(
    ("total", "pct", "argument"),
    [
        (0, 50, "total_viable_cells"),
        (-1, 50, "total_viable_cells"),
        ("1e9", 50, "total_viable_cells"),
        (Decimal("1E+9"), 0, "car_positive_pct"),
        (Decimal("1E+9"), Decimal("100.01"), "car_positive_pct"),
        (Decimal("1E+9"), None, "car_positive_pct"),
    ],
)
def test_car_positive_cells_refuse_input_when_invalid(
    total: object, pct: object, argument: str
) -> None:
    with pytest.raises(ArgumentError) as raised:
        car_positive_cells(total_viable_cells=total, car_positive_pct=pct)  # type: ignore[arg-type]

    assert raised.value.argument == argument


# --------------------------------------------------------------------------- timing

LAST_LD = dt.date(2025, 3, 3)  # Day -3 of a Flu/Cy -5..-3 regimen; Day 0 is 2025-03-06


@pytest.mark.parametrize(
    ("infusion_date", "min_rest_days", "message"),
    [
        (dt.date(2025, 3, 1), 1, "precedes the last lymphodepletion day"),
        (dt.date(2025, 3, 2), 1, "precedes the last lymphodepletion day"),
        (dt.date(2025, 3, 3), 1, "is the last lymphodepletion day"),  # same day
        (dt.date(2025, 3, 3), 0, "is the last lymphodepletion day"),  # refused whatever the min
        (dt.date(2025, 3, 4), 1, "leaves 0 rest day(s)"),  # the day after: no rest day
        (dt.date(2025, 3, 5), 2, "leaves 1 rest day(s)"),
    ],
)
def test_infusion_is_refused_when_on_or_before_last_ld_day_or_too_soon(
    infusion_date: dt.date, min_rest_days: int, message: str
) -> None:
    with pytest.raises(ArgumentError) as raised:
        check_infusion_timing(
            last_lymphodepletion_day=LAST_LD,
            infusion_date=infusion_date,
            min_rest_days=min_rest_days,
        )

    assert raised.value.argument == "infusion_date"
    assert message in str(raised.value)
    earliest = LAST_LD + dt.timedelta(days=min_rest_days + 1)
    assert f"earliest infusion date is {earliest.isoformat()}" in str(raised.value)


@pytest.mark.parametrize(
    ("infusion_date", "min_rest_days"),
    [
        (dt.date(2025, 3, 5), 1),  # exactly 1 rest day (Day -1)
        (dt.date(2025, 3, 6), 1),  # Day 0 of the usual regimen: 2 rest days
        (dt.date(2025, 3, 20), 1),
        (dt.date(2025, 3, 4), 0),  # the day after, when the protocol allows no rest day
        (dt.date(2025, 3, 6), 2),
    ],
)
def test_infusion_is_accepted_when_enough_rest_days_after_last_ld_day(
    infusion_date: dt.date, min_rest_days: int
) -> None:
    assert (
        check_infusion_timing(
            last_lymphodepletion_day=LAST_LD,
            infusion_date=infusion_date,
            min_rest_days=min_rest_days,
        )
        is None
    )


def test_infusion_timing_defaults_to_one_rest_day_when_min_not_given() -> None:
    check_infusion_timing(last_lymphodepletion_day=LAST_LD, infusion_date=dt.date(2025, 3, 5))
    with pytest.raises(ArgumentError):
        check_infusion_timing(last_lymphodepletion_day=LAST_LD, infusion_date=dt.date(2025, 3, 4))


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"last_lymphodepletion_day": "2025-03-03"}, "last_lymphodepletion_day"),
        ({"last_lymphodepletion_day": dt.datetime(2025, 3, 3, 8, 0)}, "last_lymphodepletion_day"),
        ({"infusion_date": None}, "infusion_date"),
        ({"infusion_date": dt.datetime(2025, 3, 6, 8, 0)}, "infusion_date"),
        ({"min_rest_days": -1}, "min_rest_days"),
        ({"min_rest_days": 1.0}, "min_rest_days"),
    ],
)
def test_infusion_timing_refuses_input_when_invalid(
    kwargs: dict[str, object], argument: str
) -> None:
    arguments: dict[str, object] = {
        "last_lymphodepletion_day": LAST_LD,
        "infusion_date": dt.date(2025, 3, 6),
    }
    arguments.update(kwargs)

    with pytest.raises(ArgumentError) as raised:
        check_infusion_timing(**arguments)  # type: ignore[arg-type]

    assert raised.value.argument == argument
