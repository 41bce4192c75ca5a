"""Eligibility engine: a protocol's criteria and one subject's screening data -> an assessment.

Pure Python (no Django, no clock): the caller passes `now` and every value. The criteria come from
the protocol definition file (`edc/domain/protocol.py`, schema 1); this module decides them.

Semantics (RULE_VERSION):
- A rule tree is evaluated in three-valued (Kleene) logic. A leaf is True, False or unknown;
  `all` is False if any child is False, else unknown if any child is unknown, else True; `any` is
  the dual; `not` swaps True and False and keeps unknown.
- A data leaf (lab, measure, result) without a window uses the most recent value dated on or
  before its reference date (`before`: the enrolment, screening or consent date of the snapshot).
  A windowed leaf (`within_days`, `within_hours`, `during`) uses the most recent value dated on
  or before the assessment (the enrolment date): the window opens at its reference and runs to
  the assessment, so an echocardiogram done during screening is "within 8 weeks of screening".
  `during: screening` takes only values of the screening period (on or after the consent date):
  "at screening" criteria never count a value from before screening. Values dated after the end
  are ignored. Among values of the same date the timed one wins over a date-only one, then the
  later time, then the one given last. With `within_days` that value must be dated no earlier than
  `reference date - within_days` (so "within 7 days before enrolment" includes day -7 and
  excludes day -8). A leaf is unknown (missing data) when there is no such value, when the latest
  value lies outside the window (an older value never replaces it), or when an `x_uln`/`x_lln`
  rule meets a value without its ULN/LLN, except where `ASSUMED_ULN` gives one (INR: 1.0, so
  1.5 x ULN is INR 1.5 absolute; the evidence says so).
- `within_hours` is measured back from a reference instant: `now` when the reference date is
  today (in `now`'s time zone), otherwise the end (midnight) of the reference date; it runs to
  the assessment instant (likewise `now` or the end of the enrolment date). A result with
  `tested_at` is inside when `instant - hours <= tested_at <= end`. A value with only a date
  (every lab and measure, and results without `tested_at`) is inside when its whole day lies
  inside the window, outside when its whole day lies before it, and otherwise unknown (missing
  data: the time is needed). Dates are read in `now`'s time zone.
- Lab values and absolute thresholds are converted to the analyte's canonical unit
  (`edc.domain.units.CANONICAL_UNIT`) with the factors of `CONVERSION_TABLE`, in Decimal, so a
  value on a threshold stays on it. `x_uln`/`x_lln` thresholds are the multiple of the ULN/LLN
  recorded with the value (the site laboratory's range). Comparisons are exact Decimal ones.
- Inclusion: rule True -> met, False -> not_met. Exclusion (the rule states the excluding
  condition): True -> not_met, False -> met. Unknown -> missing_data when a data leaf that decides
  the unknown lacks data, else needs_confirmation (only unconfirmed judgements).
- Confirmations. `Confirmation(key=criterion_id, met=...)` answers a criterion that needs the
  investigator (no rule, or `confirm: true`); `met` is the criterion's outcome (for an exclusion,
  met=True means the subject does not have the excluding condition). A criterion without a rule
  is needs_confirmation until confirmed. With a rule and `confirm: true` the criterion is met only
  when the rule part is met and the confirmation is met=True; either one not met -> not_met.
  `Confirmation(key=f"{criterion_id}/judgement/{n}", met=...)` answers the n-th judgement node of
  the rule (depth-first, from 0; see `judgement_keys`); there `met` is the truth of the judged
  finding, the leaf's value in the tree.
- `applies_to: female_of_childbearing_potential`: met (not applicable) for a male subject or a
  female not of childbearing potential; missing_data for a female whose childbearing potential
  is not recorded.
- A measure named `days_since_*` may be `NEVER` (Decimal infinity) when the CRF records "none":
  never transfused is more than 7 days since a transfusion, and not fewer than 183 days since
  another trial's treatment.
- Overall: eligible when every criterion is met, ineligible when any is not_met, else pending.
- Explanations. The English `reasons`, `window` and `note` strings are for logs and exports; a
  page renders the structured part instead, in the reader's language: each `Evidence` carries its
  window as `windows` (messages), whether the value used lies inside it (`in_window`), and why no
  value could be used (`problem`); each `CriterionResult.messages` says what decided the criterion
  beyond its evidence (rule summary, confirmation, applicability). A `Message` is a code from
  `MESSAGE_CODES` with named parameters; the UI's catalogue maps every code to a translated text.

Bad input (unknown stratum, a unit the analyte does not have, a name outside the format's
catalogue, contradictory subject data, an unknown confirmation key) raises `ArgumentError`, a
`ValueError` whose message starts with the argument's name (`snapshot.labs: ...`).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Literal, assert_never

from edc.domain.messages import Message
from edc.domain.protocol import (
    CATEGORICAL_TESTS,
    LAB_ANALYTES,
    MEASURES,
    AllRule,
    AnyRule,
    Criterion,
    JudgementRule,
    LabRule,
    MeasureRule,
    NotRule,
    ProtocolDefinition,
    ResultRule,
    Rule,
)
from edc.domain.units import CANONICAL_UNIT, CONVERSION_TABLE
from edc.domain.validation import ArgumentError

__all__ = [
    "ASSUMED_ULN",
    "MESSAGE_CODES",
    "NEVER",
    "RULE_VERSION",
    "SOURCE",
    "ArgumentError",
    "Confirmation",
    "CriterionResult",
    "EligibilityAssessment",
    "EligibilityStatus",
    "Evidence",
    "LabValue",
    "MeasureValue",
    "Message",
    "Outcome",
    "ResultValue",
    "ScreeningSnapshot",
    "assess_eligibility",
    "confirmation_keys",
    "criterion_label",
    "judgement_keys",
]

RULE_VERSION = (
    "eligibility 1.1: Kleene three-valued rule trees; latest value on or before the reference "
    "date, or within its window from the reference to the assessment (during screening: from "
    "consent); canonical-unit Decimal comparison"
)
SOURCE = "protocol definition files (edc/domain/protocol.py, schema 1): criteria and rule trees"

# "None recorded" for a days_since_* measure: never happened, infinitely long ago.
NEVER = Decimal("Infinity")

# The ULN an x_uln rule uses when the site laboratory gives none. INR is the patient's
# prothrombin-time ratio to the normal mean (raised to the ISI), so its normal is 1.0 by
# definition and "INR <= 1.5 x ULN" is judged as INR <= 1.5 (issue 9, correction 6).
ASSUMED_ULN: dict[str, Decimal] = {"inr": Decimal("1.0")}

Sex = Literal["F", "M"]
EvidenceKind = Literal["lab", "measure", "result", "judgement", "confirmation", "applicability"]


# ------------------------------------------------------------------------------------ inputs


@dataclass(frozen=True)
class LabValue:
    """One laboratory result; `lln`/`uln` are the site laboratory's limits, in `unit`."""

    analyte: str
    value: Decimal
    unit: str
    lln: Decimal | None
    uln: Decimal | None
    collected_on: dt.date


