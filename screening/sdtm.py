"""SDTM LB and VS from the laboratory panels and the vital-signs CRF.

LB keeps the result as entered (LBORRES, the lab's unit and range) and the standardised SI
value the rules compare (LBSTRESN with LBSTRESU and the SI range), with LBNRIND from the flag
against the lab's own range. Test codes and names are CDISC LBTESTCD/LBTEST and VSTESTCD/VSTEST.
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
from edc.sdtm import contributed_rows, subject_keys, timing
from screening.models import LabResult, VitalSigns

# analyte -> (LBTESTCD, LBTEST, LBCAT)
LAB_TESTS: dict[str, tuple[str, str, str]] = {
    "neutrophils": ("NEUT", "Neutrophils", "HEMATOLOGY"),
    "lymphocytes": ("LYM", "Lymphocytes", "HEMATOLOGY"),
    "wbc": ("WBC", "Leukocytes", "HEMATOLOGY"),
    "platelets": ("PLAT", "Platelets", "HEMATOLOGY"),
    "hemoglobin": ("HGB", "Hemoglobin", "HEMATOLOGY"),
    "alt": ("ALT", "Alanine Aminotransferase", "CHEMISTRY"),
    "ast": ("AST", "Aspartate Aminotransferase", "CHEMISTRY"),
    "bilirubin": ("BILI", "Bilirubin", "CHEMISTRY"),
    "creatinine": ("CREAT", "Creatinine", "CHEMISTRY"),
    "inr": ("INR", "Prothrombin Intl. Normalized Ratio", "COAGULATION"),
    "pt": ("PT", "Prothrombin Time", "COAGULATION"),
    "aptt": ("APTT", "Activated Partial Thromboplastin Time", "COAGULATION"),
    "crp": ("CRP", "C Reactive Protein", "CHEMISTRY"),
    "esr": ("ESR", "Erythrocyte Sedimentation Rate", "HEMATOLOGY"),
    "igg": ("IGG", "Immunoglobulin G", "IMMUNOLOGY"),
    "iga": ("IGA", "Immunoglobulin A", "IMMUNOLOGY"),
    "igm": ("IGM", "Immunoglobulin M", "IMMUNOLOGY"),
    "c3": ("C3", "Complement C3", "IMMUNOLOGY"),
    "c4": ("C4", "Complement C4", "IMMUNOLOGY"),
}


def _text(value: Decimal | None) -> str:
    """A stored decimal as written (48.5000 -> 48.5), the way --ORRES keeps a result."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


def _results(domain: str) -> tuple[Variable, ...]:
    """--ORRES/--ORRESU as entered and --STRESC/--STRESN/--STRESU standardised."""
    return (
        Variable(f"{domain}ORRES", "Result or Finding in Original Units"),
        Variable(f"{domain}ORRESU", "Original Units", codelist="UNIT"),
        Variable(
            f"{domain}STRESC", "Character Result/Finding in Std Format", origin=Origin.DERIVED
        ),
        Variable(
            f"{domain}STRESN",
            "Numeric Result/Finding in Standard Units",
            DataType.FLOAT,
            Origin.DERIVED,
        ),
        Variable(f"{domain}STRESU", "Standard Units", origin=Origin.DERIVED, codelist="UNIT"),
    )


LB_SPEC = DatasetSpec(
    name="LB",
    label="Laboratory Test Results",
    structure="One record per lab test per time point per visit per subject",
    dataset_class="FINDINGS",
    variables=(
        *identifiers("LB"),
        Variable("LBTESTCD", "Lab Test or Examination Short Name", key=True, codelist="LBTESTCD"),
        Variable("LBTEST", "Lab Test or Examination Name", codelist="LBTEST"),
        Variable("LBCAT", "Category for Lab Test", origin=Origin.ASSIGNED),
        *_results("LB"),
        Variable("LBORNRLO", "Reference Range Lower Limit in Orig Unit"),
        Variable("LBORNRHI", "Reference Range Upper Limit in Orig Unit"),
        Variable(
            "LBSTNRLO", "Reference Range Lower Limit-Std Units", DataType.FLOAT, Origin.DERIVED
        ),
        Variable(
            "LBSTNRHI", "Reference Range Upper Limit-Std Units", DataType.FLOAT, Origin.DERIVED
        ),
        Variable("LBNRIND", "Reference Range Indicator", origin=Origin.DERIVED, codelist="NRIND"),
        VISIT,
        *timing_variables(
            "LB", "Date/Time of Specimen Collection", "Study Day of Specimen Collection"
        ),
    ),
)


