"""SDTM SV and DS from the visit schedule and the end-of-study form.

SV has a record per scheduled visit that took place (SVOCCUR Y, the date it was done) or was
declared missed (SVOCCUR N, no date), and per unscheduled visit; VISITNUM is the visit's place in
the subject's schedule by target date (the schedule is the protocol's, the same for every
subject), unscheduled visits numbered after the scheduled visit before them (x.01, x.02, ...).
Free-text reasons (why missed, why unscheduled) are left out: a study may mark them identifying.

DS has the informed consent (a protocol milestone) and the disposition event of the end-of-study
form. The form records "withdrawn" without who decided; DSDECOD reads it as WITHDRAWAL BY
SUBJECT, the usual case, with the site's reason as DSTERM.
"""

from __future__ import annotations

from decimal import Decimal

from edc.domain.sdtm import DOMAIN as DOMAIN_VARIABLE
from edc.domain.sdtm import (
    STUDYID,
    USUBJID,
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
from edc.sdtm import enrolled_subjects, subject_keys, timing
from followup.domain.end_of_study import Ending
from followup.models import EndOfStudy, VisitInstance

VISITNUM = Variable("VISITNUM", "Visit Number", DataType.FLOAT, Origin.DERIVED, key=True)

SV_SPEC = DatasetSpec(
    name="SV",
    label="Subject Visits",
    structure="One record per actual or planned visit per subject",
    dataset_class="SPECIAL PURPOSE",
    variables=(
        STUDYID,
        DOMAIN_VARIABLE,
        USUBJID,
        VISITNUM,
        VISIT,
        Variable("SVPRESP", "Pre-specified", origin=Origin.ASSIGNED, codelist="NY"),
        Variable("SVOCCUR", "Occurrence", codelist="NY"),
        *timing_variables(
            "SVST", "Start Date/Time of Observation", "Study Day of Start of Observation"
        ),
        *timing_variables(
            "SVEN", "End Date/Time of Observation", "Study Day of End of Observation"
        ),
    ),
)


def sv_dataset(study: Study) -> Dataset:
    subjects = enrolled_subjects(study).prefetch_related("visit_instances", "unscheduled_visits")
    rows: list[Row] = []
    for subject in subjects:
        scheduled = sorted(subject.visit_instances.all(), key=lambda v: v.target_date)
        numbers = {visit.visit_code: index for index, visit in enumerate(scheduled, start=1)}
        for visit in scheduled:
            if visit.state not in (VisitInstance.State.DONE, VisitInstance.State.MISSED):
                continue
            done = visit.state == VisitInstance.State.DONE
            rows.append(
                {
                    **subject_keys(subject, "SV"),
                    "VISITNUM": numbers[visit.visit_code],
                    "VISIT": visit.visit_code,
                    "SVPRESP": "Y",
                    "SVOCCUR": "Y" if done else "N",
                    **timing(subject, "SVST", visit.done_on),
                    **timing(subject, "SVEN", visit.done_on),
                }
            )
        for extra in subject.unscheduled_visits.all():
            before = [v for v in scheduled if v.target_date <= extra.visit_date]
            base = numbers[before[-1].visit_code] if before else 0
            rows.append(
                {
                    **subject_keys(subject, "SV"),
                    "VISITNUM": Decimal(base) + Decimal(extra.number) / 100,
                    "VISIT": f"UNSCHEDULED {base}.{extra.number:02d}",
                    "SVPRESP": "",
                    "SVOCCUR": "Y",
                    **timing(subject, "SVST", extra.visit_date),
                    **timing(subject, "SVEN", extra.visit_date),
                }
            )
    rows.sort(key=lambda row: (row["USUBJID"], row["VISITNUM"]))
    return Dataset(SV_SPEC, rows)


DS_SPEC = DatasetSpec(
    name="DS",
    label="Disposition",
    structure="One record per disposition status or protocol milestone per subject",
    dataset_class="EVENTS",
    variables=(
        *identifiers("DS"),
        Variable(
            "DSTERM",
            "Reported Term for the Disposition Event",
            free_text=True,
            xpt_fallback="DSDECOD",
        ),
        Variable("DSDECOD", "Standardized Disposition Term", origin=Origin.DERIVED),
        Variable("DSCAT", "Category for Disposition Event", origin=Origin.ASSIGNED),
        VISIT,
        *timing_variables(
            "DSST",
            "Start Date/Time of Disposition Event",
            "Study Day of Start of Disposition Event",
        ),
    ),
)

DISPOSITION = {  # CDISC NCOMPLT (C66727)
    Ending.COMPLETED: "COMPLETED",
    Ending.WITHDRAWN: "WITHDRAWAL BY SUBJECT",
    Ending.DEATH: "DEATH",
    Ending.LOST_TO_FOLLOW_UP: "LOST TO FOLLOW-UP",
}


def ds_dataset(study: Study) -> Dataset:
    rows: list[Row] = [
        {
            **subject_keys(subject, "DS"),
            "DSTERM": "INFORMED CONSENT OBTAINED",
            "DSDECOD": "INFORMED CONSENT OBTAINED",
            "DSCAT": "PROTOCOL MILESTONE",
            "VISIT": "SCR",
            **timing(subject, "DSST", subject.consent_date),
        }
        for subject in enrolled_subjects(study)
    ]
    endings = EndOfStudy.objects.filter(
        subject__study=study, subject__subject_identifier__isnull=False
    ).select_related("subject__study")
    for end in endings:
        decoded = DISPOSITION[Ending(end.ending)]
        rows.append(
            {
                **subject_keys(end.subject, "DS"),
                "DSTERM": (end.withdrawal_reason or decoded)
                if end.ending == Ending.WITHDRAWN
                else decoded,
                "DSDECOD": decoded,
                "DSCAT": "DISPOSITION EVENT",
                "VISIT": end.visit_code,
                **timing(end.subject, "DSST", end.end_date),
            }
        )
    return Dataset(DS_SPEC, assign_seq(rows, "DSSEQ", order=lambda row: row["DSSTDTC"]))