@dataclass(frozen=True)
class MeasureValue:
    """A recorded or derived number (age at consent, LVEF %, SLEDAI-2K, CrCl mL/min, ...)."""

    name: str
    value: Decimal
    measured_on: dt.date


@dataclass(frozen=True)
class ResultValue:
    """A categorical test result; `tested_at` (same date as `tested_on`) for hour windows."""

    test: str
    value: str
    tested_on: dt.date
    tested_at: dt.datetime | None = None


@dataclass(frozen=True)
class Confirmation:
    """The investigator's answer for a criterion id or a `"<id>/judgement/<n>"` key."""

    key: str
    met: bool
    note: str = ""


@dataclass(frozen=True)
class ScreeningSnapshot:
    """Everything the engine reads about one subject at one moment."""

    stratum: str
    sex: Sex
    childbearing_potential: bool | None
    consent_date: dt.date
    screening_date: dt.date
    enrolment_date: dt.date
    now: dt.datetime
    labs: tuple[LabValue, ...] = ()
    measures: tuple[MeasureValue, ...] = ()
    results: tuple[ResultValue, ...] = ()
    confirmations: tuple[Confirmation, ...] = ()


# ----------------------------------------------------------------------------------- results

# Every code a Message of this engine can carry; the UI's catalogue must translate each one.
MESSAGE_CODES: frozenset[str] = frozenset(
    {
        # window of a data leaf (Evidence.windows)
        "window.days", "window.hours", "window.during", "window.latest",
        # why a data leaf has no usable value (Evidence.problem)
        "missing.no_value", "missing.outside_window", "missing.time_needed", "missing.limit",
        # what the rule tree decided (CriterionResult.messages)
        "rule.inclusion_met", "rule.inclusion_not_met", "rule.excluding_present",
        "rule.excluding_absent", "rule.undecided_missing", "rule.undecided_judgement",
        # the investigator's confirmation of the criterion
        "confirmation.awaiting_criterion", "confirmation.awaiting_part", "confirmation.met",
        "confirmation.not_met",
        # a criterion for females of childbearing potential only
        "applicability.male", "applicability.not_childbearing", "applicability.unknown",
    }
)  # fmt: skip


