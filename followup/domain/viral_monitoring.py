"""Which subjects need HBV-DNA monitoring after the infusion.

Source: AASLD 2018 hepatitis B guidance and the EASL 2017 HBV guideline on B-cell-depleting
therapy (anti-CD19/CD20 agents carry the highest reactivation risk): HBsAg-positive and
HBsAg-negative/anti-HBc-positive (resolved infection) patients are monitored with HBV DNA during
and after the therapy. Both protocols admit such subjects only when HBV DNA is below the limit at
screening, so every one of them is followed. The markers are those of the screening infection
screen.
"""

from __future__ import annotations

from dataclasses import dataclass

RULE = "HBV-DNA monitoring when HBsAg or HBcAb is positive at screening (AASLD 2018, EASL 2017)"
RESULTS = frozenset({"positive", "negative", ""})


@dataclass(frozen=True)
class HbvMonitoring:
    required: bool
    # The positive markers that require it, in order: "hbsag", "hbcab".
    because: tuple[str, ...]
    rule: str = RULE


def hbv_dna_monitoring(*, hbsag: str, hbcab: str) -> HbvMonitoring:
    """Required when either marker is positive; an empty result (not tested) requires nothing."""
    for name, value in (("hbsag", hbsag), ("hbcab", hbcab)):
        if value not in RESULTS:
            raise ValueError(f"{name} must be positive, negative or empty, not {value!r}")
    because = tuple(n for n, v in (("hbsag", hbsag), ("hbcab", hbcab)) if v == "positive")
    return HbvMonitoring(required=bool(because), because=because)
