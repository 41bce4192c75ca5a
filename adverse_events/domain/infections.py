"""Infections after a CAR-T infusion: early or late by study day, and when one is an adverse
event that the AE log must hold.

Source: the usual split of infections after CD19 CAR-T (Hill et al., Blood 2018; the EBMT/EHA
2022 CAR-T best-practice recommendations): early infections start in the first 28 days after the
infusion, while neutropenia and lymphodepletion dominate; later ones reflect B-cell aplasia and
hypogammaglobulinaemia. The study day is counted from Day 0 (the infusion) at the site, so the
infusion day is day 0 and day 28 is still early. An infection starting before the infusion
(during lymphodepletion) is neither.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

RULE = "Early infection: onset Day 0 to Day 28 after the infusion (Hill 2018; EBMT/EHA 2022)"
EARLY_LAST_DAY = 28
# CTCAE grade from which an infection is recorded as an adverse event (severe or worse).
AE_FROM_GRADE = 3


class InfectionTiming(StrEnum):
    BEFORE_INFUSION = "before_infusion"
    EARLY = "early"
    LATE = "late"


@dataclass(frozen=True)
class InfectionOnset:
    study_day: int
    timing: InfectionTiming
    rule: str = RULE


def classify_infection_onset(*, onset_date: dt.date, day0: dt.date) -> InfectionOnset:
    """Study day of onset (site dates, Day 0 = 0) and whether the infection is early or late."""
    study_day = (onset_date - day0).days
    if study_day < 0:
        timing = InfectionTiming.BEFORE_INFUSION
    elif study_day <= EARLY_LAST_DAY:
        timing = InfectionTiming.EARLY
    else:
        timing = InfectionTiming.LATE
    return InfectionOnset(study_day=study_day, timing=timing)


def infection_is_adverse_event(*, grade: int, serious: bool) -> bool:
    """A grade 3-5 or serious infection is opened in the AE log (and, serious, starts the SAE
    clock); milder ones stay on the infection form, which is the study's infection record."""
    if not 1 <= grade <= 5:
        raise ValueError(f"grade must be 1-5, not {grade!r}")
    return serious or grade >= AE_FROM_GRADE