class Outcome(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    MISSING_DATA = "missing_data"
    NEEDS_CONFIRMATION = "needs_confirmation"


class EligibilityStatus(StrEnum):
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    PENDING = "pending"


@dataclass(frozen=True)
class Evidence:
    """What one leaf compared, or one confirmation said.

    `satisfied` is the truth of the compared condition (for an exclusion rule, True means the
    excluding condition holds), None when it could not be decided; for kind "confirmation" it is
    the investigator's `met`. Lab values and thresholds are in the analyte's canonical unit.
    """

    kind: EvidenceKind
    name: str
    value: Decimal | str | None = None
    unit: str | None = None
    op: str | None = None
    threshold: str | None = None
    threshold_value: Decimal | None = None
    observed_on: dt.date | None = None
    observed_at: dt.datetime | None = None
    window: str | None = None
    satisfied: bool | None = None
    note: str = ""
    # The structured explanation a page renders (see the module docstring, "Explanations").
    windows: tuple[Message, ...] = ()
    in_window: bool | None = None  # the value used lies inside its window; None: no value/unsure
    problem: Message | None = None  # why no usable value (the leaf is then unknown)
    multiple: Decimal | None = None  # an x_uln/x_lln rule: the multiple ...
    limit: Literal["ULN", "LLN"] | None = None  # ... of which limit ...
    site_limit: Decimal | None = None  # ... and the site's limit, canonical unit
    limit_assumed: bool = False  # the site gave no limit: ASSUMED_ULN stood in for it
    any_of: tuple[str, ...] = ()  # a result rule: the results that satisfy it
    entered_value: Decimal | None = None  # a lab value as entered, when converted
    entered_unit: str | None = None
    item_zh: str | None = None  # a judgement's item in Chinese (the English one is in `item`)
    item: str = ""


@dataclass(frozen=True)
class CriterionResult:
    criterion_id: str
    number: str
    group: str
    kind: Literal["inclusion", "exclusion"]
    text: str
    text_zh: str | None
    outcome: Outcome
    evidence: tuple[Evidence, ...]
    reasons: tuple[str, ...]
    confirmation_keys: tuple[str, ...]  # every key this criterion takes (none if not applicable)
    unconfirmed_keys: tuple[str, ...] = ()  # those of them without a confirmation
    applicable: bool = True
    messages: tuple[Message, ...] = ()  # `reasons` beyond the evidence, as codes (docstring)

    @property
    def label(self) -> str:
        """A label unique within the stratum's checklist (see `criterion_label`)."""
        return criterion_label(kind=self.kind, group=self.group, number=self.number)


def criterion_label(*, kind: str, group: str, number: str) -> str:
    """`I-2c`, `E-8` for the common criteria, `I-SLE-1` for a stratum's own.

    Protocols number inclusion and exclusion criteria, and each stratum's own criteria, from 1, so
    the bare number is ambiguous on a checklist and in a refusal ("criteria 1, 3, 1").
    """
    prefix = "I" if kind == "inclusion" else "E"
    return f"{prefix}-{number}" if group == "common" else f"{prefix}-{group.upper()}-{number}"


@dataclass(frozen=True)
class EligibilityAssessment:
    status: EligibilityStatus
    stratum: str
    results: tuple[CriterionResult, ...]
    registry_id: str
    protocol_version: str
    assessed_at: dt.datetime
    rule_version: str = RULE_VERSION

    @property
    def failed(self) -> tuple[CriterionResult, ...]:
        """The criteria not met (non-empty exactly when ineligible)."""
        return tuple(r for r in self.results if r.outcome is Outcome.NOT_MET)

    @property
    def outstanding(self) -> tuple[CriterionResult, ...]:
        """The criteria waiting for data or for the investigator."""
        waiting = (Outcome.MISSING_DATA, Outcome.NEEDS_CONFIRMATION)
        return tuple(r for r in self.results if r.outcome in waiting)

    def result_for(self, criterion_id: str) -> CriterionResult:
        for result in self.results:
            if result.criterion_id == criterion_id:
                return result
        raise ArgumentError("criterion_id", f"{criterion_id!r} is not assessed for this stratum")


# ------------------------------------------------------------------------- confirmation keys


def _judgements(rule: Rule | None) -> Iterator[JudgementRule]:
    """The judgement nodes of a rule tree, depth-first, in file order."""
    if rule is None:
        return
    if isinstance(rule, JudgementRule):
        yield rule
    elif isinstance(rule, AllRule | AnyRule):
        for child in rule.rules:
            yield from _judgements(child)
    elif isinstance(rule, NotRule):
        yield from _judgements(rule.rule)


def judgement_keys(criterion: Criterion) -> list[tuple[str, str]]:
    """`(key, item text)` for each judgement node of the criterion's rule, depth-first from 0."""
    return [
        (f"{criterion.id}/judgement/{n}", node.item)
        for n, node in enumerate(_judgements(criterion.rule))
    ]


def confirmation_keys(criterion: Criterion) -> tuple[str, ...]:
    """Every key the criterion takes: its id if it needs confirmation, then its judgement keys."""
    own = (criterion.id,) if criterion.needs_confirmation else ()
    return own + tuple(key for key, _ in judgement_keys(criterion))


# ----------------------------------------------------------------------------- input checks

_FACTORS: dict[str, dict[str, Decimal]] = {
    analyte: dict(row.factors) for row in CONVERSION_TABLE for analyte in row.analytes
}


def _to_canonical(analyte: str, value: Decimal, unit: str) -> Decimal:
    """`value` in `unit` as the analyte's canonical unit (exact: a product of Decimals)."""
    factors = _FACTORS.get(analyte)
    return value if factors is None else value * factors[unit]


def _fmt(number: Decimal) -> str:
    if not number.is_finite():
        return "never" if number == NEVER else str(number)
    return format(number.normalize(), "f")


def _check_decimal(value: object, argument: str, what: str, *, minimum: int | None = 0) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ArgumentError(argument, f"{what} must be a finite Decimal; got {value!r}")
    if minimum is not None and value < minimum:
        raise ArgumentError(argument, f"{what} must be >= {minimum}; got {value}")


def _check_snapshot(definition: ProtocolDefinition, s: ScreeningSnapshot) -> None:
    strata = definition.stratum_codes()
    if s.stratum not in strata:
        raise ArgumentError(
            "snapshot.stratum", f"{s.stratum!r} is not a stratum of this protocol; known: {strata}"
        )
    if s.sex not in ("F", "M"):
        raise ArgumentError("snapshot.sex", f"must be 'F' or 'M'; got {s.sex!r}")
    if s.sex == "M" and s.childbearing_potential:
        raise ArgumentError("snapshot.childbearing_potential", "a male subject cannot be True")
    if s.screening_date < s.consent_date:
        raise ArgumentError(
            "snapshot.screening_date",
            f"{s.screening_date} is before the consent date {s.consent_date}",
        )
    if s.enrolment_date < s.screening_date:
        raise ArgumentError(
            "snapshot.enrolment_date",
            f"{s.enrolment_date} is before the screening date {s.screening_date}",
        )
    aware = s.now.tzinfo is not None
    for lab in s.labs:
        where = f"{lab.analyte} of {lab.collected_on}"
        if lab.analyte not in LAB_ANALYTES:
            raise ArgumentError("snapshot.labs", f"unknown analyte {lab.analyte!r}")
        factors = _FACTORS.get(lab.analyte)
        if factors is not None and lab.unit not in factors:
            raise ArgumentError(
                "snapshot.labs",
                f"{where}: {lab.unit!r} is not a unit of {lab.analyte}; expected one of "
                f"{', '.join(repr(u) for u in factors)}",
            )
        _check_decimal(lab.value, "snapshot.labs", f"{where} value")
        for limit, label in ((lab.lln, "LLN"), (lab.uln, "ULN")):
            if limit is not None:
                _check_decimal(limit, "snapshot.labs", f"{where} {label}")
        if lab.lln is not None and lab.uln is not None and lab.lln > lab.uln:
            raise ArgumentError("snapshot.labs", f"{where}: LLN {lab.lln} > ULN {lab.uln}")
    for measure in s.measures:
        if measure.name not in MEASURES:
            raise ArgumentError("snapshot.measures", f"unknown measure {measure.name!r}")
        if (
            measure.name.startswith("days_since_")
            and isinstance(measure.value, Decimal)
            and measure.value == NEVER
        ):
            continue
        _check_decimal(measure.value, "snapshot.measures", f"{measure.name} value", minimum=None)
    for result in s.results:
        allowed = CATEGORICAL_TESTS.get(result.test)
        if allowed is None:
            raise ArgumentError("snapshot.results", f"unknown test {result.test!r}")
        if result.value not in allowed:
            raise ArgumentError(
                "snapshot.results",
                f"{result.test} has no result {result.value!r}; allowed: {sorted(allowed)}",
            )
        if result.tested_at is not None:
            if (result.tested_at.tzinfo is not None) != aware:
                raise ArgumentError(
                    "snapshot.results",
                    f"{result.test} tested_at and now must both be time-zone aware or both naive",
                )
            if result.tested_at.date() != result.tested_on:
                raise ArgumentError(
                    "snapshot.results",
                    f"{result.test}: tested_at {result.tested_at} is not on tested_on "
                    f"{result.tested_on}",
                )
        if (
            result.test == "pregnancy_serum_hcg"
            and result.value == "not_applicable"
            and s.sex == "F"
            and s.childbearing_potential is True
        ):
            raise ArgumentError(
                "snapshot.results",
                "pregnancy_serum_hcg is recorded as not applicable for a female of "
                "childbearing potential",
            )
    known = {key for c in definition.eligibility for key in confirmation_keys(c)}
    seen: set[str] = set()
    for confirmation in s.confirmations:
        if confirmation.key not in known:
            raise ArgumentError(
                "snapshot.confirmations",
                f"{confirmation.key!r} is not a confirmation key of this protocol",
            )
        if confirmation.key in seen:
            raise ArgumentError("snapshot.confirmations", f"{confirmation.key!r} given twice")
        seen.add(confirmation.key)


def _check_rule_units(definition: ProtocolDefinition) -> None:
    for criterion in definition.eligibility:
        for leaf in _leaves(criterion.rule):
            if isinstance(leaf, LabRule) and leaf.value is not None:
                factors = _FACTORS.get(leaf.analyte)
                if factors is not None and leaf.unit not in factors:
                    raise ArgumentError(
                        "definition",
                        f"criterion {criterion.id}: {leaf.unit!r} is not a unit of {leaf.analyte}",
                    )


def _leaves(rule: Rule | None) -> Iterator[Rule]:
    if rule is None:
        return
    if isinstance(rule, AllRule | AnyRule):
        for child in rule.rules:
            yield from _leaves(child)
    elif isinstance(rule, NotRule):
        yield from _leaves(rule.rule)
    else:
        yield rule


# ------------------------------------------------------------------------------- evaluation

_OPS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}


