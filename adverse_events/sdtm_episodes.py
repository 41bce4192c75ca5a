"""SDTM CE and FA from the CRS and ICANS episodes and their bedside assessments.

The split (repeated as Define-XML comments): an episode is a clinical event, so CE has one
record per episode, its onset and resolution, and its maximum ASTCT 2019 consensus grade
(CETOXGR); each bedside assessment is a finding about that event, so FA has one record per
assessment per test (the ASTCT grade that assessment gives, the ICE score for ICANS, and what
drove the grade), FAOBJ naming the event. The same episode is also an AE (its AETOXGR is the
same maximum grade): CELNKID is the AE's AESPID and FALNKID the episode's CESPID, so each
record leads back to the other without RELREC. FAORRES is the investigator's grade where it
overrides the computed one (both kept in the EDC, the reason in its audit trail).
"""

from __future__ import annotations

from adverse_events.models import EpisodeAssessment, ToxicityEpisode
from edc.domain.sdtm import (
    VISIT,
    Dataset,
    DatasetSpec,
    DataType,
    Method,
    Origin,
    Row,
    Variable,
    assign_seq,
    identifiers,
    timing_variables,
)
from edc.models import Study
from edc.sdtm import subject_keys, timing

TERMS = {
    ToxicityEpisode.Kind.CRS: "CYTOKINE RELEASE SYNDROME",
    ToxicityEpisode.Kind.ICANS: "IMMUNE EFFECTOR CELL-ASSOCIATED NEUROTOXICITY SYNDROME",
}
CATEGORY = "CAR-T ASSOCIATED TOXICITY"
ASTCT = "ASTCT 2019"

MAX_GRADE = Method(
    "MT.CETOXGR",
    "Episode maximum grade",
    "The highest ASTCT 2019 consensus grade over the episode's assessments, each assessment "
    "counting with the investigator's grade where it overrides the computed one.",
)
ASTCT_GRADE = Method(
    "MT.ASTCTGR",
    "ASTCT 2019 grade",
    "Computed by the EDC from the assessment (CRS: fever, hypotension and vasopressors, "
    "hypoxia and oxygen device; ICANS: ICE score, consciousness, seizure, motor findings, "
    "cerebral oedema), the worst domain deciding; the investigator's grade when entered.",
)

CE_SPEC = DatasetSpec(
    name="CE",
    label="Clinical Events",
    structure="One record per event per subject",
    dataset_class="EVENTS",
    variables=(
        *identifiers("CE"),
        Variable("CESPID", "Sponsor-Defined Identifier", origin=Origin.ASSIGNED),
        Variable("CELNKID", "Link ID", origin=Origin.ASSIGNED),
        Variable("CETERM", "Reported Term for the Clinical Event", origin=Origin.ASSIGNED),
        Variable("CEDECOD", "Dictionary-Derived Term", origin=Origin.ASSIGNED),
        Variable("CECAT", "Category for Clinical Event", origin=Origin.ASSIGNED),
        Variable(
            "CETOXGR",
            "Standard Toxicity Grade",
            origin=Origin.DERIVED,
            codelist="TOXGR",
            method=MAX_GRADE,
        ),
        Variable("CETOXSCL", "Toxicity Scale", origin=Origin.ASSIGNED),
        VISIT,
        *timing_variables(
            "CEST", "Start Date/Time of Clinical Event", "Study Day of Start of Clinical Event"
        ),
        *timing_variables(
            "CEEN", "End Date/Time of Clinical Event", "Study Day of End of Clinical Event"
        ),
    ),
    comment="CRS and ICANS episodes as clinical events (one record per episode, maximum ASTCT "
    "2019 grade); their bedside assessments are FA records (FALNKID = CESPID). Each episode "
    "is also reported in AE: CELNKID is that AE's AESPID.",
)

