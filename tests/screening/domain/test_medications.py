"""Recognising the medications the CRS, ICAHT and infection reviews look for."""

import pytest

from screening.domain.medications import MedicationFlag, medication_flag


@pytest.mark.parametrize(
    ("name", "flag"),
    [
        ("Tocilizumab 8 mg/kg", MedicationFlag.TOCILIZUMAB),
        ("托珠单抗注射液", MedicationFlag.TOCILIZUMAB),
        ("DEXAMETHASONE", MedicationFlag.CORTICOSTEROID),
        ("甲泼尼龙琥珀酸钠", MedicationFlag.CORTICOSTEROID),
        ("Kineret", MedicationFlag.ANAKINRA),
        ("静注人免疫球蛋白(pH4)", MedicationFlag.IVIG),
        ("Pegfilgrastim", MedicationFlag.G_CSF),
        ("Valaciclovir", MedicationFlag.ANTIMICROBIAL_PROPHYLAXIS),
    ],
)
def test_a_listed_drug_is_recognised_by_the_name_as_written(name, flag):
    assert medication_flag(name) is flag


def test_a_drug_is_recognised_by_its_atc_code_whatever_its_name():
    assert medication_flag("IL-6 receptor antibody", "l04ac07") is (MedicationFlag.TOCILIZUMAB)


def test_a_systemic_glucocorticoid_atc_class_is_a_corticosteroid():
    assert medication_flag("Betamethasone", "H02AB01") is MedicationFlag.CORTICOSTEROID


def test_an_unlisted_drug_has_no_flag():
    assert medication_flag("Paracetamol", "N02BE01") is None
