"""The escalation dashboard's explanations in the reader's language.

`dosing.domain.cohorts.level_summary` says why as message codes with parameters
(`LevelSummary.messages`); this catalogue maps each code to a translated sentence, and names the
recommendation codes, so the committee reads "Why" in words, not the engine's English.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from edc.domain.messages import Message

CATALOGUE: dict[str, Promise] = {
    "level.no_evaluable": _("no DLT-evaluable subject yet"),
    "level.tpt_incomplete": _(
        "%(n)s DLT-evaluable subject(s): the 3+3 rule decides on a complete cohort of 3 or 6"
    ),
    "level.boin_eliminate": _(
        "%(dlts)s DLT(s) in %(n)s subject(s) reach the elimination boundary (%(boundary)s): "
        "eliminate this and every higher dose, de-escalate"
    ),
    "level.boin_deescalate": _(
        "%(dlts)s DLT(s) in %(n)s subject(s) reach the de-escalation boundary (%(boundary)s)"
    ),
    "level.boin_escalate": _(
        "%(dlts)s DLT(s) in %(n)s subject(s) are within the escalation boundary (%(boundary)s)"
    ),
    "level.boin_stay": _(
        "%(dlts)s DLT(s) in %(n)s subject(s): between the escalation (%(escalate)s) and "
        "de-escalation (%(deescalate)s) boundaries"
    ),
    "level.boin_highest_stay": _("this is the highest dose: stay"),
    "level.boin_next_eliminated_stay": _("the next higher dose is eliminated: stay"),
    "level.boin_lowest_stay": _("this is the lowest dose: stay"),
    "level.boin_lowest_eliminated": _("the lowest dose is eliminated: stop the trial (no MTD)"),
    "level.tpt_mtd_exceeded": _(
        "%(dlts)s of %(n)s subjects with a DLT: MTD exceeded, stop escalating and de-escalate"
    ),
    "level.tpt_expand": _("%(dlts)s of %(n)s subjects with a DLT: treat 3 more at this dose"),
    "level.tpt_escalate": _("%(dlts)s of %(n)s subjects with a DLT: escalate"),
    "level.waiting": _("waiting for %(pending)s subject(s) still in the DLT window; so far:"),
    "level.removed_own": _("this level is closed by its own DLTs"),
    "level.removed_by": _("this level is closed by the DLTs at level %(level)s"),
    "level.no_lower_stop": _("no admissible lower level: stop the trial"),
    "level.highest_stay": _("no higher dose level: stay (MTD not reached at the highest level)"),
    "level.next_removed_stay": _("the next higher level %(level)s is closed: stay"),
}

RECOMMENDATION_LABELS: dict[str, Promise] = {
    "pending": _("pending"),
    "escalate": _("escalate"),
    "stay": _("stay"),
    "deescalate": _("de-escalate"),
    "deescalate_and_eliminate": _("de-escalate and eliminate"),
    "expand_to_6": _("expand to 6"),
    "mtd_exceeded": _("MTD exceeded"),
}


def render_message(message: Message) -> str:
    return str(CATALOGUE[message.code]) % {k: str(v) for k, v in message.params.items()}


def why(messages: tuple[Message, ...]) -> str:
    """A level's explanation as one readable sentence ("waiting ...; so far:" leads into the
    design's result, so that one is followed by a space, the others by a semicolon)."""
    text, lead_in = "", False
    for message in messages:
        part = render_message(message)
        text = part if not text else f"{text} {part}" if lead_in else f"{text}; {part}"
        lead_in = message.code == "level.waiting"
    return text


def recommendation_label(code: str) -> str:
    return str(RECOMMENDATION_LABELS.get(code, code))
