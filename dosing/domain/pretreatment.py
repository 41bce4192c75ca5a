"""Checks before lymphodepletion and before the infusion: eligibility criteria decided again on
the treatment day.

A protocol lists, per stage, the criteria that must still hold when treatment starts
(`pretreatment` in protocols/*.yaml): CT1192 inclusion 5 asks for a negative serum beta-hCG
"within 48 hours prior to screening and lymphodepletion", and organ function is checked again
before chemotherapy and cells. Each listed criterion is assessed by the eligibility engine with
the treatment day as consent, screening and enrolment date, so its window counts back from that
day, and with the latest data on or before it. Pure Python (no Django).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Literal

from edc.domain.protocol import ProtocolDefinition
from screening.domain.eligibility import (
    CriterionResult,
    Outcome,
    ScreeningSnapshot,
    assess_eligibility,
)

__all__ = ["SOURCE", "Stage", "failing_checks", "pretreatment_checks"]

SOURCE = "protocol `pretreatment` section (edc/domain/protocol.py); eligibility engine rules"

Stage = Literal["lymphodepletion", "infusion"]


def pretreatment_checks(
    *, definition: ProtocolDefinition, stage: Stage, snapshot: ScreeningSnapshot, day: dt.date
) -> tuple[CriterionResult, ...]:
    """The stage's listed criteria, decided with `day` (the treatment day) as their reference.

    `snapshot` is the subject's data as the eligibility engine takes it (its `now` no earlier
    than the treatment day's data); confirmations are not used (listed criteria need none).
    """
    ids = set(getattr(definition.pretreatment, stage))
    if not ids:
        return ()
    selected = tuple(c for c in definition.eligibility if c.id in ids)
    at_treatment = replace(
        snapshot, consent_date=day, screening_date=day, enrolment_date=day, confirmations=()
    )
    assessment = assess_eligibility(
        definition=definition.model_copy(update={"eligibility": selected}),
        snapshot=at_treatment,
    )
    return assessment.results


def failing_checks(results: tuple[CriterionResult, ...]) -> tuple[CriterionResult, ...]:
    """Those not met or without the data to decide them: treatment waits, or is overridden."""
    return tuple(r for r in results if r.outcome is not Outcome.MET)
