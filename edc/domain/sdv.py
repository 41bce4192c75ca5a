"""Which saved forms need source-data verification, and when a form counts as verified.

The protocol file names the forms verified at 100 % (eligibility, dosing, infusion, adverse
events and SAEs, DLT assessment: `sdv.full`) and a sampling rate for every other form
(`sdv.sampling_rate`, 0 to 1). Which subjects' other forms are checked is drawn per subject and
form, reproducibly: the first 8 bytes of SHA-256("<registry id>|<subject key>|<form code>") read as
an integer in [0, 2**64) and divided by 2**64 give a number in [0, 1); the form is in the sample
when that number is below the rate. The subject key is the subject's permanent record key (given
at screening, before any subject id), so neither a re-run, a new subject nor a new protocol
version with the same rate ever changes who was drawn; raising the rate only adds forms.
A form is source-verified when the monitor marks it as a whole or marks every one of its fields.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass


def sample_draw(registry_id: str, subject_key: str, crf_code: str) -> float:
    """The subject's reproducible draw in [0, 1) for one form (see the module docstring)."""
    digest = hashlib.sha256(f"{registry_id}|{subject_key}|{crf_code}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def is_sampled(registry_id: str, subject_key: str, crf_code: str, rate: float) -> bool:
    return sample_draw(registry_id, subject_key, crf_code) < rate


def requires_sdv(
    *, full: Collection[str], rate: float, registry_id: str, subject_key: str, crf_code: str
) -> bool:
    """Whether this subject's form is to be verified: always for a 100 % form, else if drawn."""
    return crf_code in full or is_sampled(registry_id, subject_key, crf_code, rate)


def is_source_verified(
    *, whole_form: bool, fields: Iterable[str], verified_fields: Collection[str]
) -> bool:
    """Marked as a whole, or every field of the form marked one by one."""
    names = list(fields)
    return whole_form or (bool(names) and all(name in verified_fields for name in names))


@dataclass(frozen=True)
class Progress:
    required: int
    done: int

    @property
    def percent(self) -> int | None:
        """Whole per cent of the required forms verified; None when none is required."""
        return None if not self.required else self.done * 100 // self.required

    def __add__(self, other: Progress) -> Progress:
        return Progress(self.required + other.required, self.done + other.done)
