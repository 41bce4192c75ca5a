"""SDTM PC from the CAR-T cellular-kinetics samples, and LB records for the B-cell counts and
immunoglobulins of follow-up.

PC rather than a custom domain (repeated as a Define-XML comment): the CAR transgene copies in
blood (qPCR, copies/ug DNA) and the CAR+ cells (flow cytometry, cells/uL) are the product's
concentration over time, which is what PC holds and what the NCA (Cmax, Tmax, AUC) reads; PCSPEC
is BLOOD, PCMETHOD says which assay, PCTPT is the CRF's time point. Below the LLOQ (SDTMIG 3.4):
PCORRES and PCSTRESC are BLQ and PCSTRESN is blank. PCLLOQ stays blank because the CRF records a
result below the LLOQ by its flag, not the assay's LLOQ number; a study that knows it adds it to
the protocol file.

B-cell counts and immunoglobulins are laboratory tests, so they are LB records, given to the LB
mapper (screening) through the registry rather than a second LB dataset: one LB per study, one
LBSEQ numbering.
"""

from __future__ import annotations

from decimal import Decimal

from edc.domain.sdtm import (
    VISIT,
    Dataset,
    DatasetSpec,
    DataType,
    Origin,
    Row,
    Variable,
    assign_seq,
    identifiers,
    timing_variables,
)
from edc.models import Study
from edc.sdtm import subject_keys, timing
from followup.models import BCellCount, CarTKinetics, Immunoglobulins

BLQ = "BLQ"

PC_SPEC = DatasetSpec(
    name="PC",
    label="Pharmacokinetics Concentrations",
    structure="One record per sample characteristic or time-point concentration per reference "
    "time point or per analyte per subject",
    dataset_class="FINDINGS",
    variables=(
        *identifiers("PC"),
        Variable("PCTESTCD", "Pharmacokinetic Test Short Name", key=True),
        Variable("PCTEST", "Pharmacokinetic Test Name"),
        Variable("PCCAT", "Test Category", origin=Origin.ASSIGNED),
        Variable("PCORRES", "Result or Finding in Original Units"),
        Variable("PCORRESU", "Original Units", codelist="UNIT"),
        Variable("PCSTRESC", "Character Result/Finding in Std Format", origin=Origin.DERIVED),
        Variable(
            "PCSTRESN", "Numeric Result/Finding in Standard Units", DataType.FLOAT, Origin.DERIVED
        ),
        Variable("PCSTRESU", "Standard Units", origin=Origin.DERIVED, codelist="UNIT"),
        Variable("PCSPEC", "Specimen Material Type", origin=Origin.ASSIGNED, codelist="SPECTYPE"),
        Variable("PCMETHOD", "Method of Test or Examination", origin=Origin.ASSIGNED),
        Variable(
            "PCLLOQ",
            "Lower Limit of Quantitation",
            DataType.FLOAT,
            Origin.ASSIGNED,
            comment="Blank: the CRF records a result below the LLOQ by a flag, not the assay's "
            "LLOQ; such results are PCORRES/PCSTRESC BLQ with PCSTRESN blank.",
        ),
        VISIT,
        Variable("PCTPT", "Planned Time Point Name", origin=Origin.ASSIGNED),
        *timing_variables(
            "PC", "Date/Time of Specimen Collection", "Actual Study Day of Specimen Collection"
        ),
    ),
    comment="CAR-T cellular kinetics as PC, not a custom domain: transgene copies (qPCR) and "
    "CAR+ cells (flow cytometry) in blood over time are the product's concentration, which "
    "the NCA reads. Results below the LLOQ are BLQ (SDTMIG 3.4).",
)

