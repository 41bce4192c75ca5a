"""Dose-level assignment decision support: per-level DLT summaries and whether the next subject
may be assigned to the current dose level, with the reasons.

Pure Python (no Django, no clock: `today` is an argument). The escalation rules themselves are
`dosing.domain.escalation` (`boin_decide`, `three_plus_three_decide`); this module only counts
subjects, asks those rules, and applies the conduct rules around them. Source:
`COHORT_RULE_SECTION`; every parameter (design, cohort size, DLT window, sentinel interval,
maximum sample size, target DLT rate, elimination cut-off) comes from the protocol's `escalation`.

Subject states (`SubjectState`), from the recorded facts:
  not_evaluable  `evaluable=False`: withdrawn or not DLT-evaluable; to be replaced (a subject
                 never infused is not counted towards the sample size either)
  dlt            a DLT was recorded: DLT-evaluable at once, whatever the date
  evaluable      `evaluable=True`: the DLT assessment says the window was completed without DLT
  assigned       assigned, not yet infused                                  } "pending":
  in_window      infused, DLT window (infusion + `dlt_window_days`) not over } outcome not known
  awaiting_assessment  window over but no DLT assessment recorded yet        }
The window is over the day after `dlt_window_end` (the end day itself is still in the window).

Recommendations (`LevelSummary.recommendation`) are computed on the DLT-evaluable subjects of the
level (evaluable + dlt), cumulatively. They wait until no subject at the level is pending, except
the safety outcomes (BOIN `deescalate_and_eliminate`, 3+3 `mtd_exceeded`), which apply as soon as
the counts reach them. A 3+3 level with a number of evaluable subjects other than 3 or 6 has the
recommendation "pending". A level is eliminated (BOIN) or closed (3+3) when it or a lower level
reached the safety outcome: a dose that is too toxic takes every higher dose with it.

Assignment to the current level (`decide_assignment`) is blocked, each block with its reason, when
  max_sample_size  the subjects in the trial (all levels) reach the protocol's maximum
  eliminated       the current level is eliminated / closed
  cohort_full      the current cohort (the last `cohort_size` counted subjects, replacements of
                   not-evaluable subjects included) is complete and has pending subjects
  decision_due     the current cohort is complete, none is pending, and the design recommends
                   leaving the level: record the cohort decision first
  sentinel         the subject would be the second of a cohort and the first (the sentinel) was
                   infused less than `sentinel_days` ago (or not yet). Exactly `sentinel_days`
                   after is allowed. The protocols state the interval "between the first and the
                   next subject of a cohort", so it applies to every cohort, the first at a new
                   level included.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass

from dosing.domain.escalation import (
    BoinDecision,
    BoinDecisionResult,
    BoinTableRow,
    EscalationInputError,
    ThreePlusThreeDecision,
    ThreePlusThreeResult,
    UnknownDoseLevel,
    boin_decide,
    three_plus_three_decide,
)
from edc.domain.messages import Message
from edc.domain.protocol import DoseLevel, Escalation
from edc.domain.validation import ArgumentError

__all__ = [
    "COHORT_RULE_SECTION",
    "LEVEL_MESSAGE_CODES",
    "PENDING",
    "AssignmentBlock",
    "AssignmentDecision",
    "BlockCode",
    "CohortSubject",
    "LevelSummary",
    "SubjectState",
    "SubjectStatus",
    "decide_assignment",
    "level_summary",
]

COHORT_RULE_SECTION = (
    "clinical-rules.md §6.1 (3+3), §6.2 (BOIN); protocol `escalation` section "
    "(cohort_size, dlt_window_days, sentinel_days, max_sample_size)"
)
PENDING = "pending"  # the recommendation code when the design has no decision (yet)

# The codes of `LevelSummary.messages` (the English `reason` is for logs and the signed basis);
# the dashboard's catalogue translates each one.
LEVEL_MESSAGE_CODES: frozenset[str] = frozenset(
    {
        "level.no_evaluable", "level.tpt_incomplete",
        "level.boin_eliminate", "level.boin_deescalate", "level.boin_escalate", "level.boin_stay",
        "level.boin_highest_stay", "level.boin_next_eliminated_stay", "level.boin_lowest_stay",
        "level.boin_lowest_eliminated",
        "level.tpt_mtd_exceeded", "level.tpt_expand", "level.tpt_escalate",
        "level.waiting", "level.removed_own", "level.removed_by", "level.no_lower_stop",
        "level.highest_stay", "level.next_removed_stay",
    }
)  # fmt: skip


class SubjectState(enum.StrEnum):
    ASSIGNED = "assigned"
    IN_WINDOW = "in_window"
    AWAITING_ASSESSMENT = "awaiting_assessment"
    EVALUABLE = "evaluable"
    DLT = "dlt"
    NOT_EVALUABLE = "not_evaluable"


PENDING_STATES = frozenset(
    {SubjectState.ASSIGNED, SubjectState.IN_WINDOW, SubjectState.AWAITING_ASSESSMENT}
)


class BlockCode(enum.StrEnum):
    MAX_SAMPLE_SIZE = "max_sample_size"
    ELIMINATED = "eliminated"
    COHORT_FULL = "cohort_full"
    DECISION_DUE = "decision_due"
    SENTINEL = "sentinel"


@dataclass(frozen=True, slots=True)
class CohortSubject:
    """A subject assigned to a dose level, as recorded.

    `infusion_date` None: assigned, not yet infused. `dlt_window_end` None: infusion date +
    the protocol's `dlt_window_days`. `evaluable` None: no DLT assessment recorded yet.
    """

    subject_id: str
    dose_level: int
    infusion_date: dt.date | None = None
    planned_infusion_date: dt.date | None = None
    dlt_window_end: dt.date | None = None
    evaluable: bool | None = None
    dlt: bool = False


@dataclass(frozen=True, slots=True)
class SubjectStatus:
    subject_id: str
    dose_level: int
    state: SubjectState
    infusion_date: dt.date | None
    planned_infusion_date: dt.date | None
    dlt_window_end: dt.date | None
    counts_toward_sample_size: bool

    @property
    def pending(self) -> bool:
        return self.state in PENDING_STATES


@dataclass(frozen=True, slots=True)
class LevelSummary:
    """One dose level: counts, the design's recommendation and the table row behind it.

    `next_level` is the level the recommendation points to (the same level for stay /
    expand_to_6), None while pending or when no admissible level remains. `row` is the BOIN
    table row used (None for 3+3); `rule_row` states the row that drove the recommendation in
    words, for either design ("" when the design gave no result).
    """

    level: int
    label: str
    assigned: int
    treated: int
    evaluable: int
    dlts: int
    pending: int
    not_evaluable: int
    recommendation: str
    next_level: int | None
    eliminated: bool
    eliminated_by_level: int | None
    stop_trial: bool
    design_result: BoinDecisionResult | ThreePlusThreeResult | None
    row: BoinTableRow | None
    rule_row: str
    reason: str
    subjects: tuple[SubjectStatus, ...]
    source: str = COHORT_RULE_SECTION
    messages: tuple[Message, ...] = ()  # `reason` as codes (LEVEL_MESSAGE_CODES), for the UI


@dataclass(frozen=True, slots=True)
class AssignmentBlock:
    code: BlockCode
    message: str


@dataclass(frozen=True, slots=True)
class AssignmentDecision:
    """Whether the next subject may be assigned to the current level.

    `level` is the current level when not blocked, None when blocked; `blocks` lists every rule
    that blocks, in the order max_sample_size, eliminated, cohort_full, decision_due, sentinel.
    `earliest_start_date` is the first allowed infusion date when the sentinel rule blocks and
    that date is known.
    """

    level: int | None
    blocked: bool
    reason: str
    blocks: tuple[AssignmentBlock, ...]
    current_level: int
    summary: LevelSummary
    subjects_in_trial: int
    max_sample_size: int
    earliest_start_date: dt.date | None
    source: str = COHORT_RULE_SECTION


# --------------------------------------------------------------------------- validation


def _escalation(value: object) -> Escalation:
    if not isinstance(value, Escalation):
        raise ArgumentError("escalation", f"must be a protocol Escalation; got {value!r}")
    return value


def _date(value: object, argument: str) -> dt.date:
    # A datetime is a date subclass; refuse it so that no time zone decides the calendar day.
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ArgumentError(argument, f"must be a date (not a datetime); got {value!r}")
    return value


def _optional_date(value: object, argument: str) -> dt.date | None:
    return None if value is None else _date(value, argument)


def _level_number(value: object, argument: str, levels: Sequence[int]) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArgumentError(argument, f"must be an integer dose level; got {value!r}")
    if value not in levels:
        raise UnknownDoseLevel(argument, f"unknown dose level {value}; protocol levels {levels}")
    return value


def _subject_status(
    index: int, subject: object, *, escalation: Escalation, today: dt.date
) -> SubjectStatus:
    name = f"subjects[{index}]"
    if not isinstance(subject, CohortSubject):
        raise ArgumentError(name, f"must be a CohortSubject; got {subject!r}")
    if not isinstance(subject.subject_id, str) or not subject.subject_id.strip():
        raise ArgumentError(f"{name}.subject_id", f"must be a non-empty string; got {subject!r}")
    levels = [d.level for d in escalation.dose_levels]
    _level_number(subject.dose_level, f"{name}.dose_level", levels)
    infused = _optional_date(subject.infusion_date, f"{name}.infusion_date")
    planned = _optional_date(subject.planned_infusion_date, f"{name}.planned_infusion_date")
    window_end = _optional_date(subject.dlt_window_end, f"{name}.dlt_window_end")
    if subject.evaluable is not None and not isinstance(subject.evaluable, bool):
        raise ArgumentError(f"{name}.evaluable", f"must be True, False or None; got {subject!r}")
    if not isinstance(subject.dlt, bool):
        raise ArgumentError(f"{name}.dlt", f"must be True or False; got {subject.dlt!r}")

    if infused is not None and infused > today:
        raise ArgumentError(
            f"{name}.infusion_date",
            f"{infused.isoformat()} is after today ({today.isoformat()}); "
            "a future date is a planned_infusion_date",
        )
    if infused is None:
        if window_end is not None:
            raise ArgumentError(f"{name}.dlt_window_end", "needs an infusion_date")
        if subject.dlt:
            raise ArgumentError(f"{name}.dlt", "cannot be True before an infusion")
        if subject.evaluable is True:
            raise ArgumentError(f"{name}.evaluable", "cannot be True before an infusion")
    else:
        if window_end is None:
            window_end = infused + dt.timedelta(days=escalation.dlt_window_days)
        elif window_end < infused:
            raise ArgumentError(
                f"{name}.dlt_window_end",
                f"{window_end.isoformat()} precedes the infusion {infused.isoformat()}",
            )
    if subject.dlt and subject.evaluable is False:
        raise ArgumentError(
            f"{name}.evaluable", "is False but a DLT is recorded: a subject with a DLT is evaluable"
        )

    if subject.evaluable is False:
        state = SubjectState.NOT_EVALUABLE
    elif subject.dlt:
        state = SubjectState.DLT
    elif subject.evaluable is True:
        state = SubjectState.EVALUABLE
    elif infused is None:
        state = SubjectState.ASSIGNED
    elif window_end is not None and today <= window_end:
        state = SubjectState.IN_WINDOW
    else:
        state = SubjectState.AWAITING_ASSESSMENT
    return SubjectStatus(
        subject_id=subject.subject_id,
        dose_level=subject.dose_level,
        state=state,
        infusion_date=infused,
        planned_infusion_date=planned,
        dlt_window_end=window_end,
        # A subject withdrawn before any infusion was never treated: the slot is given back.
        counts_toward_sample_size=not (state is SubjectState.NOT_EVALUABLE and infused is None),
    )


def _statuses(subjects: object, *, escalation: Escalation, today: dt.date) -> list[SubjectStatus]:
    if isinstance(subjects, str | bytes) or not isinstance(subjects, Sequence):
        raise ArgumentError("subjects", "must be a sequence of CohortSubject")
    statuses = [
        _subject_status(i, s, escalation=escalation, today=today) for i, s in enumerate(subjects)
    ]
    seen: set[str] = set()
    for index, status in enumerate(statuses):
        if status.subject_id in seen:
            raise ArgumentError(
                f"subjects[{index}].subject_id", f"{status.subject_id!r} is listed twice"
            )
        seen.add(status.subject_id)
    return statuses


# --------------------------------------------------------------------------- summaries


def _design_result(
    escalation: Escalation,
    *,
    n: int,
    dlts: int,
    highest: bool = False,
    lowest: bool = False,
    next_eliminated: bool = False,
) -> tuple[BoinDecisionResult | ThreePlusThreeResult | None, str]:
    """The design's result on cumulative counts, or None with the reason there is none."""
    if n == 0:
        return None, "no DLT-evaluable subject yet"
    if escalation.design == "boin":
        if escalation.target_dlt_rate is None:  # the protocol schema already refuses this
            raise ArgumentError("escalation", "a BOIN design needs target_dlt_rate")
        return boin_decide(
            target=float(escalation.target_dlt_rate),
            n_treated=n,
            n_dlt=dlts,
            is_highest_dose=highest,
            is_lowest_dose=lowest,
            next_dose_eliminated=next_eliminated,
            elimination_cutoff=float(escalation.elimination_cutoff),
        ), ""
    try:
        return three_plus_three_decide(n_treated=n, n_dlt=dlts), ""
    except EscalationInputError as exc:  # n not 3 or 6: the 3+3 rule has no decision for it
        return None, f"no 3+3 decision for {n} evaluable subject(s) ({exc})"


