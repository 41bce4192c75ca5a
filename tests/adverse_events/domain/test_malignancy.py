"""Which term and AESI a new malignancy is reported under, and what a report must hold."""

from adverse_events.domain.malignancy import (
    MalignancyType,
    Problem,
    malignancy_problems,
    reported_as,
)

COMPLETE = {
    "type_detail": "",
    "biopsy_done": False,
    "biopsy_result": "",
    "transgene_tested": False,
    "transgene_result": "",
}


def test_a_t_cell_leukaemia_is_a_t_cell_malignancy():
    assert reported_as(MalignancyType.T_CELL_LEUKAEMIA).aesi == "t_cell_malignancy"


def test_a_solid_tumour_is_a_secondary_malignancy():
    assert reported_as(MalignancyType.SOLID_TUMOUR).ctcae_term == "secondary_malignancy"


def test_an_other_malignancy_needs_its_name():
    problems = malignancy_problems(MalignancyType.OTHER, **COMPLETE)
    assert problems == {"type_detail": Problem.REQUIRED}


def test_a_biopsy_result_without_a_biopsy_is_not_applicable():
    given = {**COMPLETE, "biopsy_result": "benign"}
    problems = malignancy_problems(MalignancyType.SOLID_TUMOUR, **given)
    assert problems == {"biopsy_result": Problem.NOT_APPLICABLE}


def test_a_complete_report_has_no_problem():
    given = {**COMPLETE, "transgene_tested": True, "transgene_result": "pending"}
    assert malignancy_problems(MalignancyType.T_CELL_LYMPHOMA, **given) == {}
