"""Dose-level assignment decision support and per-level summaries (clinical-rules.md §6).

Pure domain tests: no database, no Django. Both seed protocols: CT1192 (BOIN, target 0.30,
max 12) and NCT07246096 (3+3, max 60); both have cohorts of 3, a 28-day DLT window and a 7-day
sentinel interval.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pytest

from dosing.domain.cohorts import (
    PENDING,
    AssignmentDecision,
    BlockCode,
    CohortSubject,
    LevelSummary,
    SubjectState,
    decide_assignment,
    level_summary,
)
from dosing.domain.escalation import BoinTableRow, UnknownDoseLevel
from edc.domain.protocol import Escalation, load_protocol_file
from edc.domain.validation import ArgumentError

PROTOCOLS = Path(__file__).resolve().parents[3] / "protocols"
BOIN = "ct1192.yaml"
THREE_PLUS_THREE = "nct07246096.yaml"
TODAY = dt.date(2025, 6, 1)


@cache
def _escalation(name: str) -> Escalation:
    return load_protocol_file(PROTOCOLS / name)[0].escalation


def _ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def done(
    subject_id: str, level: int = 1, *, dlt: bool = False, days_ago: int = 60
) -> CohortSubject:
    """A subject through the DLT window: evaluable, with or without a DLT."""
    return CohortSubject(subject_id, level, infusion_date=_ago(days_ago), evaluable=True, dlt=dlt)


def in_window(subject_id: str, level: int = 1, *, days_ago: int = 10) -> CohortSubject:
    return CohortSubject(subject_id, level, infusion_date=_ago(days_ago))


def assigned(subject_id: str, level: int = 1, planned: dt.date | None = None) -> CohortSubject:
    return CohortSubject(subject_id, level, planned_infusion_date=planned)


def cohort(level: int, dlts: int, size: int = 3, prefix: str = "") -> list[CohortSubject]:
    """`size` completed subjects at `level`, the first `dlts` of them with a DLT."""
    name = prefix or f"L{level}-"
    return [done(f"{name}{i}", level, dlt=i < dlts, days_ago=60 - i) for i in range(size)]


def _decide(
    file: str, level: int, subjects: list[CohortSubject], **kwargs: object
) -> AssignmentDecision:
    return decide_assignment(
        escalation=_escalation(file),
        current_level=level,
        subjects=subjects,
        today=TODAY,
        **kwargs,  # type: ignore[arg-type]
    )


def _codes(decision: AssignmentDecision) -> list[BlockCode]:
    return [block.code for block in decision.blocks]


def _summary(file: str, subjects: list[CohortSubject], level: int) -> LevelSummary:
    summaries = level_summary(escalation=_escalation(file), subjects=subjects, today=TODAY)
    return next(s for s in summaries if s.level == level)


# --------------------------------------------------------------------------- open levels


@pytest.mark.parametrize("file", [BOIN, THREE_PLUS_THREE])
@pytest.mark.parametrize("level", [1, 2, 3])
def test_assignment_is_allowed_when_level_has_no_subject(file: str, level: int) -> None:
    decision = _decide(file, level, [])

    assert decision.blocked is False
    assert decision.level == level
    assert decision.blocks == ()
    assert "number 1 of the current cohort of 3" in decision.reason


# --------------------------------------------------------------------------- cohort full


@pytest.mark.parametrize("file", [BOIN, THREE_PLUS_THREE])
@pytest.mark.parametrize(
    ("subjects", "blocked"),
    [
        ([in_window("A", days_ago=20), in_window("B", days_ago=12), in_window("C")], True),
        ([done("A", dlt=True, days_ago=20), in_window("B", days_ago=12), in_window("C")], True),
        ([in_window("A", days_ago=20), in_window("B", days_ago=12), assigned("C")], True),
        ([done("A", days_ago=40), done("B", days_ago=30), in_window("C", days_ago=28)], True),
        ([done("A", days_ago=40), done("B", days_ago=30), in_window("C", days_ago=29)], True),
        ([in_window("A", days_ago=20), in_window("B", days_ago=12)], False),  # 2 of 3
        (
            [
                in_window("A", days_ago=20),
                in_window("B", days_ago=12),
                CohortSubject("C", 1, infusion_date=_ago(11), evaluable=False),  # to replace
            ],
            False,
        ),
        (
            [
                in_window("A", days_ago=20),
                in_window("B", days_ago=12),
                CohortSubject("C", 1, evaluable=False),  # withdrawn before infusion
            ],
            False,
        ),
    ],
)
def test_cohort_full_blocks_assignment_when_cohort_size_subjects_are_pending(
    file: str, subjects: list[CohortSubject], blocked: bool
) -> None:
    decision = _decide(file, 1, subjects)

    assert (BlockCode.COHORT_FULL in _codes(decision)) is blocked
    assert decision.blocked is blocked
    if blocked:
        assert decision.level is None
        assert "cohort full" in decision.reason


def test_cohort_full_names_open_subjects_when_blocked() -> None:
    subjects = [done("A", days_ago=40), in_window("B", days_ago=20), assigned("C")]

    decision = _decide(BOIN, 1, subjects)

    assert _codes(decision) == [BlockCode.COHORT_FULL]
    assert "2 subject(s) are not through the DLT window (B, C)" in decision.reason


def test_cohort_full_ignores_other_levels_when_current_level_is_open() -> None:
    subjects = [in_window("A", 1, days_ago=20), in_window("B", 1, days_ago=12), in_window("C", 1)]

    decision = _decide(THREE_PLUS_THREE, 2, subjects)

    assert decision.blocked is False
    assert decision.level == 2


# --------------------------------------------------------------------------- sentinel


@pytest.mark.parametrize("file", [BOIN, THREE_PLUS_THREE])
@pytest.mark.parametrize(
    ("sentinel_days_ago", "blocked"),
    [(0, True), (1, True), (6, True), (7, False), (8, False), (30, False)],
)
def test_sentinel_rule_blocks_second_subject_when_first_infused_less_than_7_days_ago(
    file: str, sentinel_days_ago: int, blocked: bool
) -> None:
    decision = _decide(file, 2, [in_window("S", 2, days_ago=sentinel_days_ago)])

    assert (BlockCode.SENTINEL in _codes(decision)) is blocked
    assert decision.blocked is blocked
    if blocked:
        allowed = _ago(sentinel_days_ago) + dt.timedelta(days=7)
        assert decision.earliest_start_date == allowed
        assert f"from {allowed.isoformat()}" in decision.reason
    else:
        assert decision.level == 2
        assert decision.earliest_start_date is None


@pytest.mark.parametrize(("start_in_days", "blocked"), [(3, True), (4, True), (5, False)])
def test_sentinel_rule_uses_planned_infusion_date_when_given(
    start_in_days: int, blocked: bool
) -> None:
    # Sentinel infused 2 days ago: the next infusion may be from today + 5 days.
    decision = _decide(
        BOIN,
        1,
        [in_window("S", days_ago=2)],
        planned_infusion_date=TODAY + dt.timedelta(days=start_in_days),
    )

    assert decision.blocked is blocked


def test_sentinel_rule_blocks_when_sentinel_not_yet_infused() -> None:
    planned = TODAY + dt.timedelta(days=5)

    decision = _decide(THREE_PLUS_THREE, 1, [assigned("S", planned=planned)])

    assert _codes(decision) == [BlockCode.SENTINEL]
    assert "is not infused yet" in decision.reason
    assert decision.earliest_start_date == planned + dt.timedelta(days=7)


def test_sentinel_rule_applies_to_second_cohort_when_expanding_a_level() -> None:
    # 3+3: 1/3 -> expand to 6; subject D, first of the second cohort, infused 3 days ago.
    subjects = [*cohort(1, dlts=1), in_window("D", days_ago=3)]

    decision = _decide(THREE_PLUS_THREE, 1, subjects)

    assert _codes(decision) == [BlockCode.SENTINEL]
    assert "D, the first subject of the current cohort" in decision.reason


def test_sentinel_rule_does_not_apply_when_third_subject_of_cohort() -> None:
    decision = _decide(BOIN, 1, [in_window("A", days_ago=9), in_window("B", days_ago=1)])

    assert decision.blocked is False
    assert "number 3 of the current cohort" in decision.reason


def test_sentinel_rule_is_off_when_protocol_has_no_sentinel_interval() -> None:
    escalation = _escalation(BOIN).model_copy(update={"sentinel_days": 0})

    decision = decide_assignment(
        escalation=escalation,
        current_level=1,
        subjects=[in_window("S", days_ago=0)],
        today=TODAY,
    )

    assert decision.blocked is False


# --------------------------------------------------------------------------- decision due


@pytest.mark.parametrize(
    ("file", "level", "dlts", "blocked", "next_level"),
    [
        (THREE_PLUS_THREE, 1, 0, True, 2),  # 0/3: escalate
        (THREE_PLUS_THREE, 1, 1, False, 1),  # 1/3: expand to 6 at the same level
        (THREE_PLUS_THREE, 3, 0, False, 3),  # 0/3 at the highest level: no higher dose
        (BOIN, 1, 0, True, 2),  # 0/3 <= 0: escalate
        (BOIN, 1, 1, False, 1),  # 1/3: stay
        (BOIN, 2, 2, True, 1),  # 2/3 >= 2: de-escalate
        (BOIN, 1, 2, False, 1),  # de-escalate from the lowest: stay
        (BOIN, 3, 0, False, 3),  # escalate from the highest: stay
    ],
)
def test_decision_due_blocks_when_complete_cohort_recommends_leaving_the_level(
    file: str, level: int, dlts: int, blocked: bool, next_level: int
) -> None:
    decision = _decide(file, level, cohort(level, dlts=dlts))

    assert (BlockCode.DECISION_DUE in _codes(decision)) is blocked
    assert decision.blocked is blocked
    assert decision.summary.next_level == next_level
    if blocked:
        assert "record the cohort decision" in decision.reason


def test_assignment_is_allowed_at_recommended_level_when_decision_recorded() -> None:
    decision = _decide(THREE_PLUS_THREE, 2, cohort(1, dlts=0))

    assert decision.blocked is False
    assert decision.level == 2


# --------------------------------------------------------------------------- elimination


def test_boin_level_is_eliminated_when_3_of_3_have_dlt() -> None:
    subjects = [*cohort(1, dlts=0), *cohort(2, dlts=3)]

    summaries = level_summary(escalation=_escalation(BOIN), subjects=subjects, today=TODAY)

    assert [(s.level, s.eliminated, s.eliminated_by_level) for s in summaries] == [
        (1, False, None),
        (2, True, 2),
        (3, True, 2),
    ]
    level2 = summaries[1]
    assert level2.recommendation == "deescalate_and_eliminate"
    assert level2.next_level == 1
    assert level2.stop_trial is False
    assert level2.row == BoinTableRow(
        n=3, escalate_if_dlt_le=0, deescalate_if_dlt_ge=2, eliminate_if_dlt_ge=3
    )
    # Level 1 (0/3) would escalate, but into an eliminated dose: stay.
    assert summaries[0].recommendation == "stay"
    assert summaries[0].next_level == 1


@pytest.mark.parametrize(("level", "blocked"), [(1, False), (2, True), (3, True)])
def test_assignment_is_blocked_when_boin_level_is_eliminated(level: int, blocked: bool) -> None:
    subjects = [*cohort(1, dlts=0), *cohort(2, dlts=3)]

    decision = _decide(BOIN, level, subjects)

    assert (BlockCode.ELIMINATED in _codes(decision)) is blocked
    assert decision.blocked is blocked
    if blocked:
        assert "assign at level 1 instead" in decision.reason


def test_trial_stops_when_lowest_boin_level_is_eliminated() -> None:
    decision = _decide(BOIN, 1, cohort(1, dlts=3))

    assert BlockCode.ELIMINATED in _codes(decision)
    assert decision.summary.stop_trial is True
    assert decision.summary.next_level is None
    assert "the trial stops" in decision.reason


def test_boin_elimination_applies_at_once_when_other_subjects_are_pending() -> None:
    subjects = [*cohort(1, dlts=3), in_window("D", days_ago=8)]

    summary = _summary(BOIN, subjects, 1)

    assert summary.pending == 1
    assert summary.eliminated is True
    assert summary.recommendation == "deescalate_and_eliminate"


def test_three_plus_three_level_is_closed_when_mtd_exceeded() -> None:
    subjects = [*cohort(1, dlts=0), *cohort(2, dlts=2)]

    summaries = level_summary(
        escalation=_escalation(THREE_PLUS_THREE), subjects=subjects, today=TODAY
    )

    assert [(s.level, s.eliminated, s.recommendation, s.next_level) for s in summaries] == [
        (1, False, "escalate", 1),  # escalate into a closed level: stay (expand at level 1)
        (2, True, "mtd_exceeded", 1),
        (3, True, PENDING, 1),
    ]
    assert _decide(THREE_PLUS_THREE, 1, subjects).blocked is False
    assert _codes(_decide(THREE_PLUS_THREE, 3, subjects)) == [BlockCode.ELIMINATED]


# --------------------------------------------------------------------------- sample size


def _trial_of(n_subjects: int) -> list[CohortSubject]:
    """n completed subjects at level 3 (in threes, no DLT) so that only the sample size matters."""
    return [done(f"S{i:02}", 3, days_ago=200 - i) for i in range(n_subjects)]


@pytest.mark.parametrize(("n_subjects", "blocked"), [(11, False), (12, True), (13, True)])
def test_max_sample_size_blocks_assignment_when_reached(n_subjects: int, blocked: bool) -> None:
    decision = _decide(BOIN, 3, _trial_of(n_subjects))

    assert (BlockCode.MAX_SAMPLE_SIZE in _codes(decision)) is blocked
    assert decision.subjects_in_trial == n_subjects
    assert decision.max_sample_size == 12
    if blocked:
        assert "maximum sample size reached" in decision.reason


def test_max_sample_size_ignores_subjects_withdrawn_before_infusion_when_counting() -> None:
    subjects = [*_trial_of(11), CohortSubject("W", 3, evaluable=False)]

    decision = _decide(BOIN, 3, subjects)

    assert decision.subjects_in_trial == 11
    assert BlockCode.MAX_SAMPLE_SIZE not in _codes(decision)


def test_max_sample_size_counts_infused_not_evaluable_subjects_when_counting() -> None:
    subjects = [
        *_trial_of(11),
        CohortSubject("X", 3, infusion_date=_ago(40), evaluable=False),
    ]

    decision = _decide(BOIN, 3, subjects)

    assert decision.subjects_in_trial == 12
    assert BlockCode.MAX_SAMPLE_SIZE in _codes(decision)


def test_all_blocking_rules_are_listed_when_several_apply() -> None:
    subjects = [*_trial_of(9), *cohort(1, dlts=3, prefix="E")]

    decision = _decide(BOIN, 1, subjects)

    assert _codes(decision) == [BlockCode.MAX_SAMPLE_SIZE, BlockCode.ELIMINATED]


# --------------------------------------------------------------------------- summaries


@pytest.mark.parametrize(
    ("n", "dlts", "recommendation", "next_level", "row"),
    [
        (3, 0, "escalate", 3, (0, 2, 3)),
        (3, 1, "stay", 2, (0, 2, 3)),
        (3, 2, "deescalate", 1, (0, 2, 3)),
        (3, 3, "deescalate_and_eliminate", 1, (0, 2, 3)),
        (6, 1, "escalate", 3, (1, 3, 4)),
        (6, 2, "stay", 2, (1, 3, 4)),
        (6, 3, "deescalate", 1, (1, 3, 4)),
        (6, 4, "deescalate_and_eliminate", 1, (1, 3, 4)),
        (2, 0, "escalate", 3, (0, 1, None)),  # BOIN decides at any n
    ],
)
def test_boin_summary_follows_decision_table_when_ct1192_level_2(
    n: int, dlts: int, recommendation: str, next_level: int, row: tuple[int, int, int | None]
) -> None:
    summary = _summary(BOIN, cohort(2, dlts=dlts, size=n), 2)

    assert (summary.evaluable, summary.dlts, summary.pending) == (n, dlts, 0)
    assert summary.recommendation == recommendation
    assert summary.next_level == next_level
    assert summary.row is not None
    assert summary.row.n == n
    got = (
        summary.row.escalate_if_dlt_le,
        summary.row.deescalate_if_dlt_ge,
        summary.row.eliminate_if_dlt_ge,
    )
    assert got == row
    assert summary.rule_row.startswith(f"BOIN target 0.3, n = {n}: escalate if DLT <= {row[0]}")


@pytest.mark.parametrize(
    ("n", "dlts", "recommendation", "next_level"),
    [
        (3, 0, "escalate", 3),
        (3, 1, "expand_to_6", 2),
        (3, 2, "mtd_exceeded", 1),
        (3, 3, "mtd_exceeded", 1),
        (6, 1, "escalate", 3),
        (6, 2, "mtd_exceeded", 1),
        (0, 0, PENDING, None),
        (1, 0, PENDING, None),
        (2, 1, PENDING, None),
        (4, 1, PENDING, None),
        (5, 1, PENDING, None),
        (9, 1, PENDING, None),
    ],
)
def test_three_plus_three_summary_is_pending_when_n_not_3_or_6(
    n: int, dlts: int, recommendation: str, next_level: int | None
) -> None:
    summary = _summary(THREE_PLUS_THREE, cohort(2, dlts=dlts, size=n), 2)

    assert summary.recommendation == recommendation
    assert summary.next_level == next_level
    assert summary.row is None
    if recommendation == PENDING:
        assert summary.design_result is None
        assert summary.rule_row == ""
    else:
        assert summary.rule_row.startswith(f"3+3, {n} patients: {dlts}/{n} DLT")


@pytest.mark.parametrize(
    ("file", "recommendation"),
    [
        (BOIN, PENDING),  # 2/3: de-escalate, which waits for the pending subjects
        (THREE_PLUS_THREE, "mtd_exceeded"),  # 2/3: MTD exceeded, a safety outcome, at once
    ],
)
def test_summary_counts_every_state_when_mixed_subjects(file: str, recommendation: str) -> None:
    subjects = [
        done("A", days_ago=60),
        done("B", dlt=True, days_ago=50),
        done("C", dlt=True, days_ago=5),  # DLT inside the window: evaluable at once
        in_window("D", days_ago=28),  # Day 28 is still in the window
        in_window("E", days_ago=29),  # window over, no assessment recorded
        assigned("F"),
        CohortSubject("G", 1, infusion_date=_ago(40), evaluable=False),
        CohortSubject("H", 1, evaluable=False),
        done("Z", 2, days_ago=45),
    ]

    summaries = level_summary(escalation=_escalation(file), subjects=subjects, today=TODAY)
    level1 = summaries[0]

    assert [s.level for s in summaries] == [1, 2, 3]
    counts = (
        level1.assigned,
        level1.treated,
        level1.evaluable,
        level1.dlts,
        level1.pending,
        level1.not_evaluable,
    )
    assert counts == (8, 6, 3, 2, 3, 2)
    assert {s.subject_id: s.state for s in level1.subjects} == {
        "A": SubjectState.EVALUABLE,
        "B": SubjectState.DLT,
        "C": SubjectState.DLT,
        "D": SubjectState.IN_WINDOW,
        "E": SubjectState.AWAITING_ASSESSMENT,
        "F": SubjectState.ASSIGNED,
        "G": SubjectState.NOT_EVALUABLE,
        "H": SubjectState.NOT_EVALUABLE,
    }
    assert level1.recommendation == recommendation
    if recommendation == PENDING:
        assert "3 subject(s) at this level not through the DLT window" in level1.reason
    assert (summaries[1].assigned, summaries[1].evaluable, summaries[1].pending) == (1, 1, 0)
    assert summaries[2].assigned == 0


def test_summary_waits_for_pending_windows_when_table_would_decide() -> None:
    subjects = [*cohort(1, dlts=0), in_window("D", days_ago=10)]

    summary = _summary(THREE_PLUS_THREE, subjects, 1)

    assert summary.recommendation == PENDING
    assert summary.next_level is None
    assert "so far: 0/3 DLT: escalate" in summary.reason


@pytest.mark.parametrize(
    ("window_end", "state"),
    [
        (TODAY, SubjectState.IN_WINDOW),
        (TODAY - dt.timedelta(days=1), SubjectState.AWAITING_ASSESSMENT),
        (None, SubjectState.IN_WINDOW),  # infused 10 days ago + 28 days
    ],
)
def test_dlt_window_end_is_taken_as_recorded_when_given(
    window_end: dt.date | None, state: SubjectState
) -> None:
    subject = CohortSubject("A", 1, infusion_date=_ago(10), dlt_window_end=window_end)

    (status,) = _summary(BOIN, [subject], 1).subjects

    assert status.state is state
    assert status.dlt_window_end == (window_end or _ago(10) + dt.timedelta(days=28))


@pytest.mark.parametrize("file", [BOIN, THREE_PLUS_THREE])
def test_summaries_cover_every_level_when_seed_protocol_has_no_subject(file: str) -> None:
    summaries = level_summary(escalation=_escalation(file), subjects=[], today=TODAY)

    assert [(s.level, s.label[:3], s.recommendation) for s in summaries] == [
        (1, "DL1", PENDING),
        (2, "DL2", PENDING),
        (3, "DL3", PENDING),
    ]
    assert all(s.reason.endswith("no DLT-evaluable subject yet") for s in summaries)


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("subject", "argument"),
    [
        (CohortSubject("A", 9), "subjects[0].dose_level"),
        (CohortSubject("A", True), "subjects[0].dose_level"),  # type: ignore[arg-type]
        (CohortSubject("", 1), "subjects[0].subject_id"),
        (
            CohortSubject("A", 1, infusion_date=TODAY + dt.timedelta(days=1)),
            "subjects[0].infusion_date",
        ),
        (CohortSubject("A", 1, infusion_date="2025-05-01"), "subjects[0].infusion_date"),  # type: ignore[arg-type]
        (
            CohortSubject("A", 1, infusion_date=dt.datetime(2025, 5, 1, 8)),
            "subjects[0].infusion_date",
        ),
        (CohortSubject("A", 1, dlt=True), "subjects[0].dlt"),  # DLT without infusion
        (CohortSubject("A", 1, evaluable=True), "subjects[0].evaluable"),  # without infusion
        (CohortSubject("A", 1, dlt_window_end=TODAY), "subjects[0].dlt_window_end"),
        (
            CohortSubject("A", 1, infusion_date=_ago(5), dlt_window_end=_ago(6)),
            "subjects[0].dlt_window_end",
        ),
        (
            CohortSubject("A", 1, infusion_date=_ago(5), dlt=True, evaluable=False),
            "subjects[0].evaluable",
        ),
        (CohortSubject("A", 1, infusion_date=_ago(5), dlt=1), "subjects[0].dlt"),  # type: ignore[arg-type]
        (CohortSubject("A", 1, infusion_date=_ago(5), evaluable=1), "subjects[0].evaluable"),  # type: ignore[arg-type]
        ({"subject_id": "A", "dose_level": 1}, "subjects[0]"),
    ],
)
def test_subjects_are_refused_when_invalid_or_contradictory(subject: object, argument: str) -> None:
    with pytest.raises(ArgumentError) as raised:
        level_summary(escalation=_escalation(BOIN), subjects=[subject], today=TODAY)  # type: ignore[list-item]

    assert raised.value.argument == argument


def test_unknown_dose_level_is_refused_with_its_own_error_when_not_in_protocol() -> None:
    with pytest.raises(UnknownDoseLevel):
        level_summary(escalation=_escalation(BOIN), subjects=[CohortSubject("A", 4)], today=TODAY)


def test_duplicate_subject_is_refused_when_listed_twice() -> None:
    with pytest.raises(ArgumentError) as raised:
        level_summary(
            escalation=_escalation(BOIN), subjects=[assigned("A"), assigned("A", 2)], today=TODAY
        )

    assert raised.value.argument == "subjects[1].subject_id"


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"current_level": 4}, "current_level"),
        ({"current_level": "1"}, "current_level"),
        ({"today": dt.datetime(2025, 6, 1, 9)}, "today"),
        ({"today": None}, "today"),
        ({"subjects": "A,B"}, "subjects"),
        ({"subjects": None}, "subjects"),
        ({"escalation": {"design": "3+3"}}, "escalation"),
        ({"planned_infusion_date": TODAY - dt.timedelta(days=1)}, "planned_infusion_date"),
        ({"planned_infusion_date": "2025-06-02"}, "planned_infusion_date"),
    ],
)
def test_assignment_refuses_input_when_invalid(kwargs: dict[str, object], argument: str) -> None:
    arguments: dict[str, object] = {
        "escalation": _escalation(BOIN),
        "current_level": 1,
        "subjects": [],
        "today": TODAY,
    }
    arguments.update(kwargs)

    with pytest.raises(ArgumentError) as raised:
        decide_assignment(**arguments)  # type: ignore[arg-type]

    assert raised.value.argument == argument
