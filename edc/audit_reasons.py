"""Reasons the system writes itself, shown in the reader's language.

The audit trail keeps a reason as it was written (the record of what happened, in English when
the system wrote it). Each app registers the reasons its services write, as a pattern with named
groups and a translated template, so the audit trail shows "访视已完成" to a Chinese reader; a
reason a person typed matches no pattern and is shown as typed. A group named `parts` holds
"; "-separated reasons (a screen failure's criteria and the investigator's reason), each shown
in turn.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from edc.audit import INITIAL_ENTRY

_REASONS: list[tuple[re.Pattern[str], Promise]] = []


def register_system_reasons(reasons: Iterable[tuple[str, Promise]]) -> None:
    """Register (pattern, template) pairs; the pattern must match the whole reason."""
    for pattern, template in reasons:
        compiled = re.compile(pattern)
        if all(existing.pattern != compiled.pattern for existing, _ in _REASONS):
            _REASONS.append((compiled, template))


def reason_display(reason: str) -> str:
    """The reason in the active language when the system wrote it, else as written."""
    for pattern, template in _REASONS:
        match = pattern.fullmatch(reason)
        if match is None:
            continue
        params = match.groupdict()
        if "parts" in params:
            params["parts"] = "; ".join(reason_display(p) for p in params["parts"].split("; "))
        return str(template) % params
    return reason


CORE_REASONS = [
    (re.escape(INITIAL_ENTRY), _("Initial entry")),
    (r"Superseded by amendment v(?P<version>\S+)", _("Superseded by amendment v%(version)s")),
]
register_system_reasons(CORE_REASONS)
