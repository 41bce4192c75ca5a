"""A sentence as a code and named parameters: how the domain explains itself without a language.

The domain layer has no Django and so no gettext; it says why as a `Message`, and each app's
Django layer keeps a catalogue (code -> translated template) that renders it in the reader's
language. Parameters are values (dates, Decimals, ints) or names from the protocol format (an
analyte, a reference date), which the catalogue labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Message:
    code: str
    params: Mapping[str, object] = field(default_factory=dict)