def _design_messages(
    result: BoinDecisionResult | ThreePlusThreeResult, *, highest: bool
) -> list[Message]:
    """What the design decided, as messages (the counts and the boundary that decided);
    `highest`: the level is the highest dose (so a BOIN "escalate" became "stay")."""
    counts = {"dlts": result.n_dlt, "n": result.n_treated}
    if isinstance(result, ThreePlusThreeResult):
        code = {
            ThreePlusThreeDecision.MTD_EXCEEDED: "level.tpt_mtd_exceeded",
            ThreePlusThreeDecision.EXPAND_TO_6: "level.tpt_expand",
            ThreePlusThreeDecision.ESCALATE: "level.tpt_escalate",
        }[result.decision]
        return [Message(code, counts)]
    row, table = result.row, result.table_decision
    if table is BoinDecision.DEESCALATE_AND_ELIMINATE:
        found = [Message("level.boin_eliminate", {**counts, "boundary": row.eliminate_if_dlt_ge})]
    elif table is BoinDecision.DEESCALATE:
        found = [Message("level.boin_deescalate", {**counts, "boundary": row.deescalate_if_dlt_ge})]
    elif table is BoinDecision.ESCALATE:
        found = [Message("level.boin_escalate", {**counts, "boundary": row.escalate_if_dlt_le})]
    else:
        found = [
            Message(
                "level.boin_stay",
                {
                    **counts,
                    "escalate": row.escalate_if_dlt_le,
                    "deescalate": row.deescalate_if_dlt_ge,
                },
            )
        ]
    if result.stop_trial:
        found.append(Message("level.boin_lowest_eliminated"))
    elif result.decision is not table:  # an edge of the dose range turned it into "stay"
        if table is BoinDecision.DEESCALATE:
            found.append(Message("level.boin_lowest_stay"))
        elif highest:
            found.append(Message("level.boin_highest_stay"))
        else:
            found.append(Message("level.boin_next_eliminated_stay"))
    return found


