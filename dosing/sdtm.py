"""SDTM DM and EX from the subject, the screening demographics and the dosing records.

DM lives here, not in the core: its arm is the dose level assigned at enrolment, RFSTDTC the
infusion, and RACE/ETHNIC come from the screening demographics CRF, all apps the core cannot
import. EX holds the lymphodepletion agents in mg/m² (the administered mg over the course's
BSA) and the CAR-T product in CAR+ cells/kg, the units the protocol doses in.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dosing.models import Infusion, LymphodepletionDose
from edc.domain.sdtm import DOMAIN as DOMAIN_VARIABLE
from edc.domain.sdtm import (
    STUDYID,
    USUBJID,
    VISIT,
    Dataset,
    DatasetSpec,
    DataType,
    Origin,
    Qualifier,
    Variable,
    assign_seq,
    controlled,
    country_code,
    dtc,
    identifiers,
    planned_arm,
    sex_code,
    split_supplemental,
    subjid,
    supp_spec,
    timing_variables,
)
from edc.models import Study
from edc.sdtm import enrolled_subjects, reference_start, studyid, subject_keys, timing

DM_SPEC = DatasetSpec(
    name="DM",
    label="Demographics",
    variables=(
        STUDYID,
        DOMAIN_VARIABLE,
        USUBJID,
        Variable("SUBJID", "Subject Identifier for the Study"),
        Variable("RFSTDTC", "Subject Reference Start Date/Time", origin=Origin.DERIVED),
        Variable("RFXSTDTC", "Date/Time of First Study Treatment", origin=Origin.DERIVED),
        Variable("RFXENDTC", "Date/Time of Last Study Treatment", origin=Origin.DERIVED),
        Variable("RFICDTC", "Date/Time of Informed Consent"),
        Variable("SITEID", "Study Site Identifier"),
        Variable("AGE", "Age", DataType.INTEGER, Origin.DERIVED),
        Variable("AGEU", "Age Units", origin=Origin.ASSIGNED, codelist="AGEU"),
        Variable("SEX", "Sex", codelist="SEX"),
        Variable("RACE", "Race", codelist="RACE"),
        Variable("ETHNIC", "Ethnicity", codelist="ETHNIC"),
        Variable("ARMCD", "Planned Arm Code", origin=Origin.ASSIGNED),
        Variable("ARM", "Description of Planned Arm", origin=Origin.ASSIGNED),
        Variable("ACTARMCD", "Actual Arm Code", origin=Origin.DERIVED),
        Variable("ACTARM", "Description of Actual Arm", origin=Origin.DERIVED),
        Variable("ARMNRS", "Reason Arm and/or Actual Arm is Null", origin=Origin.DERIVED),
        Variable("COUNTRY", "Country", origin=Origin.DERIVED, codelist="COUNTRY"),
    ),
)


def _arm_null_reason(assigned: bool, treated: bool) -> str:
    if not assigned:
        return "NOT ASSIGNED"
    return "" if treated else "ASSIGNED, NOT TREATED"


# The stratum (the disease cohort the subject was enrolled in) has no DM variable of its own.
DM_QUALIFIERS = (Qualifier("STRATUM", "Stratum", Origin.ASSIGNED),)


def dm_dataset(study: Study) -> Dataset:
    """One record per enrolled subject; no initials, names or date of birth (AGE instead)."""
    parents, _ = split_supplemental("DM", _dm_records(study), DM_QUALIFIERS)
    return Dataset(DM_SPEC, parents)


def suppdm_dataset(study: Study) -> Dataset:
    _, supplemental = split_supplemental("DM", _dm_records(study), DM_QUALIFIERS)
    return Dataset(supp_spec("DM"), supplemental)


def _dm_records(study: Study) -> list[dict]:
    subjects = (
        enrolled_subjects(study)
        .select_related("dose_assignment")
        .prefetch_related(
            "screening_demographics_set", "dosing_infusion_set", "dosing_lymphodepletioncourse_set"
        )
    )
    code = studyid(study)
    rows = []
    for subject in subjects:
        demographics = next(iter(subject.screening_demographics_set.all()), None)
        infusion = next(iter(subject.dosing_infusion_set.all()), None)
        courses = list(subject.dosing_lymphodepletioncourse_set.all())
        assignment = getattr(subject, "dose_assignment", None)
        armcd, arm = planned_arm(assignment.dose_level if assignment else None)
        actarmcd, actarm = planned_arm(infusion.dose_level if infusion else None)
        # Study treatment is the lymphodepletion as well as the CAR-T product.
        ld_days = [
            dose.administered_on
            for course in courses
            for dose in course.doses.all()
            if dose.administered_mg is not None  # a planned day not given is no exposure
        ]
        first_treatment = min(ld_days, default=infusion.infused_on if infusion else None)
        last_treatment = _infusion_end(infusion) if infusion else max(ld_days, default=None)
        rows.append(
            {
                **subject_keys(subject, "DM"),
                "SUBJID": subjid(subject.subject_identifier or "", code),
                "RFSTDTC": dtc(reference_start(subject)),
                "RFXSTDTC": dtc(first_treatment),
                "RFXENDTC": dtc(last_treatment),
                "RFICDTC": dtc(subject.consent_date),
                "SITEID": subject.study_site.site_number,
                "AGE": demographics.age_at_consent_years if demographics else None,
                "AGEU": "YEARS" if demographics else "",
                "SEX": sex_code(subject.sex),
                "RACE": controlled(demographics.race) if demographics else "",
                "ETHNIC": controlled(demographics.ethnicity) if demographics else "",
                "ARMCD": armcd,
                "ARM": arm,
                "ACTARMCD": actarmcd,
                "ACTARM": actarm,
                "ARMNRS": _arm_null_reason(assignment is not None, infusion is not None),
                "COUNTRY": country_code(subject.study_site.site.country),
                "STRATUM": subject.stratum.code.upper(),
            }
        )
    return rows


def _infusion_start(infusion: Infusion) -> dt.datetime:
    return dt.datetime.combine(infusion.infused_on, infusion.started_at)


def _infusion_end(infusion: Infusion) -> dt.datetime:
    # An infusion that runs past midnight ends on the next day.
    end = dt.datetime.combine(infusion.infused_on, infusion.ended_at)
    return end if end >= _infusion_start(infusion) else end + dt.timedelta(days=1)


EX_SPEC = DatasetSpec(
    name="EX",
    label="Exposure",
    structure="One record per constant dosing interval per subject",
    dataset_class="INTERVENTIONS",
    variables=(
        *identifiers("EX"),
        Variable("EXTRT", "Name of Treatment", key=True),
        Variable("EXCAT", "Category of Treatment", origin=Origin.ASSIGNED),
        Variable("EXDOSE", "Dose", DataType.FLOAT, Origin.DERIVED),
        Variable("EXDOSU", "Dose Units", origin=Origin.ASSIGNED, codelist="UNIT"),
        Variable("EXDOSFRM", "Dose Form", origin=Origin.ASSIGNED, codelist="FRM"),
        Variable("EXROUTE", "Route of Administration", origin=Origin.ASSIGNED, codelist="ROUTE"),
        Variable("EXLOT", "Lot Number"),
        VISIT,
        *timing_variables(
            "EXST", "Start Date/Time of Treatment", "Study Day of Start of Treatment"
        ),
        *timing_variables("EXEN", "End Date/Time of Treatment", "Study Day of End of Treatment"),
    ),
)


def _per_m2(dose: LymphodepletionDose) -> Decimal:
    return (dose.administered_mg / dose.course.bsa_m2).quantize(Decimal("0.01"))


def ex_dataset(study: Study) -> Dataset:
    rows = []
    doses = LymphodepletionDose.objects.filter(
        course__subject__study=study,
        course__subject__subject_identifier__isnull=False,
        administered_mg__isnull=False,
    ).select_related("course__subject__study")
    for dose in doses:
        subject = dose.course.subject
        rows.append(
            {
                **subject_keys(subject, "EX"),
                "EXTRT": dose.drug.upper(),
                "EXCAT": "LYMPHODEPLETION",
                "EXDOSE": _per_m2(dose),
                "EXDOSU": "mg/m2",
                "EXDOSFRM": "INJECTION",
                "EXROUTE": "INTRAVENOUS",
                "EXLOT": "",
                "VISIT": dose.course.visit_code,
                **timing(subject, "EXST", dose.administered_on),
                **timing(subject, "EXEN", dose.administered_on),
            }
        )
    infusions = Infusion.objects.filter(
        subject__study=study, subject__subject_identifier__isnull=False
    ).select_related("subject__study")
    for infusion in infusions:
        subject = infusion.subject
        rows.append(
            {
                **subject_keys(subject, "EX"),
                "EXTRT": study.product.upper(),
                "EXCAT": "CAR-T CELL THERAPY",
                "EXDOSE": infusion.cells_per_kg,
                "EXDOSU": "cells/kg",
                "EXDOSFRM": "SUSPENSION",
                "EXROUTE": "INTRAVENOUS",
                "EXLOT": infusion.product_lot,
                "VISIT": infusion.visit_code,
                **timing(subject, "EXST", _infusion_start(infusion)),
                **timing(subject, "EXEN", _infusion_end(infusion)),
            }
        )
    return Dataset(
        EX_SPEC, assign_seq(rows, "EXSEQ", order=lambda row: (row["EXSTDTC"], row["EXTRT"]))
    )
