"""A new malignancy after CAR-T: which adverse-event term it is reported under, and what a
report must hold.

Every new malignancy after a CAR-T product is a serious adverse event (an important medical
event, ICH E2A), and a T-cell malignancy is the one the FDA asked every CAR-T sponsor to watch
for (the 2024 boxed warning on BCMA- and CD19-directed products: T-cell malignancies, some
CAR-positive, within weeks to years of the infusion). So the type decides the CTCAE "Other"
term and the AESI, and the tumour's CAR transgene result must be recorded once it was tested.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MalignancyType(StrEnum):
    T_CELL_LYMPHOMA = "t_cell_lymphoma"
    T_CELL_LEUKAEMIA = "t_cell_leukaemia"
    B_CELL_LYMPHOMA = "b_cell_lymphoma"
    MYELOID_NEOPLASM = "myeloid_neoplasm"  # MDS, AML
    SOLID_TUMOUR = "solid_tumour"
    SKIN_NON_MELANOMA = "skin_non_melanoma"
    OTHER = "other"


T_CELL_TYPES = frozenset({MalignancyType.T_CELL_LYMPHOMA, MalignancyType.T_CELL_LEUKAEMIA})


class TransgeneResult(StrEnum):
    DETECTED = "detected"
    NOT_DETECTED = "not_detected"
    PENDING = "pending"


class Problem(StrEnum):
    REQUIRED = "required"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class ReportedAs:
    """The adverse event a malignancy opens: its CTCAE term code and AESI code."""

    ctcae_term: str
    aesi: str


def reported_as(kind: MalignancyType) -> ReportedAs:
    """A T-cell malignancy under its own term and AESI, any other under secondary malignancy."""
    code = "t_cell_malignancy" if kind in T_CELL_TYPES else "secondary_malignancy"
    return ReportedAs(ctcae_term=code, aesi=code)


def malignancy_problems(
    kind: MalignancyType,
    *,
    type_detail: str,
    biopsy_done: bool,
    biopsy_result: str,
    transgene_tested: bool,
    transgene_result: str,
) -> dict[str, Problem]:
    """Field name -> what is wrong with it (empty when the report fits): "other" needs its
    name, a biopsy its result, a transgene test its result; an untested tumour has no result."""
    problems: dict[str, Problem] = {}
    if kind is MalignancyType.OTHER and not type_detail.strip():
        problems["type_detail"] = Problem.REQUIRED
    if biopsy_done and not biopsy_result.strip():
        problems["biopsy_result"] = Problem.REQUIRED
    if not biopsy_done and biopsy_result.strip():
        problems["biopsy_result"] = Problem.NOT_APPLICABLE
    if transgene_tested and not transgene_result:
        problems["transgene_result"] = Problem.REQUIRED
    if not transgene_tested and transgene_result:
        problems["transgene_result"] = Problem.NOT_APPLICABLE
    return problems