@dataclass(frozen=True)
class _Node:
    """A node's value: True, False or None (unknown), the leaves (evidence indices) that decided
    it, and whether an unknown comes from missing data (rather than an unconfirmed judgement)."""

    value: bool | None
    causes: tuple[int, ...]
    missing: bool = False


@dataclass(frozen=True)
class _Observation:
    on: dt.date
    at: dt.datetime | None
    order: int
    value: Decimal | str
    unit: str | None = None
    lln: Decimal | None = None
    uln: Decimal | None = None

    def sort_key(self) -> tuple[dt.date, int, dt.datetime | None, int]:
        return (self.on, 0 if self.at is None else 1, self.at, self.order)


@dataclass(frozen=True)
class _Pick:
    observation: _Observation | None
    window: str
    problem: str | None  # why there is no usable value
    windows: tuple[Message, ...] = ()
    problem_message: Message | None = None

    @property
    def in_window(self) -> bool | None:
        """Inside its window: True; outside: False; no value, or its time is needed: None."""
        if self.observation is None:
            return None
        if self.problem_message is None:
            return True
        return False if self.problem_message.code == "missing.outside_window" else None


class _Evaluator:
    """Evaluates the criteria of one snapshot; collects evidence and reasons per criterion."""

    def __init__(self, snapshot: ScreeningSnapshot) -> None:
        self.snapshot = snapshot
        self.references = {
            "enrolment": snapshot.enrolment_date,
            "screening": snapshot.screening_date,
            "consent": snapshot.consent_date,
        }
        self.labs: dict[str, list[_Observation]] = {}
        for i, lab in enumerate(snapshot.labs):
            self.labs.setdefault(lab.analyte, []).append(
                _Observation(lab.collected_on, None, i, lab.value, lab.unit, lab.lln, lab.uln)
            )
        self.measures: dict[str, list[_Observation]] = {}
        for i, m in enumerate(snapshot.measures):
            self.measures.setdefault(m.name, []).append(
                _Observation(m.measured_on, None, i, m.value)
            )
        self.results: dict[str, list[_Observation]] = {}
        for i, r in enumerate(snapshot.results):
            self.results.setdefault(r.test, []).append(
                _Observation(r.tested_on, r.tested_at, i, r.value)
            )
        self.confirmations = {c.key: c for c in snapshot.confirmations}
        self.evidence: list[Evidence] = []
        self.leaf_reasons: list[str] = []
        self.criterion_id = ""
        self.judgement_count = 0

    # --------------------------------------------------------------------------- windows

    def _day_start(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(0), tzinfo=self.snapshot.now.tzinfo)

    def _reference_instant(self, day: dt.date) -> dt.datetime:
        now = self.snapshot.now
        return now if day == now.date() else self._day_start(day + dt.timedelta(days=1))

    def _pick(
        self,
        observations: list[_Observation],
        rule: LabRule | MeasureRule | ResultRule,
        what: str,
    ) -> _Pick:
        ref_name = rule.before
        ref_date = self.references[ref_name]
        days, hours = rule.within_days, rule.within_hours
        # A window runs to the assessment: a value taken during screening, after its reference,
        # still counts (an echo on screening day 10 is "within 8 weeks of screening").
        windowed = days is not None or hours is not None or rule.during is not None
        end_date = self.snapshot.enrolment_date if windowed else ref_date
        end_instant = min(self._reference_instant(end_date), self.snapshot.now)
        parts, messages = [], []
        start = ref_date
        if days is not None:
            start = ref_date - dt.timedelta(days=days)
            parts.append(f"within {days} days before {ref_name} ({start} to {end_date})")
            messages.append(
                Message(
                    "window.days",
                    {"days": days, "reference": ref_name, "start": start, "end": end_date},
                )
            )
        window_start = None
        if hours is not None:
            window_start = self._reference_instant(ref_date) - dt.timedelta(hours=hours)
            parts.append(
                f"within {hours} hours before {ref_name} "
                f"({window_start:%Y-%m-%d %H:%M} to {end_instant:%Y-%m-%d %H:%M})"
            )
            messages.append(
                Message(
                    "window.hours",
                    {
                        "hours": hours,
                        "reference": ref_name,
                        "start": window_start,
                        "end": end_instant,
                    },
                )
            )
        if rule.during is not None:
            parts.append(f"during screening ({self.snapshot.consent_date} to {end_date})")
            messages.append(
                Message("window.during", {"start": self.snapshot.consent_date, "end": end_date})
            )
        window = " and ".join(parts) or f"latest on or before {ref_name} ({ref_date})"
        if not messages:
            messages.append(Message("window.latest", {"reference": ref_name, "date": ref_date}))
        windows = tuple(messages)
        if windowed:  # the enrolment date is the assessment's date
            ref_name, ref_date = "enrolment", end_date

        candidates = [
            o
            for o in observations
            if o.on <= ref_date and not (hours is not None and o.at and o.at > end_instant)
        ]
        if not candidates:
            return _Pick(
                None,
                window,
                f"no {what} value on or before {ref_name} ({ref_date})",
                windows,
                Message(
                    "missing.no_value", {"what": what, "reference": ref_name, "date": ref_date}
                ),
            )
        latest = max(candidates, key=_Observation.sort_key)
        when = f"{latest.at:%Y-%m-%d %H:%M}" if latest.at else str(latest.on)
        outside = _Pick(
            latest,
            window,
            f"{what}: the latest value ({when}) is outside the window {window}",
            windows,
            Message("missing.outside_window", {"what": what, "when": latest.at or latest.on}),
        )
        if days is not None and latest.on < start:
            return outside
        if rule.during is not None and latest.on < self.snapshot.consent_date:
            return outside
        if window_start is not None:
            if latest.at is not None:
                if latest.at < window_start:
                    return outside
            else:
                day_start = self._day_start(latest.on)
                if day_start + dt.timedelta(days=1) <= window_start:
                    return outside
                if day_start < window_start:
                    return _Pick(
                        latest,
                        window,
                        f"{what}: the latest value is dated {latest.on} without a time; its time "
                        f"is needed to tell whether it is {window}",
                        windows,
                        Message("missing.time_needed", {"what": what, "date": latest.on}),
                    )
        return _Pick(latest, window, None, windows)

    # ----------------------------------------------------------------------------- leaves

    def _add(self, evidence: Evidence, reason: str) -> int:
        self.evidence.append(evidence)
        self.leaf_reasons.append(reason)
        return len(self.evidence) - 1

    def _missing(self, evidence: Evidence, problem: str | None) -> _Node:
        """An unknown leaf for lack of data; `problem` says what is missing (and so does the
        evidence's `problem` message)."""
        reason = problem or f"no usable {evidence.name} value"
        return _Node(
            None,
            (self._add(replace(evidence, note=_join(evidence.note, reason)), reason),),
            missing=True,
        )

    @staticmethod
    def _located(evidence: Evidence, pick: _Pick) -> Evidence:
        """The evidence with its window, whether the value is inside it, and its problem."""
        return replace(
            evidence, windows=pick.windows, in_window=pick.in_window, problem=pick.problem_message
        )

    def _decided(self, evidence: Evidence) -> _Node:
        return _Node(evidence.satisfied, (self._add(evidence, _compare_reason(evidence)),))

    def _lab(self, rule: LabRule) -> _Node:
        pick = self._pick(self.labs.get(rule.analyte, []), rule, rule.analyte)
        obs = pick.observation
        evidence = self._located(
            Evidence(kind="lab", name=rule.analyte, op=rule.op, window=pick.window), pick
        )
        if rule.value is not None:  # an absolute threshold, shown even when the value is missing
            assert rule.unit is not None
            threshold = _to_canonical(rule.analyte, rule.value, rule.unit)
            unit = CANONICAL_UNIT.get(rule.analyte, rule.unit)
            evidence = replace(
                evidence, threshold=f"{_fmt(threshold)} {unit}".rstrip(), threshold_value=threshold
            )
        if obs is not None:
            assert isinstance(obs.value, Decimal)
            assert obs.unit is not None
            unit = CANONICAL_UNIT.get(rule.analyte, obs.unit)
            evidence = replace(
                evidence,
                value=_to_canonical(rule.analyte, obs.value, obs.unit),
                unit=unit,
                observed_on=obs.on,
                note=f"entered as {_fmt(obs.value)} {obs.unit}" if obs.unit != unit else "",
                entered_value=obs.value if obs.unit != unit else None,
                entered_unit=obs.unit if obs.unit != unit else None,
            )
        if obs is None or pick.problem is not None:
            return self._missing(evidence, pick.problem)
        assert isinstance(evidence.value, Decimal)
        assert obs.unit is not None

        if rule.value is not None:
            if rule.analyte not in _FACTORS and rule.unit != obs.unit:
                raise ArgumentError(
                    "snapshot.labs",
                    f"{rule.analyte} in {obs.unit!r} cannot be compared with a threshold in "
                    f"{rule.unit!r} (no conversion is declared)",
                )
        else:
            multiple, limit, label = (
                (rule.x_uln, obs.uln, "ULN")
                if rule.x_uln is not None
                else (rule.x_lln, obs.lln, "LLN")
            )
            assert multiple is not None
            evidence = replace(
                evidence, threshold=f"{_fmt(multiple)} x {label}", multiple=multiple, limit=label
            )
            limit_note = f"site {label}"
            if limit is None and label == "ULN" and rule.analyte in ASSUMED_ULN:
                # Laboratories often print INR without a range; INR is already a ratio to normal.
                limit = ASSUMED_ULN[rule.analyte]
                evidence = replace(evidence, limit_assumed=True)
                limit_note = (
                    f"no {rule.analyte} ULN recorded: judged against {_fmt(multiple * limit)} "
                    f"absolute, ULN taken as"
                )
            if limit is None:
                problem = (
                    f"{rule.analyte}: the {label} of the value of {obs.on} is not recorded; it is "
                    f"needed for {_fmt(multiple)} x {label}"
                )
                evidence = replace(
                    evidence,
                    problem=Message(
                        "missing.limit",
                        {
                            "what": rule.analyte,
                            "limit": label,
                            "multiple": multiple,
                            "date": obs.on,
                        },
                    ),
                )
                return self._missing(evidence, problem)
            site_limit = _to_canonical(rule.analyte, limit, obs.unit)
            threshold = multiple * site_limit
            evidence = replace(
                evidence,
                threshold=f"{evidence.threshold} = {_fmt(threshold)} {evidence.unit}".rstrip(),
                threshold_value=threshold,
                site_limit=site_limit,
                note=_join(
                    evidence.note, f"{limit_note} {_fmt(site_limit)} {evidence.unit}".rstrip()
                ),
            )
        assert evidence.threshold_value is not None
        satisfied = _OPS[rule.op](evidence.value, evidence.threshold_value)
        return self._decided(replace(evidence, satisfied=satisfied))

    def _measure(self, rule: MeasureRule) -> _Node:
        pick = self._pick(self.measures.get(rule.measure, []), rule, rule.measure)
        obs = pick.observation
        evidence = self._located(
            Evidence(
                kind="measure",
                name=rule.measure,
                op=rule.op,
                threshold=_fmt(rule.value),
                threshold_value=rule.value,
                window=pick.window,
            ),
            pick,
        )
        if obs is not None:
            evidence = replace(evidence, value=obs.value, observed_on=obs.on)
        if obs is None or pick.problem is not None:
            return self._missing(evidence, pick.problem)
        assert isinstance(obs.value, Decimal)
        evidence = replace(
            evidence,
            satisfied=_OPS[rule.op](obs.value, rule.value),
            note="none recorded (never)" if obs.value == NEVER else "",
        )
        return self._decided(evidence)

    def _result(self, rule: ResultRule) -> _Node:
        pick = self._pick(self.results.get(rule.test, []), rule, rule.test)
        obs = pick.observation
        evidence = self._located(
            Evidence(
                kind="result",
                name=rule.test,
                op="in",
                threshold=f"one of: {', '.join(rule.any_of)}",
                window=pick.window,
                any_of=rule.any_of,
            ),
            pick,
        )
        if obs is not None:
            evidence = replace(evidence, value=obs.value, observed_on=obs.on, observed_at=obs.at)
        if obs is None or pick.problem is not None:
            return self._missing(evidence, pick.problem)
        return self._decided(replace(evidence, satisfied=obs.value in rule.any_of))

    def _judgement(self, rule: JudgementRule) -> _Node:
        key = f"{self.criterion_id}/judgement/{self.judgement_count}"
        self.judgement_count += 1
        confirmation = self.confirmations.get(key)
        if confirmation is None:
            evidence = Evidence(
                kind="judgement", name=key, note=rule.item, item=rule.item, item_zh=rule.item_zh
            )
            reason = f"awaiting the investigator's judgement ({key}): {rule.item}"
            return _Node(None, (self._add(evidence, reason),), missing=False)
        finding = "present" if confirmation.met else "absent"
        evidence = Evidence(
            kind="judgement",
            name=key,
            value=finding,
            satisfied=confirmation.met,
            note=_join(rule.item, confirmation.note),
            item=rule.item,
            item_zh=rule.item_zh,
        )
        reason = f"investigator's judgement ({key}): {finding}: {rule.item}"
        return _Node(confirmation.met, (self._add(evidence, _join(reason, confirmation.note)),))

    # ------------------------------------------------------------------------------ tree

    def evaluate(self, rule: Rule) -> _Node:
        if isinstance(rule, LabRule):
            return self._lab(rule)
        if isinstance(rule, MeasureRule):
            return self._measure(rule)
        if isinstance(rule, ResultRule):
            return self._result(rule)
        if isinstance(rule, JudgementRule):
            return self._judgement(rule)
        if isinstance(rule, NotRule):
            child = self.evaluate(rule.rule)
            value = None if child.value is None else not child.value
            return _Node(value, child.causes, child.missing)
        if isinstance(rule, AllRule | AnyRule):
            # Evaluate every child (no short cut) so that all evidence is recorded and the
            # judgement numbering follows the tree.
            children = [self.evaluate(child) for child in rule.rules]
            decisive = isinstance(rule, AnyRule)  # any: one True decides; all: one False
            deciding = [c for c in children if c.value is decisive]
            if deciding:
                return _Node(decisive, _causes(deciding))
            unknown = [c for c in children if c.value is None]
            if unknown:
                return _Node(None, _causes(unknown), any(c.missing for c in unknown))
            return _Node(not decisive, _causes(children))
        assert_never(rule)

    # ------------------------------------------------------------------------- criterion

    def assess(self, criterion: Criterion) -> CriterionResult:
        self.evidence, self.leaf_reasons = [], []
        self.criterion_id, self.judgement_count = criterion.id, 0
        s = self.snapshot

        def result(
            outcome: Outcome,
            reasons: list[str],
            keys: tuple[str, ...],
            messages: list[Message],
            *,
            applicable: bool = True,
        ) -> CriterionResult:
            return CriterionResult(
                criterion_id=criterion.id,
                number=criterion.number,
                group=criterion.group,
                kind=criterion.kind,
                text=criterion.text,
                text_zh=criterion.text_zh,
                outcome=outcome,
                evidence=tuple(self.evidence),
                reasons=tuple(dict.fromkeys(reasons)),
                confirmation_keys=keys,
                unconfirmed_keys=tuple(k for k in keys if k not in self.confirmations),
                applicable=applicable,
                messages=tuple(messages),
            )

        if criterion.applies_to == "female_of_childbearing_potential":
            if s.sex == "M" or s.childbearing_potential is False:
                who = "a male subject" if s.sex == "M" else "a female not of childbearing potential"
                reason = f"not applicable to {who}: applies to females of childbearing potential"
                self.evidence.append(
                    Evidence(kind="applicability", name="childbearing_potential", note=reason)
                )
                code = "applicability.male" if s.sex == "M" else "applicability.not_childbearing"
                return result(Outcome.MET, [reason], (), [Message(code)], applicable=False)
            if s.childbearing_potential is None:
                reason = (
                    "childbearing potential is not recorded for this female subject; the "
                    "criterion applies to females of childbearing potential"
                )
                self.evidence.append(
                    Evidence(kind="applicability", name="childbearing_potential", note=reason)
                )
                return result(
                    Outcome.MISSING_DATA,
                    [reason],
                    confirmation_keys(criterion),
                    [Message("applicability.unknown")],
                )

        keys = confirmation_keys(criterion)
        reasons: list[str] = []
        messages: list[Message] = []
        rule_outcome = Outcome.MET
        if criterion.rule is not None:
            node = self.evaluate(criterion.rule)
            rule_outcome, summary, code = _rule_outcome(criterion, node)
            reasons.append(summary)
            messages.append(Message(code))
            reasons.extend(self.leaf_reasons[i] for i in node.causes)

        confirmed: bool | None = True
        if criterion.needs_confirmation:
            confirmation = self.confirmations.get(criterion.id)
            confirmed = confirmation.met if confirmation else None
            if confirmation is None:
                what = (
                    "the criterion" if criterion.rule is None else "the part the data cannot decide"
                )
                reasons.append(f"awaiting investigator confirmation ({criterion.id}) of {what}")
                messages.append(
                    Message(
                        "confirmation.awaiting_criterion"
                        if criterion.rule is None
                        else "confirmation.awaiting_part"
                    )
                )
                self.evidence.append(
                    Evidence(kind="confirmation", name=criterion.id, note="not yet confirmed")
                )
            else:
                verdict = "met" if confirmation.met else "not met"
                reasons.append(_join(f"investigator confirmed: {verdict}", confirmation.note))
                messages.append(
                    Message(
                        "confirmation.met" if confirmation.met else "confirmation.not_met",
                        {"note": confirmation.note},
                    )
                )
                self.evidence.append(
                    Evidence(
                        kind="confirmation",
                        name=criterion.id,
                        value=verdict,
                        satisfied=confirmation.met,
                        note=confirmation.note,
                    )
                )

        if rule_outcome is Outcome.NOT_MET or confirmed is False:
            outcome = Outcome.NOT_MET
        elif rule_outcome is Outcome.MISSING_DATA:
            outcome = Outcome.MISSING_DATA
        elif rule_outcome is Outcome.NEEDS_CONFIRMATION or confirmed is None:
            outcome = Outcome.NEEDS_CONFIRMATION
        else:
            outcome = Outcome.MET
        return result(outcome, reasons, keys, messages)


