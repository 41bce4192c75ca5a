"""Lymphodepletion planned doses and administered-dose checks (clinical-rules.md §7.4).

Pure domain tests: no database, no Django.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from dosing.domain.lymphodepletion import (
    DoseCheck,
    PlannedDose,
    bsa_m2_for_dosing,
    check_administered,
    deviation_pct,
    missing_days,
    planned_doses,
    round_dose_mg,
)
from edc.domain.protocol import Agent, Lymphodepletion, ProtocolDefinition, load_protocol_file
from edc.domain.validation import ArgumentError
from tests.vectors import resolve, vector_params

PROTOCOLS = Path(__file__).resolve().parents[3] / "protocols"
SEED_FILES = ("ct1192.yaml", "nct07246096.yaml")


NORMAL_CRCL = 95  # mL/min: no renal adjustment


@cache
def _protocol(name: str) -> ProtocolDefinition:
    return load_protocol_file(PROTOCOLS / name)[0]


def _regimen(*agents: tuple[str, str, str, tuple[int, ...]]) -> Lymphodepletion:
    return Lymphodepletion(
        agents=tuple(
            Agent(drug=drug, dose=Decimal(dose), unit=unit, days=days)  # type: ignore[arg-type]
            for drug, dose, unit, days in agents
        ),
        dose_tolerance_pct=Decimal(10),
    )


def _planned(dose_mg: str, drug: str = "fludarabine", day: int = -5) -> PlannedDose:
    return PlannedDose(
        drug=drug,
        day=day,
        dose_mg=Decimal(dose_mg),
        basis_value=None,
        basis_unit=None,
        nominal_dose=Decimal(dose_mg),
        nominal_unit="mg/day",
    )


# --------------------------------------------------------------------------- planned doses


@pytest.mark.parametrize("file", SEED_FILES)
def test_planned_doses_match_worked_example_when_flu_cy_at_175_cm_70_kg(file: str) -> None:
    doses = planned_doses(
        regimen=_protocol(file).lymphodepletion,
        height_cm=175,
        weight_kg=70,
        crcl_ml_min=NORMAL_CRCL,
    )

    assert [(d.drug, d.day, d.dose_mg) for d in doses] == [
        ("fludarabine", -5, Decimal("55.3")),
        ("cyclophosphamide", -5, Decimal("553.4")),
        ("fludarabine", -4, Decimal("55.3")),
        ("cyclophosphamide", -4, Decimal("553.4")),
        ("fludarabine", -3, Decimal("55.3")),
        ("cyclophosphamide", -3, Decimal("553.4")),
    ]
    assert {(d.basis_value, d.basis_unit) for d in doses} == {(Decimal("1.8447"), "m2")}
    assert {(d.drug, d.nominal_dose, d.nominal_unit) for d in doses} == {
        ("fludarabine", Decimal(30), "mg/m2/day"),
        ("cyclophosphamide", Decimal(300), "mg/m2/day"),
    }


@pytest.mark.parametrize(
    ("height_cm", "weight_kg", "bsa_m2"),
    [
        (175, 70, "1.8447"),  # 1.844662 -> up at the 4th decimal
        (170, 65, "1.7520"),  # 1.751983 -> up, carries
        (160, 50, "1.4907"),  # 1.490712 -> down
        (162, 50, "1.5000"),  # exactly 1.5
        (180, 80, "2.0000"),  # exactly 2
        (150.5, 45.2, "1.3746"),  # floats taken as typed
        (Decimal("158"), Decimal("52.3"), "1.5151"),
    ],
)
def test_bsa_is_rounded_to_4_decimals_half_up_when_dosing(
    height_cm: float, weight_kg: float, bsa_m2: str
) -> None:
    bsa = bsa_m2_for_dosing(height_cm=height_cm, weight_kg=weight_kg)

    assert bsa == Decimal(bsa_m2)
    assert bsa.as_tuple().exponent == -4


@pytest.mark.parametrize(
    ("height_cm", "weight_kg", "fludarabine_mg", "cyclophosphamide_mg"),
    [
        (175, 70, "55.3", "553.4"),  # 1.8447 x 30 = 55.341; x 300 = 553.41
        (170, 65, "52.6", "525.6"),  # 1.7520
        (162, 50, "45.0", "450.0"),  # 1.5
        (190, 110, "72.3", "722.9"),  # 2.4095 x 300 = 722.85 -> half-up 722.9
    ],
)
def test_planned_mg_m2_dose_uses_rounded_bsa_when_mosteller(
    height_cm: int, weight_kg: int, fludarabine_mg: str, cyclophosphamide_mg: str
) -> None:
    doses = planned_doses(
        regimen=_protocol("ct1192.yaml").lymphodepletion,
        height_cm=height_cm,
        weight_kg=weight_kg,
        crcl_ml_min=NORMAL_CRCL,
    )

    by_drug = {d.drug: d.dose_mg for d in doses if d.day == -5}
    assert by_drug == {
        "fludarabine": Decimal(fludarabine_mg),
        "cyclophosphamide": Decimal(cyclophosphamide_mg),
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("55.341", "55.3"),
        ("55.35", "55.4"),  # half-up
        ("175.25", "175.3"),  # half-up (half-even would give 175.2)
        ("175.249", "175.2"),
        ("0.05", "0.1"),
        ("553.4", "553.4"),
    ],
)
def test_dose_is_rounded_to_0_1_mg_half_up_when_rounding(value: str, expected: str) -> None:
    assert round_dose_mg(Decimal(value)) == Decimal(expected)


def test_planned_dose_is_weight_times_dose_when_mg_kg_day() -> None:
    regimen = _regimen(("busulfan", "2.5", "mg/kg/day", (-2,)))

    (dose,) = planned_doses(regimen=regimen, height_cm=None, weight_kg=70.1)

    assert dose.dose_mg == Decimal("175.3")  # 175.25 half-up
    assert (dose.basis_value, dose.basis_unit) == (Decimal("70.1"), "kg")


def test_planned_dose_is_nominal_when_mg_day() -> None:
    regimen = _regimen(("mesna", "1000", "mg/day", (-4, -6)))

    doses = planned_doses(regimen=regimen, height_cm=None, weight_kg=None)

    assert [(d.day, d.dose_mg, d.basis_value, d.basis_unit) for d in doses] == [
        (-6, Decimal("1000.0"), None, None),
        (-4, Decimal("1000.0"), None, None),
    ]


def test_planned_doses_keep_regimen_order_within_a_day_when_several_units() -> None:
    regimen = _regimen(
        ("cyclophosphamide", "300", "mg/m2/day", (-3,)),
        ("busulfan", "1", "mg/kg/day", (-4, -3)),
        ("mesna", "100", "mg/day", (-3,)),
    )

    doses = planned_doses(regimen=regimen, height_cm=175, weight_kg=70)

    assert [(d.day, d.drug, d.dose_mg) for d in doses] == [
        (-4, "busulfan", Decimal("70.0")),
        (-3, "cyclophosphamide", Decimal("553.4")),
        (-3, "busulfan", Decimal("70.0")),
        (-3, "mesna", Decimal("100.0")),
    ]


@pytest.mark.parametrize(
    ("regimen_units", "height_cm", "weight_kg", "argument"),
    [
        ("mg/m2/day", None, 70, "height_cm"),
        ("mg/m2/day", 175, None, "weight_kg"),
        ("mg/kg/day", 175, None, "weight_kg"),
        ("mg/m2/day", 0, 70, "height_cm"),
        ("mg/m2/day", 301, 70, "height_cm"),
        ("mg/m2/day", 175, -1, "weight_kg"),
        ("mg/m2/day", 175, 701, "weight_kg"),
        ("mg/kg/day", None, 0, "weight_kg"),
        ("mg/kg/day", None, 701, "weight_kg"),
        ("mg/m2/day", "175", 70, "height_cm"),
        ("mg/kg/day", None, True, "weight_kg"),
        ("mg/kg/day", None, float("nan"), "weight_kg"),
    ],
)
def test_planned_doses_refuse_body_size_when_missing_or_impossible(
    regimen_units: str, height_cm: object, weight_kg: object, argument: str
) -> None:
    regimen = _regimen(("drug", "30", regimen_units, (-5,)))

    with pytest.raises(ArgumentError) as raised:
        planned_doses(regimen=regimen, height_cm=height_cm, weight_kg=weight_kg)  # type: ignore[arg-type]

    assert raised.value.argument == argument
    assert str(raised.value).startswith(f"{argument}: ")


def test_planned_doses_refuse_regimen_when_not_a_protocol_regimen() -> None:
    with pytest.raises(ArgumentError) as raised:
        planned_doses(regimen={"agents": []}, height_cm=175, weight_kg=70)  # type: ignore[arg-type]

    assert raised.value.argument == "regimen"


# --------------------------------------------------------------------------- administered


@pytest.mark.parametrize(
    ("planned_mg", "administered_mg", "tolerance_pct", "deviation", "within"),
    [
        ("55.3", "55.3", 10, "0.00", True),
        ("55.3", "60.83", 10, "10.00", True),  # exactly +10 %
        ("55.3", "60.84", 10, "10.02", False),
        ("55.3", "49.77", 10, "-10.00", True),  # exactly -10 %
        ("55.3", "49.76", 10, "-10.02", False),
        ("100.0", "120.00", 20, "20.00", True),  # exactly +20 %
        ("100.0", "120.01", 20, "20.01", False),
        ("100.0", "80.00", 20, "-20.00", True),
        ("100.0", "79.99", 20, "-20.01", False),
        ("100.0", "120.004", 20, "20.00", True),  # verdict on the rounded (shown) deviation
        ("100.0", "120.005", 20, "20.01", False),  # 20.005 -> 20.01 half-up
        ("100.0", "0", 20, "-100.00", False),  # 0 mg given
        ("100.0", "100.0", 0, "0.00", True),
        ("100.0", "100.01", 0, "0.01", False),
        ("553.4", "553.4", Decimal("10.5"), "0.00", True),
    ],
)
def test_administered_dose_is_checked_against_tolerance_when_at_edges(
    planned_mg: str,
    administered_mg: str,
    tolerance_pct: int | Decimal,
    deviation: str,
    within: bool,
) -> None:
    result = check_administered(
        planned=_planned(planned_mg),
        administered_mg=Decimal(administered_mg),
        tolerance_pct=tolerance_pct,
    )

    assert isinstance(result, DoseCheck)
    assert result.deviation_pct == Decimal(deviation)
    assert result.within_tolerance is within
    assert ("within" if within else "outside") in result.reason
    assert "fludarabine day -5" in result.reason


def test_administered_dose_check_uses_protocol_tolerance_when_seed_protocol() -> None:
    regimen = _protocol("nct07246096.yaml").lymphodepletion
    flu = planned_doses(regimen=regimen, height_cm=175, weight_kg=70, crcl_ml_min=NORMAL_CRCL)[0]

    result = check_administered(
        planned=flu, administered_mg=Decimal("61"), tolerance_pct=regimen.dose_tolerance_pct
    )

    assert result.deviation_pct == Decimal("10.31")
    assert result.within_tolerance is False
    assert result.planned_mg == Decimal("55.3")


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"administered_mg": -1}, "administered_mg"),
        ({"administered_mg": "55"}, "administered_mg"),
        ({"administered_mg": float("inf")}, "administered_mg"),
        ({"tolerance_pct": -1}, "tolerance_pct"),
        ({"tolerance_pct": 101}, "tolerance_pct"),
        ({"tolerance_pct": None}, "tolerance_pct"),
        ({"planned": "55.3 mg"}, "planned"),
        ({"planned": _planned("0")}, "planned"),
    ],
)
def test_administered_dose_check_refuses_input_when_invalid(
    kwargs: dict[str, object], argument: str
) -> None:
    arguments: dict[str, object] = {
        "planned": _planned("55.3"),
        "administered_mg": Decimal("55.3"),
        "tolerance_pct": 10,
    }
    arguments.update(kwargs)

    with pytest.raises(ArgumentError) as raised:
        check_administered(**arguments)  # type: ignore[arg-type]

    assert raised.value.argument == argument


@pytest.mark.parametrize(
    ("actual", "planned", "expected"),
    [
        ("100.005", "100", "0.01"),  # half-up
        ("99.995", "100", "-0.01"),  # half-up is symmetric (away from zero)
        ("100.004", "100", "0.00"),
        ("3", "1", "200.00"),
    ],
)
def test_deviation_is_rounded_to_0_01_pct_half_up_when_computed(
    actual: str, planned: str, expected: str
) -> None:
    assert deviation_pct(actual=Decimal(actual), planned=Decimal(planned)) == Decimal(expected)


# --------------------------------------------------------------------------- missing days


@pytest.fixture
def flu_cy_plan() -> list[PlannedDose]:
    return planned_doses(
        regimen=_protocol("ct1192.yaml").lymphodepletion,
        height_cm=175,
        weight_kg=70,
        crcl_ml_min=NORMAL_CRCL,
    )


@pytest.mark.parametrize(
    ("administered_days", "missing"),
    [
        ({"fludarabine": [-5, -4, -3], "cyclophosphamide": [-5, -4, -3]}, []),
        (
            {"fludarabine": [-5, -3], "cyclophosphamide": [-5, -4, -3]},
            [("fludarabine", -4)],
        ),
        (
            {"fludarabine": [-5, -4, -3]},
            [("cyclophosphamide", -5), ("cyclophosphamide", -4), ("cyclophosphamide", -3)],
        ),
        (
            {"fludarabine": [-5], "cyclophosphamide": {-5, -2}},  # -2: unplanned, ignored
            [
                ("fludarabine", -4),
                ("cyclophosphamide", -4),
                ("fludarabine", -3),
                ("cyclophosphamide", -3),
            ],
        ),
        (
            {},
            [
                ("fludarabine", -5),
                ("cyclophosphamide", -5),
                ("fludarabine", -4),
                ("cyclophosphamide", -4),
                ("fludarabine", -3),
                ("cyclophosphamide", -3),
            ],
        ),
    ],
)
def test_missing_days_lists_planned_doses_without_administration_when_days_given(
    flu_cy_plan: list[PlannedDose],
    administered_days: dict[str, list[int]],
    missing: list[tuple[str, int]],
) -> None:
    result = missing_days(planned=flu_cy_plan, administered_days=administered_days)

    assert [(d.drug, d.day) for d in result] == missing


@pytest.mark.parametrize(
    ("planned", "administered_days", "argument"),
    [
        (None, {"bendamustine": [-5]}, "administered_days['bendamustine']"),
        (None, {"fludarabine": "-5"}, "administered_days['fludarabine']"),
        (None, {"fludarabine": [-5.0]}, "administered_days['fludarabine']"),
        (None, {"fludarabine": [True]}, "administered_days['fludarabine']"),
        (None, [("fludarabine", -5)], "administered_days"),
        ("plan", {}, "planned"),
        ([{"drug": "fludarabine", "day": -5}], {}, "planned[0]"),
    ],
)
def test_missing_days_refuse_input_when_invalid(
    flu_cy_plan: list[PlannedDose], planned: object, administered_days: object, argument: str
) -> None:
    with pytest.raises(ArgumentError) as raised:
        missing_days(
            planned=flu_cy_plan if planned is None else planned,  # type: ignore[arg-type]
            administered_days=administered_days,  # type: ignore[arg-type]
        )

    assert raised.value.argument == argument


# --------------------------------------------------------------------------- renal adjustment


@pytest.mark.parametrize("file", SEED_FILES)
@pytest.mark.parametrize(
    ("crcl", "fludarabine_mg", "reduction"),
    [
        (Decimal("70.01"), Decimal("55.3"), Decimal(0)),
        (Decimal("70"), Decimal("44.3"), Decimal(20)),  # 30 x 1.8447 x 0.8 = 44.2728
        (Decimal("30"), Decimal("44.3"), Decimal(20)),
    ],
)
def test_fludarabine_is_reduced_20_percent_at_crcl_30_to_70_when_the_protocol_says_so(
    file: str, crcl: Decimal, fludarabine_mg: Decimal, reduction: Decimal
) -> None:
    """Fludarabine phosphate label, renal impairment (the protocol files' renal_adjustment):
    about 20 % less at creatinine clearance 30-70 mL/min; cyclophosphamide is not adjusted."""
    doses = planned_doses(
        regimen=_protocol(file).lymphodepletion, height_cm=175, weight_kg=70, crcl_ml_min=crcl
    )

    flu = next(d for d in doses if d.drug == "fludarabine")
    cy = next(d for d in doses if d.drug == "cyclophosphamide")
    assert (flu.dose_mg, flu.renal_reduction_pct) == (fludarabine_mg, reduction)
    assert (cy.dose_mg, cy.renal_reduction_pct) == (Decimal("553.4"), Decimal(0))


@pytest.mark.parametrize("file", SEED_FILES)
def test_fludarabine_below_crcl_30_is_not_planned_when_the_protocol_says_not_recommended(
    file: str,
) -> None:
    with pytest.raises(ArgumentError, match=r"^crcl_ml_min: fludarabine is not recommended"):
        planned_doses(
            regimen=_protocol(file).lymphodepletion, height_cm=175, weight_kg=70, crcl_ml_min=29.99
        )


def test_renal_adjustment_needs_the_creatinine_clearance() -> None:
    with pytest.raises(ArgumentError, match=r"^crcl_ml_min: is required"):
        planned_doses(regimen=_protocol("ct1192.yaml").lymphodepletion, height_cm=175, weight_kg=70)


def test_the_renal_adjustment_is_marked_as_an_assumption_in_both_protocol_files() -> None:
    for file in SEED_FILES:
        flu = next(a for a in _protocol(file).lymphodepletion.agents if a.drug == "fludarabine")
        assert flu.renal_adjustment
        assert all(band.assumption for band in flu.renal_adjustment)


@pytest.mark.parametrize("vector", vector_params("fludarabine_renal"))
def test_planned_fludarabine_matches_the_vector(vector: dict[str, Any]) -> None:
    kwargs = dict(vector["kwargs"])
    regimen = _protocol(kwargs.pop("protocol")).lymphodepletion
    doses = resolve(vector["function"])(regimen=regimen, **kwargs)
    flu = next(d for d in doses if d.drug == "fludarabine")
    assert str(flu.dose_mg) == vector["expected"]["fludarabine_mg"]
