"""The laboratory picture of IEC-HS (ASTCT 2023, Hines et al., Transplant Cell Ther 2023; PMID
36906275; clinical-rules.md §4): which results show its features.

IEC-HS is an investigator's diagnosis recorded as an adverse event, never computed
(clinical-rules.md §4). What the EDC does is put the supporting labs side by side and say which
lie outside the site lab's range in the direction of a feature: hyperferritinaemia, cytopenias,
hypofibrinogenaemia, transaminase and bilirubin elevation, hypertriglyceridaemia and a raised LDH.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Feature(StrEnum):
    HYPERFERRITINAEMIA = "hyperferritinaemia"
    HYPOFIBRINOGENAEMIA = "hypofibrinogenaemia"
    CYTOPENIA = "cytopenia"
    LIVER_DYSFUNCTION = "liver_dysfunction"
    HYPERTRIGLYCERIDAEMIA = "hypertriglyceridaemia"
    RAISED_LDH = "raised_ldh"


# analyte -> (the direction that shows the feature, the feature), in the order a page lists them
FEATURE_OF: Mapping[str, tuple[str, Feature]] = {
    "ferritin": ("high", Feature.HYPERFERRITINAEMIA),
    "fibrinogen": ("low", Feature.HYPOFIBRINOGENAEMIA),
    "neutrophils": ("low", Feature.CYTOPENIA),
    "platelets": ("low", Feature.CYTOPENIA),
    "alt": ("high", Feature.LIVER_DYSFUNCTION),
    "ast": ("high", Feature.LIVER_DYSFUNCTION),
    "bilirubin": ("high", Feature.LIVER_DYSFUNCTION),
    "triglycerides": ("high", Feature.HYPERTRIGLYCERIDAEMIA),
    "ldh": ("high", Feature.RAISED_LDH),
}
IEC_HS_ANALYTES: tuple[str, ...] = tuple(FEATURE_OF)


@dataclass(frozen=True)
class LabValue:
    value: Decimal
    lln: Decimal | None
    uln: Decimal | None


def shows_feature(analyte: str, result: LabValue) -> bool:
    """Whether the result lies beyond the site lab's limit in its feature's direction (a limit
    the lab does not give cannot be crossed)."""
    direction, _ = FEATURE_OF[analyte]
    if direction == "high":
        return result.uln is not None and result.value > result.uln
    return result.lln is not None and result.value < result.lln


def iec_hs_features(latest: Mapping[str, LabValue]) -> list[Feature]:
    """The features the latest results show, each once, in `FEATURE_OF` order."""
    found = [
        FEATURE_OF[a][1] for a in IEC_HS_ANALYTES if a in latest and shows_feature(a, latest[a])
    ]
    return list(dict.fromkeys(found))
