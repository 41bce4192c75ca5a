"""Conditions on a subject that make a form expected (`crfs[].expected_if` in a protocol file).

A condition is derived from the subject's data by a pure rule of the app that owns the data (the
follow-up app decides HBV-DNA monitoring from the screening infection screen); the app registers
its evaluator here, so the core offers the form, and the casebook says why, without knowing the
rule. A condition no app evaluates is never met: its forms are not offered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from edc.models import Subject


@dataclass(frozen=True)
class ConditionResult:
    met: bool
    # Why, in the reader's language ("HBV-DNA monitoring required: HBcAb positive at screening").
    explanation: str = ""


# code -> (subject, lang) -> ConditionResult
_EVALUATORS: dict[str, Callable[..., ConditionResult]] = {}


def register_subject_condition(code: str, evaluate: Callable[..., ConditionResult]) -> None:
    existing = _EVALUATORS.get(code)
    if existing is not None and existing is not evaluate:
        raise ValueError(f"subject condition {code!r} is already registered")
    _EVALUATORS[code] = evaluate


def subject_conditions(subject: Subject, lang: str = "en") -> dict[str, ConditionResult]:
    """Every registered condition of one subject (met or not), by code."""
    return {code: evaluate(subject, lang=lang) for code, evaluate in _EVALUATORS.items()}


def conditions_met(subject: Subject) -> frozenset[str]:
    return frozenset(code for code, r in subject_conditions(subject).items() if r.met)