# CarTKinetics value field -> (BLQ flag, PCTESTCD, PCTEST, unit, PCMETHOD)
ANALYTES = (
    ("transgene_copies_per_ug_dna", "transgene_below_lloq", "CARTRNSG",
     "CAR Transgene Copies", "copies/ug DNA", "QUANTITATIVE POLYMERASE CHAIN REACTION"),
    ("car_cells_per_ul", "car_cells_below_lloq", "CARTCELL", "CAR+ T Cells", "cells/uL",
     "FLOW CYTOMETRY"),
)  # fmt: skip
TIME_POINTS = {
    CarTKinetics.TimePoint.PRE_INFUSION: "PRE-INFUSION",
    CarTKinetics.TimePoint.END_OF_INFUSION: "END OF INFUSION",
    CarTKinetics.TimePoint.HOURS_AFTER: "HOURS AFTER INFUSION",
    CarTKinetics.TimePoint.VISIT: "VISIT SAMPLE",
    CarTKinetics.TimePoint.UNSCHEDULED: "UNSCHEDULED",
}


def _text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def result(value: Decimal | None, below_lloq: bool) -> tuple[str, Decimal | None]:
    """--ORRES/--STRESC text and --STRESN of a result that may be below the LLOQ (BLQ, no
    number), or not done (blank)."""
    if below_lloq:
        return BLQ, None
    if value is None:
        return "", None
    return _text(value), value


def pc_dataset(study: Study) -> Dataset:
    samples = CarTKinetics.objects.filter(
        subject__study=study, subject__subject_identifier__isnull=False
    ).select_related("subject__study", "subject__study_site__site")
    rows: list[Row] = []
    for sample in samples:
        for field, flag, testcd, test, unit, method in ANALYTES:
            text, number = result(getattr(sample, field), getattr(sample, flag))
            if not text:
                continue
            rows.append(
                {
                    **subject_keys(sample.subject, "PC"),
                    "PCTESTCD": testcd,
                    "PCTEST": test,
                    "PCCAT": "CELLULAR KINETICS",
                    "PCORRES": text,
                    "PCORRESU": unit,
                    "PCSTRESC": text,
                    "PCSTRESN": number,
                    "PCSTRESU": unit,
                    "PCSPEC": "BLOOD",
                    "PCMETHOD": method,
                    "PCLLOQ": None,
                    "VISIT": sample.visit_code,
                    "PCTPT": TIME_POINTS[CarTKinetics.TimePoint(sample.time_point)],
                    **timing(sample.subject, "PC", sample.sampled_at),
                }
            )
    return Dataset(
        PC_SPEC, assign_seq(rows, "PCSEQ", order=lambda row: (row["PCDTC"], row["PCTESTCD"]))
    )


def _lb_row(record, testcd: str, test: str, unit: str, text: str, number, when) -> Row:
    return {
        **subject_keys(record.subject, "LB"),
        "LBTESTCD": testcd,
        "LBTEST": test,
        "LBCAT": "IMMUNOLOGY",
        "LBORRES": text,
        "LBORRESU": unit,
        "LBSTRESC": text,
        "LBSTRESN": number,
        "LBSTRESU": unit,
        "LBNRIND": "",
        "VISIT": record.visit_code,
        **timing(record.subject, "LB", when),
    }


IMMUNOGLOBULINS = (
    ("igg_g_per_l", "IGG", "Immunoglobulin G"),
    ("iga_g_per_l", "IGA", "Immunoglobulin A"),
    ("igm_g_per_l", "IGM", "Immunoglobulin M"),
)


def immune_reconstitution_lb_rows(study: Study) -> list[Row]:
    """LB records (without LBSEQ) of the B-cell counts and immunoglobulins."""
    related = ("subject__study", "subject__study_site__site")
    rows: list[Row] = []
    for count in BCellCount.objects.filter(
        subject__study=study, subject__subject_identifier__isnull=False
    ).select_related(*related):
        text, number = result(count.cd19_cells_per_ul, count.cd19_below_lloq)
        if text:
            rows.append(
                _lb_row(count, "CD19", "CD19+ B Cells", "cells/uL", text, number, count.sampled_at)
            )
    for panel in Immunoglobulins.objects.filter(
        subject__study=study, subject__subject_identifier__isnull=False
    ).select_related(*related):
        for field, testcd, test in IMMUNOGLOBULINS:
            value = getattr(panel, field)
            if value is not None:
                rows.append(
                    _lb_row(panel, testcd, test, "g/L", _text(value), value, panel.sampled_on)
                )
    return rows
