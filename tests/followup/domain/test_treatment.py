"""The treatment on the day of an assessment, from the concomitant-medication rows: the summed
prednisone equivalent of systemic glucocorticoids, and the drug classes the remissions read."""

import datetime as dt
from decimal import Decimal

import pytest

from followup.domain.treatment import DrugClass, Medication, drug_class, treatment_on

DAY = dt.date(2026, 6, 1)


def med(name, *, atc="", route="oral", start=DAY, stop=None, prednisone=None):
    return Medication(
        name, atc, route, start, stop, None if prednisone is None else Decimal(prednisone)
    )


@pytest.mark.parametrize(
    ("name", "atc", "expected"),
    [
        ("Prednisone", "", DrugClass.GLUCOCORTICOID),
        ("甲泼尼龙片", "", DrugClass.GLUCOCORTICOID),
        ("Plaquenil", "", DrugClass.ANTIMALARIAL),
        ("羟氯喹", "", DrugClass.ANTIMALARIAL),
        ("anything", "P01BA02", DrugClass.ANTIMALARIAL),
        ("Mycophenolate mofetil", "", DrugClass.IMMUNOSUPPRESSANT),
        ("他克莫司胶囊", "", DrugClass.IMMUNOSUPPRESSANT),
        ("Benlysta", "L04AA26", DrugClass.BIOLOGIC),
        ("泰它西普", "", DrugClass.BIOLOGIC),
        ("Tocilizumab", "", DrugClass.BIOLOGIC),
        ("Paracetamol", "N02BE01", None),
    ],
)
def test_a_drug_is_classed_by_its_atc_code_or_its_name(name, atc, expected):
    assert drug_class(name, atc) is expected


def test_running_systemic_glucocorticoids_are_summed():
    rows = [
        med("Prednisone", prednisone="5"),
        med("Methylprednisolone", route="intravenous", prednisone="2.5"),
    ]
    assert treatment_on(medications=rows, on=DAY).prednisone_mg_day == Decimal("7.5")


def test_no_glucocorticoid_is_a_dose_of_zero():
    assert treatment_on(medications=[], on=DAY).prednisone_mg_day == 0


def test_a_topical_or_stopped_glucocorticoid_does_not_count():
    rows = [
        med("Hydrocortisone cream", route="topical", prednisone="1"),
        med(
            "Prednisone",
            start=DAY - dt.timedelta(days=30),
            stop=DAY - dt.timedelta(days=1),
            prednisone="10",
        ),
    ]
    assert treatment_on(medications=rows, on=DAY).prednisone_mg_day == 0


def test_a_glucocorticoid_without_an_equivalent_leaves_the_dose_unknown_and_named():
    treatment = treatment_on(
        medications=[med("Dexamethasone"), med("Prednisone", prednisone="5")], on=DAY
    )
    assert (treatment.prednisone_mg_day, treatment.dose_unknown) == (None, ("Dexamethasone",))


def test_the_classes_taken_on_the_day():
    rows = [
        med("Hydroxychloroquine"),
        med("Rituximab", stop=DAY),
        med("Azathioprine", start=DAY + dt.timedelta(days=1)),
    ]
    treatment = treatment_on(medications=rows, on=DAY)
    assert (treatment.on_antimalarial, treatment.on_biologic, treatment.on_immunosuppressant) == (
        True,
        True,
        False,
    )
