"""Dose-limiting toxicity candidates: the protocol's DLT rules applied to adverse events.

Source: the protocol definition's `escalation.dlt_rules` and `dlt_window_days` (data, not code).
An event is a candidate when its category matches the rule, its grade reaches the rule's minimum,
it began inside the DLT window (study days 0..window after infusion), and, where the rule asks for
a duration ("lasting more than 72 hours"), it lasted longer than that. An event still ongoing
whose duration so far already exceeds the minimum qualifies; one still ongoing below it does not
yet, and is reported as `pending` so the investigator knows to look again.

Category matching: `non_hematologic` covers every category except `hematologic`; `death` matches
any grade-5 event; the other categories match themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from edc.domain.protocol import DltRule
from edc.domain.validation import ArgumentError, check

SOURCE = "protocol definition: escalation.dlt_rules and dlt_window_days"
CATEGORIES = frozenset(
    {"crs", "icans", "non_hematologic", "hematologic", "gvhd", "infection", "death", "other"}
)


@dataclass(frozen=True)
class ToxicityEvent:
    """What the DLT rules need of an adverse event. `duration_hours` None = still ongoing with
    unknown end; `hours_so_far` is how long an ongoing event has lasted at assessment time."""

    ref: str
    category: str  # crs, icans, hematologic, gvhd, infection, other
    grade: int
    onset_day: int  # study day (0 = infusion)
    duration_hours: Decimal | None = None
    hours_so_far: Decimal | None = None
    term: str = ""


@dataclass(frozen=True)
class DltCandidateResult:
    event_ref: str
    rule_id: str
    rule_text: str
    grade: int
    onset_day: int
    pending: bool  # matches but the duration is not yet reached
    reason: str


def _matches_category(rule: DltRule, event: ToxicityEvent) -> bool:
    if rule.category == "death":
        return event.grade == 5
    if rule.category == "non_hematologic":
        return event.category != "hematologic"
    return rule.category == event.category


def _validate(event: ToxicityEvent) -> None:
    if event.category not in CATEGORIES - {"non_hematologic", "death"}:
        raise ArgumentError("category", f"unknown event category {event.category!r}")
    check.integer(event.grade, "grade", minimum=1, maximum=5)
    check.integer(event.onset_day, "onset_day", minimum=-30)


def dlt_candidates(
    *, rules: Sequence[DltRule], window_days: int, events: Iterable[ToxicityEvent]
) -> list[DltCandidateResult]:
    """Every (event, rule) pair that makes the event a DLT candidate, in event order."""
    check.integer(window_days, "window_days", minimum=1)
    found = []
    for event in events:
        _validate(event)
        if not 0 <= event.onset_day <= window_days:
            continue
        for rule in rules:
            if not _matches_category(rule, event) or event.grade < rule.min_grade:
                continue
            lasted = (
                event.duration_hours if event.duration_hours is not None else (event.hours_so_far)
            )
            pending = False
            if rule.min_duration_hours is not None:
                if lasted is not None and lasted > rule.min_duration_hours:
                    how_long = f", lasting {lasted} h > {rule.min_duration_hours} h"
                elif event.duration_hours is None:
                    pending = True
                    how_long = f", ongoing; a DLT if it lasts over {rule.min_duration_hours} h"
                else:
                    continue
            else:
                how_long = ""
            found.append(
                DltCandidateResult(
                    event_ref=event.ref,
                    rule_id=rule.id,
                    rule_text=rule.text,
                    grade=event.grade,
                    onset_day=event.onset_day,
                    pending=pending,
                    reason=(
                        f"{event.term or event.category} grade {event.grade} on day "
                        f"{event.onset_day}{how_long} (rule {rule.id})"
                    ),
                )
            )
    return found