def _is_unsafe(result: BoinDecisionResult | ThreePlusThreeResult | None) -> bool:
    if isinstance(result, BoinDecisionResult):
        return result.table_decision is BoinDecision.DEESCALATE_AND_ELIMINATE
    if isinstance(result, ThreePlusThreeResult):
        return result.decision is ThreePlusThreeDecision.MTD_EXCEEDED
    return False


def _rule_row(result: BoinDecisionResult | ThreePlusThreeResult | None) -> str:
    if isinstance(result, BoinDecisionResult):
        row = result.row
        eliminate = "NA" if row.eliminate_if_dlt_ge is None else row.eliminate_if_dlt_ge
        return (
            f"BOIN target {result.target:g}, n = {row.n}: escalate if DLT <= "
            f"{row.escalate_if_dlt_le}, de-escalate if DLT >= {row.deescalate_if_dlt_ge}, "
            f"eliminate if DLT >= {eliminate}"
        )
    if isinstance(result, ThreePlusThreeResult):
        return f"3+3, {result.n_treated} patients: {result.reason}"
    return ""


def level_summary(
    *, escalation: Escalation, subjects: Sequence[CohortSubject], today: dt.date
) -> list[LevelSummary]:
    """Per dose level (ascending): assigned, treated, DLT-evaluable, DLTs, pending, and the
    design's recommendation (BOIN or 3+3, cumulative counts at the level) with its table row.

    See the module docstring for the states, the waiting rule and elimination.
    Source: `COHORT_RULE_SECTION`.
    """
    esc = _escalation(escalation)
    day = _date(today, "today")
    statuses = _statuses(subjects, escalation=esc, today=day)
    dose_levels: list[DoseLevel] = sorted(esc.dose_levels, key=lambda d: d.level)
    numbers = [d.level for d in dose_levels]
    by_level = {n: [s for s in statuses if s.dose_level == n] for n in numbers}

    def count(level: int, *states: SubjectState) -> int:
        return sum(1 for s in by_level[level] if s.state in states)

    evaluable = {n: count(n, SubjectState.EVALUABLE, SubjectState.DLT) for n in numbers}
    dlts = {n: count(n, SubjectState.DLT) for n in numbers}

    # Pass 1: which levels reached the safety outcome on their own data.
    unsafe = {n: _is_unsafe(_design_result(esc, n=evaluable[n], dlts=dlts[n])[0]) for n in numbers}
    first_unsafe = next((n for n in numbers if unsafe[n]), None)

    def eliminated(level: int) -> bool:
        return first_unsafe is not None and level >= first_unsafe

    word = "eliminated" if esc.design == "boin" else "closed (MTD exceeded)"
    summaries: list[LevelSummary] = []
    for position, dose in enumerate(dose_levels):
        level = dose.level
        higher = numbers[position + 1] if position + 1 < len(numbers) else None
        admissible_below = [n for n in numbers[:position] if not eliminated(n)]
        lower = admissible_below[-1] if admissible_below else None
        pending = sum(1 for s in by_level[level] if s.pending)
        result, no_result_reason = _design_result(
            esc,
            n=evaluable[level],
            dlts=dlts[level],
            highest=higher is None,
            lowest=position == 0,
            next_eliminated=higher is not None and eliminated(higher),
        )

        if result is None:
            recommendation, why = PENDING, no_result_reason
            said = [Message("level.waiting", {"pending": pending})] if pending else []
            said.append(
                Message("level.no_evaluable")
                if evaluable[level] == 0
                else Message("level.tpt_incomplete", {"n": evaluable[level]})
            )
        elif unsafe[level] or pending == 0:
            recommendation, why = str(result.decision), result.reason
            said = _design_messages(result, highest=higher is None)
        else:
            recommendation = PENDING
            why = (
                f"{pending} subject(s) at this level not through the DLT window; the "
                f"recommendation waits for them (so far: {result.reason})"
            )
            said = [
                Message("level.waiting", {"pending": pending}),
                *_design_messages(result, highest=higher is None),
            ]

        if eliminated(level):
            next_level = lower
            by = "its own DLTs" if level == first_unsafe else f"level {first_unsafe}"
            why += f"; level {word} by {by}"
            said.append(
                Message("level.removed_own", {"design": esc.design})
                if level == first_unsafe
                else Message("level.removed_by", {"design": esc.design, "level": first_unsafe})
            )
            if lower is None:
                why += "; no admissible lower level: stop the trial"
                said.append(Message("level.no_lower_stop"))
        elif recommendation == PENDING:
            next_level = None
        elif recommendation in (BoinDecision.STAY, ThreePlusThreeDecision.EXPAND_TO_6):
            next_level = level
        elif recommendation == ThreePlusThreeDecision.ESCALATE:
            if higher is None:
                next_level = level
                why += "; no higher dose level: stay (MTD not reached at the highest level)"
                said.append(Message("level.highest_stay"))
            elif eliminated(higher):
                next_level = level
                why += f"; the next higher level {higher} is {word}: stay"
                said.append(
                    Message("level.next_removed_stay", {"design": esc.design, "level": higher})
                )
            else:
                next_level = higher
        elif recommendation == BoinDecision.ESCALATE:
            next_level = higher  # boin_decide already stays at the highest / below eliminated
        else:  # BOIN de-escalate (boin_decide already stays at the lowest)
            next_level = lower

        treated = sum(1 for s in by_level[level] if s.infusion_date is not None)
        not_evaluable = count(level, SubjectState.NOT_EVALUABLE)
        counts = (
            f"level {level} ({dose.label}): {len(by_level[level])} assigned, {treated} treated, "
            f"{dlts[level]} DLT(s) in {evaluable[level]} DLT-evaluable, {pending} pending"
        )
        summaries.append(
            LevelSummary(
                level=level,
                label=dose.label,
                assigned=len(by_level[level]),
                treated=treated,
                evaluable=evaluable[level],
                dlts=dlts[level],
                pending=pending,
                not_evaluable=not_evaluable,
                recommendation=recommendation,
                next_level=next_level,
                eliminated=eliminated(level),
                eliminated_by_level=first_unsafe if eliminated(level) else None,
                stop_trial=eliminated(level) and lower is None,
                design_result=result,
                row=result.row if isinstance(result, BoinDecisionResult) else None,
                rule_row=_rule_row(result),
                reason=f"{counts}: {recommendation}: {why}",
                subjects=tuple(by_level[level]),
                messages=tuple(said),
            )
        )
    return summaries


