"""SDTM IE, MH and CM from the eligibility decision and the history and medication CRFs.

IE holds only the criteria a subject did NOT meet (SDTMIG 3.4: an inclusion not met, IEORRES N;
an exclusion that applies, IEORRES Y), from the enrolment decision as it was recorded, so an
enrolled subject with no exception has no IE record. IETESTCD and IETEST are TI's
(edc.domain.trial_design.criterion_code), so IE joins TI.

MH has the disease under study (MHCAT PRIMARY DIAGNOSIS, MHSTDTC its diagnosis date; the CRF
asks for the 15th when only the month is known, so the date is kept as collected) and one
record per line of the "other clinically significant history" free text (MHCAT GENERAL), and
the participation in another trial. MHDECOD stays blank: no MedDRA coding is licensed here.

CM has the concomitant medications (CMCAT CONCOMITANT) and the prior treatments of the disease
(CMCAT PRIOR THERAPY, CMSCAT the drug class), as the eligibility rules read them. CMDECOD stays
blank (no WHODrug dictionary); the ATC code the site gave, when it did, is CMCLASCD.
"""

from __future__ import annotations

from edc.domain.protocol import Criterion
from edc.domain.sdtm import (
    VISIT,
    Dataset,
    DatasetSpec,
    DataType,
    Origin,
    Row,
    Variable,
    assign_seq,
    controlled,
    dtc,
    identifiers,
    timing_variables,
)
from edc.domain.trial_design import criterion_code, shorten
from edc.models import Study
from edc.sdtm import subject_keys, timing
from edc.selectors import protocol_definition
from screening.models import (
    ConcomitantMedication,
    EligibilityDecision,
    MedicalHistory,
    PriorTherapy,
)

IE_SPEC = DatasetSpec(
    name="IE",
    label="Inclusion/Exclusion Criteria Not Met",
    structure="One record per inclusion/exclusion criterion not met per subject",
    dataset_class="FINDINGS",
    variables=(
        *identifiers("IE"),
        Variable("IETESTCD", "Incl/Excl Criterion Short Name", key=True),
        Variable("IETEST", "Inclusion/Exclusion Criterion", free_text=True),
        Variable("IECAT", "Inclusion/Exclusion Category", codelist="IECAT"),
        Variable("IEORRES", "I/E Criterion Original Result", codelist="NY"),
        Variable("IESTRESC", "I/E Criterion Result in Std Format", origin=Origin.DERIVED),
        VISIT,
        *timing_variables("IE", "Date/Time of Collection", "Study Day of Collection"),
    ),
    comment="Only criteria not met at the enrolment decision (an inclusion answered N, an "
    "exclusion answered Y); IETESTCD and IETEST as in TI.",
)


def _not_met(criterion: Criterion) -> str:
    """IEORRES of a criterion not met: an inclusion is N, an exclusion that applies is Y."""
    return "N" if criterion.kind == "inclusion" else "Y"


def ie_dataset(study: Study) -> Dataset:
    criteria = {c.id: c for c in protocol_definition(study).eligibility}
    decisions = (
        EligibilityDecision.objects.filter(
            subject__study=study,
            subject__subject_identifier__isnull=False,
            outcome=EligibilityDecision.Outcome.ENROLLED,
        )
        .select_related("subject__study", "subject__study_site__site")
        .order_by("subject", "decided_at")
    )
    latest = {decision.subject_id: decision for decision in decisions}
    rows: list[Row] = []
    for decision in latest.values():
        for criterion_id in decision.failed_criteria:
            criterion = criteria[criterion_id]
            result = _not_met(criterion)
            rows.append(
                {
                    **subject_keys(decision.subject, "IE"),
                    "IETESTCD": criterion_code(criterion),
                    "IETEST": shorten(criterion.text),
                    "IECAT": criterion.kind.upper(),
                    "IEORRES": result,
                    "IESTRESC": result,
                    "VISIT": "SCR",
                    **timing(decision.subject, "IE", decision.decided_at),
                }
            )
    return Dataset(IE_SPEC, assign_seq(rows, "IESEQ", order=lambda row: row["IETESTCD"]))


MH_SPEC = DatasetSpec(
    name="MH",
    label="Medical History",
    structure="One record per medical history event per subject",
    dataset_class="EVENTS",
    variables=(
        *identifiers("MH"),
        Variable("MHTERM", "Reported Term for the Medical History", free_text=True),
        Variable(
            "MHDECOD",
            "Dictionary-Derived Term",
            origin=Origin.DERIVED,
            comment="Blank: no MedDRA coding in this EDC.",
        ),
        Variable("MHCAT", "Category for Medical History", origin=Origin.ASSIGNED),
        VISIT,
        *timing_variables(
            "MHST",
            "Start Date/Time of Medical History Event",
            "Study Day of Start of Observation",
        ),
        Variable("MHENDTC", "End Date/Time of Medical History Event"),
    ),
    comment="The disease under study (MHCAT PRIMARY DIAGNOSIS), treatment in another trial "
    "(MHCAT PRIOR CLINICAL TRIAL) and one record per line of the other significant history "
    "(MHCAT GENERAL).",
)
OTHER_TRIAL = "TREATMENT IN ANOTHER CLINICAL TRIAL"


def _history_lines(text: str) -> list[str]:
    return [shorten(line) for line in text.splitlines() if line.strip()]


