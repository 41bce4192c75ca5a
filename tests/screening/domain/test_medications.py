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


@pytest.mark.parametrize(
    "name",
    [
        "Hepatitis B immunoglobulin",
        "Rabies immunoglobulin (human)",
        "Anti-thymocyte immunoglobulin (rabbit)",
        "乙型肝炎人免疫球蛋白",
        "破伤风人免疫球蛋白",
    ],
)
def test_a_hyperimmune_or_anti_thymocyte_immunoglobulin_is_not_ivig(name):
    """WHO ATC: normal human immunoglobulin is J06BA; specific immunoglobulins are J06BB and
    anti-thymocyte globulin L04AA04, none of which replaces IgG as IVIG does."""
    assert medication_flag(name) is None


def test_a_latin_name_is_found_only_as_a_whole_word():
    assert medication_flag("Ivigen-like placebo") is None
    assert medication_flag("IVIG 0.4 g/kg") is MedicationFlag.IVIG


def test_a_chinese_name_is_found_inside_the_written_name():
    assert medication_flag("注射用甲泼尼龙琥珀酸钠") is MedicationFlag.CORTICOSTEROID