# --------------------------------------------------------------------------- assignment


def _cohort_order_key(status: SubjectStatus) -> tuple[bool, dt.date, str]:
    # Infused subjects by infusion date, then those not yet infused (the most recent assignments).
    when = status.infusion_date or status.planned_infusion_date or dt.date.max
    return (status.infusion_date is None, when, status.subject_id)


def decide_assignment(
    *,
    escalation: Escalation,
    current_level: int,
    subjects: Sequence[CohortSubject],
    today: dt.date,
    planned_infusion_date: dt.date | None = None,
) -> AssignmentDecision:
    """May the next subject be assigned to `current_level` today? Every blocking rule, with why.

    `subjects` are all subjects assigned so far, at every level. `planned_infusion_date` is when
    the new subject would be infused (default `today`), used by the sentinel rule. See the module
    docstring for the rules. Source: `COHORT_RULE_SECTION`.
    """
    esc = _escalation(escalation)
    day = _date(today, "today")
    numbers = sorted(d.level for d in esc.dose_levels)
    level = _level_number(current_level, "current_level", numbers)
    start = _optional_date(planned_infusion_date, "planned_infusion_date") or day
    if start < day:
        raise ArgumentError(
            "planned_infusion_date",
            f"{start.isoformat()} is before today ({day.isoformat()})",
        )
    summaries = level_summary(escalation=esc, subjects=subjects, today=day)
    summary = next(s for s in summaries if s.level == level)
    in_trial = sum(
        1 for s in summaries for status in s.subjects if status.counts_toward_sample_size
    )

    blocks: list[AssignmentBlock] = []
    if in_trial >= esc.max_sample_size:
        blocks.append(
            AssignmentBlock(
                BlockCode.MAX_SAMPLE_SIZE,
                f"maximum sample size reached: {in_trial} subject(s) in the trial, "
                f"the protocol allows {esc.max_sample_size}",
            )
        )
    if summary.eliminated:
        by = summary.eliminated_by_level
        what = "eliminated (BOIN)" if esc.design == "boin" else "closed: MTD exceeded (3+3)"
        source = "by its own DLTs" if by == level else f"because level {by} is"
        message = f"level {level} is {what} {source}"
        if summary.stop_trial:
            message += "; no admissible lower level: the trial stops"
        else:
            message += f"; assign at level {summary.next_level} instead"
        blocks.append(AssignmentBlock(BlockCode.ELIMINATED, message))

    counted = sorted(
        (s for s in summary.subjects if s.state is not SubjectState.NOT_EVALUABLE),
        key=_cohort_order_key,
    )
    in_cohort = len(counted) % esc.cohort_size
    earliest: dt.date | None = None
    if counted and in_cohort == 0:
        open_ids = [s.subject_id for s in counted if s.pending]
        if open_ids:
            blocks.append(
                AssignmentBlock(
                    BlockCode.COHORT_FULL,
                    f"cohort full: the current cohort of {esc.cohort_size} at level {level} is "
                    f"complete and {len(open_ids)} subject(s) are not through the DLT window "
                    f"({', '.join(open_ids)}); wait for their DLT assessments",
                )
            )
        elif (
            not summary.eliminated
            and summary.recommendation != PENDING
            and summary.next_level != level
        ):
            blocks.append(
                AssignmentBlock(
                    BlockCode.DECISION_DUE,
                    f"the cohort at level {level} is complete and the {esc.design} design "
                    f"recommends {summary.recommendation} (to level {summary.next_level}): "
                    "record the cohort decision before assigning",
                )
            )
    elif in_cohort == 1 and esc.sentinel_days > 0:
        sentinel = counted[-1]
        interval = f"{esc.sentinel_days} day(s)"
        if sentinel.infusion_date is None:
            if sentinel.planned_infusion_date is not None:
                earliest = sentinel.planned_infusion_date + dt.timedelta(days=esc.sentinel_days)
            blocks.append(
                AssignmentBlock(
                    BlockCode.SENTINEL,
                    f"sentinel rule: {sentinel.subject_id}, the first subject of the current "
                    f"cohort at level {level}, is not infused yet; the next subject may start "
                    f"{interval} after that infusion",
                )
            )
        else:
            allowed = sentinel.infusion_date + dt.timedelta(days=esc.sentinel_days)
            if start < allowed:
                earliest = allowed
                blocks.append(
                    AssignmentBlock(
                        BlockCode.SENTINEL,
                        f"sentinel rule: {sentinel.subject_id}, the first subject of the current "
                        f"cohort at level {level}, was infused on "
                        f"{sentinel.infusion_date.isoformat()}; the next subject may be infused "
                        f"{interval} later, from {allowed.isoformat()} "
                        f"(would start {start.isoformat()})",
                    )
                )

    if blocks:
        reason = "; ".join(block.message for block in blocks)
    else:
        reason = (
            f"level {level} ({summary.label}) is open: the subject would be number "
            f"{in_cohort + 1} of the current cohort of {esc.cohort_size}; "
            f"{in_trial} of at most {esc.max_sample_size} subject(s) in the trial"
        )
    return AssignmentDecision(
        level=None if blocks else level,
        blocked=bool(blocks),
        reason=reason,
        blocks=tuple(blocks),
        current_level=level,
        summary=summary,
        subjects_in_trial=in_trial,
        max_sample_size=esc.max_sample_size,
        earliest_start_date=earliest,
    )