def _rule_outcome(criterion: Criterion, node: _Node) -> tuple[Outcome, str, str]:
    """The rule part's outcome, its English summary and its message code."""
    inclusion = criterion.kind == "inclusion"
    if node.value is None:
        if node.missing:
            return Outcome.MISSING_DATA, "cannot be decided: data missing", "rule.undecided_missing"
        return (
            Outcome.NEEDS_CONFIRMATION,
            "cannot be decided without the investigator's judgement",
            "rule.undecided_judgement",
        )
    if inclusion:
        if node.value:
            return Outcome.MET, "inclusion condition met", "rule.inclusion_met"
        return Outcome.NOT_MET, "inclusion condition not met", "rule.inclusion_not_met"
    if node.value:
        return Outcome.NOT_MET, "excluding condition present", "rule.excluding_present"
    return Outcome.MET, "excluding condition absent", "rule.excluding_absent"


def _causes(nodes: list[_Node]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(i for node in nodes for i in node.causes))


def _join(first: str, second: str) -> str:
    return f"{first}; {second}" if first and second else first or second


def _compare_reason(e: Evidence) -> str:
    """One line saying what was compared: "alt 130 U/L on 2026-03-03 is not <= 3 x ULN = ..."."""
    when = f"{e.observed_at:%Y-%m-%d %H:%M}" if e.observed_at else str(e.observed_on)
    extra = f" ({e.note})" if e.note else ""
    if isinstance(e.value, Decimal):
        shown = f"{_fmt(e.value)} {e.unit or ''}".rstrip()
        verdict = "is" if e.satisfied else "is not"
        return f"{e.name} {shown} on {when} {verdict} {e.op} {e.threshold}{extra}"
    verdict = "is" if e.satisfied else "is not"
    return f"{e.name} {e.value!r} on {when} {verdict} {e.threshold}{extra}"