FA_SPEC = DatasetSpec(
    name="FA",
    label="Findings About Events or Interventions",
    structure="One record per finding, per object, per time point, per visit per subject",
    dataset_class="FINDINGS ABOUT",
    variables=(
        *identifiers("FA"),
        Variable("FALNKID", "Link ID", origin=Origin.ASSIGNED),
        Variable("FATESTCD", "Findings About Test Short Name", key=True),
        Variable("FATEST", "Findings About Test Name"),
        Variable("FAOBJ", "Object of the Observation", origin=Origin.ASSIGNED, key=True),
        Variable("FACAT", "Category for Findings About", origin=Origin.ASSIGNED),
        Variable("FAORRES", "Result or Finding in Original Units", origin=Origin.DERIVED),
        Variable("FASTRESC", "Character Result/Finding in Std Format", origin=Origin.DERIVED),
        Variable(
            "FASTRESN",
            "Numeric Result/Finding in Standard Units",
            DataType.FLOAT,
            Origin.DERIVED,
            method=ASTCT_GRADE,
        ),
        VISIT,
        *timing_variables("FA", "Date/Time of Collection", "Study Day of Collection"),
    ),
    comment="One record per CRS/ICANS bedside assessment per test: ASTCTGR (the ASTCT 2019 "
    "grade of that assessment), ICESCORE (ICANS only) and GRDRIVER (the domain that decided "
    "the grade). FAOBJ is the CE term; FALNKID the CE record's CESPID.",
)


def _episodes(study: Study):
    return (
        ToxicityEpisode.objects.filter(
            subject__study=study, subject__subject_identifier__isnull=False
        )
        .select_related("subject__study", "subject__study_site__site", "adverse_event")
        .order_by("onset_at", "pk")
    )


def ce_dataset(study: Study) -> Dataset:
    rows: list[Row] = []
    for episode in _episodes(study):
        subject = episode.subject
        event = episode.adverse_event
        term = TERMS[ToxicityEpisode.Kind(episode.kind)]
        rows.append(
            {
                **subject_keys(subject, "CE"),
                "CESPID": str(episode.pk),
                "CELNKID": str(event.pk) if event else "",
                "CETERM": term,
                "CEDECOD": term,
                "CECAT": CATEGORY,
                "CETOXGR": str(episode.max_grade),
                "CETOXSCL": f"{ASTCT} {episode.kind.upper()}",
                "VISIT": event.visit_code if event else "",
                **timing(subject, "CEST", episode.onset_at),
                **timing(subject, "CEEN", episode.resolved_at),
            }
        )
    return Dataset(CE_SPEC, assign_seq(rows, "CESEQ", order=lambda row: row["CESTDTC"]))


def _assessment_rows(assessment: EpisodeAssessment, base: Row) -> list[Row]:
    tests = [("ASTCTGR", f"{ASTCT} Consensus Grade", str(assessment.grade), assessment.grade)]
    if assessment.ice_score is not None:
        tests.append(
            ("ICESCORE", "ICE Score", str(assessment.ice_score),
             assessment.ice_score)
        )  # fmt: skip
    if assessment.grade_driver:
        tests.append(
            ("GRDRIVER", "Domain Driving the Grade", assessment.grade_driver.upper(), None)
        )
    return [
        {**base, "FATESTCD": code, "FATEST": test, "FAORRES": text, "FASTRESC": text,
         "FASTRESN": number}
        for code, test, text, number in tests
    ]  # fmt: skip


def fa_dataset(study: Study) -> Dataset:
    assessments = (
        EpisodeAssessment.objects.filter(
            episode__subject__study=study, episode__subject__subject_identifier__isnull=False
        )
        .select_related(
            "episode__subject__study",
            "episode__subject__study_site__site",
            "episode__adverse_event",
        )
        .order_by("assessed_at", "pk")
    )
    rows: list[Row] = []
    for assessment in assessments:
        episode = assessment.episode
        subject = episode.subject
        base = {
            **subject_keys(subject, "FA"),
            "FALNKID": str(episode.pk),
            "FAOBJ": TERMS[ToxicityEpisode.Kind(episode.kind)],
            "FACAT": episode.kind.upper(),
            "VISIT": episode.adverse_event.visit_code if episode.adverse_event else "",
            **timing(subject, "FA", assessment.assessed_at),
        }
        rows += _assessment_rows(assessment, base)
    return Dataset(
        FA_SPEC, assign_seq(rows, "FASEQ", order=lambda row: (row["FADTC"], row["FATESTCD"]))
    )
