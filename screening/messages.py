"""The eligibility engine's explanations in the reader's language.

The engine (`screening/domain/eligibility.py`) says why as message codes with parameters; this
catalogue maps every code to a translated sentence, and renders one evidence line (what was read,
the rule it met, the value with its unit and date, and whether it lies inside its window) in
clinical words. The English strings of the engine stay for logs and exports only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from screening.domain.eligibility import NEVER, Evidence, Message
from screening.evidence_labels import EVIDENCE_LABELS

CATALOGUE: dict[str, Promise] = {
    "window.days": gettext_lazy("within %(days)s days before %(reference)s (%(start)s to %(end)s)"),
    "window.hours": gettext_lazy(
        "within %(hours)s hours before %(reference)s (%(start)s to %(end)s)"
    ),
    "window.during": gettext_lazy("during screening (%(start)s to %(end)s)"),
    "window.latest": gettext_lazy("latest value on or before %(reference)s (%(date)s)"),
    "missing.no_value": gettext_lazy("no value on or before %(reference)s (%(date)s)"),
    "missing.outside_window": gettext_lazy(
        "the latest %(what)s value (%(when)s) is outside its window"
    ),
    "missing.time_needed": gettext_lazy(
        "the %(what)s value of %(date)s has no time; the time is needed for this window"
    ),
    "missing.limit": gettext_lazy(
        "the laboratory's %(limit)s for the %(what)s value of %(date)s is not recorded"
    ),
    "rule.inclusion_met": gettext_lazy("inclusion condition met"),
    "rule.inclusion_not_met": gettext_lazy("inclusion condition not met"),
    "rule.excluding_present": gettext_lazy("excluding condition present"),
    "rule.excluding_absent": gettext_lazy("excluding condition absent"),
    "rule.undecided_missing": gettext_lazy("cannot be decided yet: data missing"),
    "rule.undecided_judgement": gettext_lazy("needs your judgement of the items below"),
    "confirmation.awaiting_criterion": gettext_lazy("needs your confirmation"),
    "confirmation.awaiting_part": gettext_lazy(
        "needs your confirmation of what the data cannot show"
    ),
    "confirmation.met": gettext_lazy("the investigator confirmed: met"),
    "confirmation.not_met": gettext_lazy("the investigator confirmed: not met"),
    "applicability.male": gettext_lazy(
        "not applicable: applies to females of childbearing potential (male subject)"
    ),
    "applicability.not_childbearing": gettext_lazy(
        "not applicable: the subject is not of childbearing potential"
    ),
    "applicability.unknown": gettext_lazy(
        "childbearing potential is not recorded (see the pregnancy test form)"
    ),
}

REFERENCE_LABELS = {
    "enrolment": gettext_lazy("enrolment"),
    "screening": gettext_lazy("screening"),
    "consent": gettext_lazy("consent"),
}
RESULT_LABELS = {
    "positive": gettext_lazy("positive"),
    "negative": gettext_lazy("negative"),
    "not_applicable": gettext_lazy("not applicable"),
    "present": gettext_lazy("present"),
    "absent": gettext_lazy("absent"),
    "detectable": gettext_lazy("detectable"),
    "undetectable": gettext_lazy("undetectable"),
    "yes": gettext_lazy("yes"),
    "no": gettext_lazy("no"),
    "indeterminate": gettext_lazy("indeterminate"),
    "no_active_lesion": gettext_lazy("no active lesion"),
    "active_lesion": gettext_lazy("active lesion"),
}
OP_SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}
UNIT_DISPLAY = {"10^9/L": "×10⁹/L", "10^12/L": "×10¹²/L", "umol/L": "µmol/L"}


def number(value: Decimal) -> str:
    """A Decimal as written by hand: no exponent, no trailing zeros."""
    return format(value.normalize(), "f") if value.is_finite() else str(value)


def unit(code: str | None) -> str:
    return UNIT_DISPLAY.get(code or "", code or "")


def _param(name: str, value: object) -> str:
    """One parameter as the reader reads it: names labelled, dates and numbers formatted."""
    if name == "what":
        return str(EVIDENCE_LABELS.get(str(value), value))
    if name == "reference":
        return str(REFERENCE_LABELS.get(str(value), value))
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value) if timezone.is_aware(value) else value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return number(value)
    return str(value)


def render_message(message: Message) -> str:
    """The message in the active language (an unknown code is a bug: KeyError)."""
    params = {name: _param(name, value) for name, value in message.params.items()}
    text = str(CATALOGUE[message.code]) % params
    note = params.get("note")
    return f"{text} — {note}" if note and "%(note)s" not in str(CATALOGUE[message.code]) else text


def _zh() -> bool:
    return (get_language() or "en").startswith("zh")


@dataclass(frozen=True)
class EvidenceLine:
    """One thing the rule read, in clinical words."""

    label: str
    rule: str  # the condition, e.g. "≥ 1.5 ×10⁹/L", "≤ 3 × ULN (120 U/L)", "negative"
    value: str  # the value used with its unit, or "" when there is none
    when: str  # its date (and time)
    window: str  # the window it must fall in
    in_window: bool | None
    problem: str  # why no value could be used
    satisfied: bool | None  # the compared condition holds (None: undecided)
    kind: str


def _rule_text(e: Evidence) -> str:
    if e.kind == "result":
        return " / ".join(str(RESULT_LABELS.get(v, v)) for v in e.any_of)
    op = OP_SYMBOLS.get(e.op or "", e.op or "")
    if e.multiple is not None:
        text = f"{op} {number(e.multiple)} × {e.limit}"
        if e.threshold_value is not None:
            text += f" ({f'{number(e.threshold_value)} {unit(e.unit)}'.rstrip()})"
        if e.limit_assumed:
            text += " — " + _("no site %(limit)s recorded: %(limit)s taken as %(value)s") % {
                "limit": e.limit,
                "value": number(e.site_limit),
            }
        return text
    if e.threshold_value is None:
        return ""
    shown_unit = unit(e.unit) if e.kind == "lab" else ""
    return f"{op} {number(e.threshold_value)} {shown_unit}".rstrip()


def _value_text(e: Evidence) -> str:
    if e.value is None:
        return ""
    if isinstance(e.value, Decimal):
        if e.value == NEVER:
            return _("none recorded")
        text = f"{number(e.value)} {unit(e.unit) if e.kind == 'lab' else ''}".rstrip()
        if e.entered_value is not None:
            text += " " + _("(entered as %(value)s %(unit)s)") % {
                "value": number(e.entered_value),
                "unit": unit(e.entered_unit),
            }
        return text
    return str(RESULT_LABELS.get(e.value, e.value))


def merged(lines: list[EvidenceLine]) -> list[EvidenceLine]:
    """Lines of the same value (age >= 18 and age <= 70) as one, so each value shows once."""
    out: list[EvidenceLine] = []
    for line in lines:
        same = next(
            (
                i
                for i, o in enumerate(out)
                if (o.label, o.value, o.when, o.window)
                == (line.label, line.value, line.when, line.window)
            ),
            None,
        )
        if same is None:
            out.append(line)
            continue
        first = out[same]
        both = (first.satisfied, line.satisfied)
        out[same] = replace(
            first,
            rule=f"{first.rule}, {line.rule}",
            satisfied=False if False in both else None if None in both else True,
        )
    return out


def evidence_line(e: Evidence) -> EvidenceLine:
    """The evidence as a line of the checklist; judgements show the item the investigator judges."""
    if e.kind == "judgement":
        item = e.item_zh if _zh() and e.item_zh else e.item
        answer = "" if e.satisfied is None else str(RESULT_LABELS["yes" if e.satisfied else "no"])
        return EvidenceLine(item, "", answer, "", "", None, "", e.satisfied, e.kind)
    when = ""
    if e.observed_at is not None:
        when = _param("when", e.observed_at)
    elif e.observed_on is not None:
        when = e.observed_on.isoformat()
    return EvidenceLine(
        label=str(EVIDENCE_LABELS.get(e.name, e.name)),
        rule=_rule_text(e),
        value=_value_text(e),
        when=when,
        window="; ".join(render_message(m) for m in e.windows if m.code != "window.latest"),
        in_window=e.in_window,
        problem=render_message(e.problem) if e.problem else "",
        satisfied=e.satisfied,
        kind=e.kind,
    )