# ------------------------------------------------------------------------------------- entry


def assess_eligibility(
    *, definition: ProtocolDefinition, snapshot: ScreeningSnapshot
) -> EligibilityAssessment:
    """Assess every criterion of the snapshot's stratum (common + stratum) and the overall status.

    Units: lab values and thresholds in the analyte's canonical unit (CANONICAL_UNIT); measures as
    named (age in years, LVEF %, CrCl mL/min, days). Source: the protocol definition (SOURCE);
    semantics: the module docstring, versioned by RULE_VERSION. Raises ArgumentError (ValueError)
    naming the argument for bad input.
    """
    _check_snapshot(definition, snapshot)
    _check_rule_units(definition)
    evaluator = _Evaluator(snapshot)
    results = tuple(evaluator.assess(c) for c in definition.criteria_for(snapshot.stratum))
    if any(r.outcome is Outcome.NOT_MET for r in results):
        status = EligibilityStatus.INELIGIBLE
    elif all(r.outcome is Outcome.MET for r in results):
        status = EligibilityStatus.ELIGIBLE
    else:
        status = EligibilityStatus.PENDING
    return EligibilityAssessment(
        status=status,
        stratum=snapshot.stratum,
        results=results,
        registry_id=definition.protocol.registry_id,
        protocol_version=definition.protocol.version,
        assessed_at=snapshot.now,
    )