def mh_dataset(study: Study) -> Dataset:
    histories = MedicalHistory.objects.filter(
        subject__study=study, subject__subject_identifier__isnull=False
    ).select_related("subject__study", "subject__stratum", "subject__study_site__site")
    strata = {s.code: s.name for s in protocol_definition(study).strata}
    rows: list[Row] = []
    for history in histories:
        subject = history.subject
        base = {**subject_keys(subject, "MH"), "MHDECOD": "", "VISIT": history.visit_code}
        rows.append(
            {
                **base,
                "MHTERM": strata[subject.stratum.code].upper(),
                "MHCAT": "PRIMARY DIAGNOSIS",
                **timing(subject, "MHST", history.diagnosis_date),
                "MHENDTC": "",
            }
        )
        if history.other_trial_treatment:
            rows.append(
                {
                    **base,
                    "MHTERM": OTHER_TRIAL,
                    "MHCAT": "PRIOR CLINICAL TRIAL",
                    **timing(subject, "MHST", None),
                    "MHENDTC": dtc(history.other_trial_last_dose_on),
                }
            )
        for line in _history_lines(history.relevant_history):
            rows.append(
                {
                    **base,
                    "MHTERM": line,
                    "MHCAT": "GENERAL",
                    **timing(subject, "MHST", None),
                    "MHENDTC": "",
                }
            )
    return Dataset(MH_SPEC, assign_seq(rows, "MHSEQ"))


CM_SPEC = DatasetSpec(
    name="CM",
    label="Concomitant/Prior Medications",
    structure="One record per recorded intervention occurrence or constant-dosing interval per "
    "subject",
    dataset_class="INTERVENTIONS",
    variables=(
        *identifiers("CM"),
        Variable("CMTRT", "Reported Name of Drug, Med, or Therapy", free_text=True),
        Variable(
            "CMDECOD",
            "Standardized Medication Name",
            origin=Origin.DERIVED,
            comment="Blank: no WHODrug dictionary in this EDC.",
        ),
        Variable("CMCAT", "Category for Medication", origin=Origin.ASSIGNED),
        Variable("CMSCAT", "Subcategory for Medication", origin=Origin.ASSIGNED),
        Variable("CMCLASCD", "Medication Class Code"),
        Variable("CMINDC", "Indication", free_text=True),
        Variable("CMDOSE", "Dose per Administration", DataType.FLOAT),
        Variable("CMDOSU", "Dose Units", codelist="UNIT"),
        Variable("CMROUTE", "Route of Administration", codelist="ROUTE"),
        VISIT,
        *timing_variables(
            "CMST", "Start Date/Time of Medication", "Study Day of Start of Medication"
        ),
        *timing_variables("CMEN", "End Date/Time of Medication", "Study Day of End of Medication"),
        Variable(
            "CMENRF", "End Relative to Reference Period", origin=Origin.DERIVED, codelist="STENRF"
        ),
    ),
    comment="Concomitant medications (CMCAT CONCOMITANT) and prior treatments of the disease "
    "under study (CMCAT PRIOR THERAPY, CMSCAT the drug class). CMDECOD is blank (no WHODrug); "
    "CMCLASCD is the ATC code as the site gave it.",
)
ROUTES = {  # CDISC ROUTE (C66729)
    "oral": "ORAL", "intravenous": "INTRAVENOUS", "subcutaneous": "SUBCUTANEOUS",
    "intramuscular": "INTRAMUSCULAR", "inhaled": "RESPIRATORY (INHALATION)",
    "topical": "TOPICAL", "other": "",
}  # fmt: skip
# CRF units as CDISC UNIT terms (µg is ug there); per-day and per-week units are the dose
# over that period.
UNITS = {"µg": "ug", "mg/day": "mg/day", "mg/week": "mg/wk"}


def _unit(unit: str) -> str:
    return UNITS.get(unit, unit)


def cm_dataset(study: Study) -> Dataset:
    rows: list[Row] = []
    related = ("subject__study", "subject__stratum", "subject__study_site__site")
    strata = {s.code: s.name for s in protocol_definition(study).strata}
    for medication in ConcomitantMedication.objects.filter(
        subject__study=study, subject__subject_identifier__isnull=False
    ).select_related(*related):
        subject = medication.subject
        rows.append(
            {
                **subject_keys(subject, "CM"),
                "CMTRT": medication.drug_name,
                "CMDECOD": "",
                "CMCAT": "CONCOMITANT",
                "CMSCAT": "",
                "CMCLASCD": medication.atc_code,
                "CMINDC": medication.indication,
                "CMDOSE": medication.dose,
                "CMDOSU": _unit(medication.dose_unit),
                "CMROUTE": ROUTES[medication.route],
                "VISIT": medication.visit_code,
                **timing(subject, "CMST", medication.start_date),
                **timing(subject, "CMEN", medication.stop_date),
                "CMENRF": "" if medication.stop_date else "ONGOING",
            }
        )
    for therapy in PriorTherapy.objects.filter(
        subject__study=study, subject__subject_identifier__isnull=False
    ).select_related(*related):
        subject = therapy.subject
        rows.append(
            {
                **subject_keys(subject, "CM"),
                "CMTRT": therapy.drug_name,
                "CMDECOD": "",
                "CMCAT": "PRIOR THERAPY",
                "CMSCAT": controlled(therapy.kind),
                "CMCLASCD": "",
                "CMINDC": strata[subject.stratum.code].upper(),
                "CMDOSE": therapy.dose,
                "CMDOSU": _unit(therapy.dose_unit),
                "CMROUTE": "",
                "VISIT": therapy.visit_code,
                **timing(subject, "CMST", therapy.start_date),
                **timing(subject, "CMEN", therapy.stop_date),
                "CMENRF": "ONGOING" if therapy.outcome == PriorTherapy.Outcome.ONGOING else "",
            }
        )
    return Dataset(
        CM_SPEC, assign_seq(rows, "CMSEQ", order=lambda row: (row["CMSTDTC"], row["CMTRT"]))
    )