def lb_dataset(study: Study) -> Dataset:
    results = LabResult.objects.filter(
        subject__study=study, subject__subject_identifier__isnull=False
    ).select_related("subject__study", "panel")
    rows: list[Row] = []
    for result in results:
        testcd, test, category = LAB_TESTS[result.analyte]
        rows.append(
            {
                **subject_keys(result.subject, "LB"),
                "LBTESTCD": testcd,
                "LBTEST": test,
                "LBCAT": category,
                "LBORRES": _text(result.value),
                "LBORRESU": result.unit,
                "LBSTRESC": _text(result.value_si),
                "LBSTRESN": result.value_si,
                "LBSTRESU": result.si_unit,
                "LBORNRLO": _text(result.lln),
                "LBORNRHI": _text(result.uln),
                "LBSTNRLO": result.lln_si,
                "LBSTNRHI": result.uln_si,
                "LBNRIND": result.flag.upper(),
                "VISIT": result.panel.visit_code,
                **timing(result.subject, "LB", result.collected_on),
            }
        )
    rows += contributed_rows("LB", study)  # B cells and immunoglobulins from follow-up
    return Dataset(LB_SPEC, assign_seq(rows, "LBSEQ", order=lambda r: (r["LBDTC"], r["LBTESTCD"])))


# VitalSigns field -> (VSTESTCD, VSTEST, unit in CDISC UNIT terms)
VITAL_SIGNS: dict[str, tuple[str, str, str]] = {
    "height_cm": ("HEIGHT", "Height", "cm"),
    "weight_kg": ("WEIGHT", "Weight", "kg"),
    "bsa_m2": ("BSA", "Body Surface Area", "m2"),
    "systolic_bp_mmhg": ("SYSBP", "Systolic Blood Pressure", "mmHg"),
    "diastolic_bp_mmhg": ("DIABP", "Diastolic Blood Pressure", "mmHg"),
    "heart_rate_bpm": ("PULSE", "Pulse Rate", "beats/min"),
    "temperature_c": ("TEMP", "Temperature", "C"),
    "spo2_room_air_pct": ("OXYSAT", "Oxygen Saturation", "%"),
}

VS_SPEC = DatasetSpec(
    name="VS",
    label="Vital Signs",
    structure="One record per vital sign measurement per time point per visit per subject",
    dataset_class="FINDINGS",
    variables=(
        *identifiers("VS"),
        Variable("VSTESTCD", "Vital Signs Test Short Name", key=True, codelist="VSTESTCD"),
        Variable("VSTEST", "Vital Signs Test Name", codelist="VSTEST"),
        *_results("VS"),
        VISIT,
        *timing_variables("VS", "Date/Time of Measurements", "Study Day of Vital Signs"),
    ),
)


def vs_dataset(study: Study) -> Dataset:
    records = VitalSigns.objects.filter(
        subject__study=study, subject__subject_identifier__isnull=False
    ).select_related("subject__study")
    rows: list[Row] = []
    for record in records:
        for field, (testcd, test, unit) in VITAL_SIGNS.items():
            value = getattr(record, field)
            if value is None:
                continue
            rows.append(
                {
                    **subject_keys(record.subject, "VS"),
                    "VSTESTCD": testcd,
                    "VSTEST": test,
                    "VSORRES": _text(Decimal(value)),
                    "VSORRESU": unit,
                    "VSSTRESC": _text(Decimal(value)),
                    "VSSTRESN": value,
                    "VSSTRESU": unit,
                    "VISIT": record.visit_code,
                    **timing(record.subject, "VS", record.measured_on),
                }
            )
    return Dataset(VS_SPEC, assign_seq(rows, "VSSEQ", order=lambda r: (r["VSDTC"], r["VSTESTCD"])))
