"""SDTM AE and SUPPAE from the adverse-event log and its CRS/ICANS episodes.

AETOXGR is the CTCAE v5.0 grade, except for an event with a CRS or ICANS episode, where it is
the episode's maximum ASTCT 2019 consensus grade (the grade the protocol's DLT and stopping
rules read); SUPPAE.AETOXSCL names the scale of every record so the two are never mixed up.
The AESI category, the relationship to lymphodepletion and the CTCAE version go to SUPPAE too,
as SDTMIG 3.4 has no standard variable for them; AEREL is the relationship to the CAR-T
product, the study treatment.
"""

from __future__ import annotations

from adverse_events.domain.terms import ctcae_terms
from adverse_events.models import AdverseEvent, ToxicityEpisode
from edc.domain.sdtm import (
    VISIT,
    Dataset,
    DatasetSpec,
    Origin,
    Qualifier,
    Variable,
    assign_seq,
    identifiers,
    split_supplemental,
    supp_spec,
    timing_variables,
    yes_no,
)
from edc.models import Study
from edc.sdtm import subject_keys, timing

AE_SPEC = DatasetSpec(
    name="AE",
    label="Adverse Events",
    structure="One record per adverse event per subject",
    dataset_class="EVENTS",
    variables=(
        *identifiers("AE"),
        Variable("AESPID", "Sponsor-Defined Identifier", origin=Origin.ASSIGNED),
        Variable(
            "AETERM", "Reported Term for the Adverse Event", free_text=True, xpt_fallback="AEDECOD"
        ),
        Variable("AEDECOD", "Dictionary-Derived Term", origin=Origin.DERIVED),
        Variable("AEBODSYS", "Body System or Organ Class", origin=Origin.DERIVED),
        Variable("AESER", "Serious Event", codelist="NY"),
        Variable("AEACNOTH", "Other Action Taken"),
        Variable("AEREL", "Causality"),
        Variable("AEOUT", "Outcome of Adverse Event", codelist="OUT"),
        Variable("AESCONG", "Congenital Anomaly or Birth Defect", codelist="NY"),
        Variable("AESDISAB", "Persist or Signif Disability/Incapacity", codelist="NY"),
        Variable("AESDTH", "Results in Death", codelist="NY"),
        Variable("AESHOSP", "Requires or Prolongs Hospitalization", codelist="NY"),
        Variable("AESLIFE", "Is Life Threatening", codelist="NY"),
        Variable("AESMIE", "Other Medically Important Serious Event", codelist="NY"),
        Variable("AETOXGR", "Standard Toxicity Grade", codelist="TOXGR"),
        VISIT,
        *timing_variables(
            "AEST", "Start Date/Time of Adverse Event", "Study Day of Start of Adverse Event"
        ),
        *timing_variables(
            "AEEN", "End Date/Time of Adverse Event", "Study Day of End of Adverse Event"
        ),
    ),
)

QUALIFIERS = (
    Qualifier("AETOXSCL", "Toxicity Grading Scale", Origin.ASSIGNED),
    Qualifier("AESI", "Adverse Event of Special Interest"),
    Qualifier("AERELLD", "Causality to Lymphodepletion"),
)

RELATIONSHIP = {
    "not_related": "NOT RELATED",
    "unlikely": "UNLIKELY RELATED",
    "possible": "POSSIBLY RELATED",
    "probable": "PROBABLY RELATED",
    "definite": "RELATED",
}
OUTCOME = {  # CDISC OUT (C66768)
    "recovered": "RECOVERED/RESOLVED",
    "recovering": "RECOVERING/RESOLVING",
    "not_recovered": "NOT RECOVERED/NOT RESOLVED",
    "sequelae": "RECOVERED/RESOLVED WITH SEQUELAE",
    "fatal": "FATAL",
    "unknown": "UNKNOWN",
}
ACTION = {
    "none": "",
    "treatment": "TREATMENT GIVEN",
    "hospitalised": "HOSPITALISED",
    "delayed": "STUDY TREATMENT DELAYED",
    "withdrawn": "SUBJECT WITHDRAWN FROM STUDY",
}
ASTCT_SCALE = "ASTCT 2019"


def _grade(event: AdverseEvent) -> tuple[int, str]:
    episode: ToxicityEpisode | None = getattr(event, "episode", None)
    if episode is not None and episode.max_grade:
        return episode.max_grade, f"{ASTCT_SCALE} {episode.kind.upper()}"
    return event.grade, f"CTCAE v{event.ctcae_version}"


def _records(study: Study) -> list[dict]:
    terms = ctcae_terms()
    events = (
        AdverseEvent.objects.filter(subject__study=study, subject__subject_identifier__isnull=False)
        .select_related("subject__study", "episode")
        .order_by("created_at", "pk")
    )
    rows = []
    for event in events:
        subject = event.subject
        grade, scale = _grade(event)
        rows.append(
            {
                **subject_keys(subject, "AE"),
                "AESPID": str(event.pk),
                "AETERM": event.verbatim_term,
                "AEDECOD": terms[event.ctcae_term].term,
                "AEBODSYS": event.soc,
                "AESER": yes_no(event.is_serious),
                "AEACNOTH": ACTION[event.action_taken],
                "AEREL": RELATIONSHIP[event.relationship_cart],
                "AEOUT": OUTCOME[event.outcome],
                "AESCONG": yes_no(event.serious_congenital),
                "AESDISAB": yes_no(event.serious_disability),
                "AESDTH": yes_no(event.serious_death),
                "AESHOSP": yes_no(event.serious_hospitalisation),
                "AESLIFE": yes_no(event.serious_life_threatening),
                "AESMIE": yes_no(event.serious_important_medical),
                "AETOXGR": str(grade),
                "VISIT": event.visit_code,
                **timing(subject, "AEST", event.onset_date),
                **timing(subject, "AEEN", event.resolution_date),
                "AETOXSCL": scale,
                "AESI": event.aesi.upper().replace("_", " "),
                "AERELLD": RELATIONSHIP[event.relationship_lymphodepletion],
            }
        )
    # Sorting is stable: events with one onset date keep the order they were reported in.
    return assign_seq(rows, "AESEQ", order=lambda row: row["AESTDTC"])


def ae_dataset(study: Study) -> Dataset:
    parents, _ = split_supplemental("AE", _records(study), QUALIFIERS)
    return Dataset(AE_SPEC, parents)


def suppae_dataset(study: Study) -> Dataset:
    _, supplemental = split_supplemental("AE", _records(study), QUALIFIERS)
    return Dataset(supp_spec("AE"), supplemental)
