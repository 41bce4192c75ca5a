"""Concomitant medications the safety reviews look for, recognised from what the site wrote.

CRS grading needs to know about tocilizumab, corticosteroids and anakinra; ICAHT review about
G-CSF and IVIG; infection review about antimicrobial prophylaxis. Sites write the name as on the
prescription (WHO-DD style free text, often in Chinese), and the ATC code when they know it, so
a drug is recognised by either: its ATC code (a listed class or substance), or one of a short list
of names and brand names, English or Chinese, found in the name as written.
"""

from __future__ import annotations

import re
from enum import StrEnum


class MedicationFlag(StrEnum):
    TOCILIZUMAB = "tocilizumab"
    CORTICOSTEROID = "corticosteroid"
    ANAKINRA = "anakinra"
    IVIG = "ivig"
    G_CSF = "g_csf"
    ANTIMICROBIAL_PROPHYLAXIS = "antimicrobial_prophylaxis"


# ATC prefixes (WHO ATC/DDD index): systemic glucocorticoids, the two interleukin inhibitors,
# normal human immunoglobulin, the granulocyte colony-stimulating factors.
FLAGGED_ATC: tuple[tuple[str, MedicationFlag], ...] = (
    ("L04AC07", MedicationFlag.TOCILIZUMAB),
    ("L04AC03", MedicationFlag.ANAKINRA),
    ("H02AB", MedicationFlag.CORTICOSTEROID),
    ("J06BA", MedicationFlag.IVIG),
    ("L03AA02", MedicationFlag.G_CSF),
    ("L03AA10", MedicationFlag.G_CSF),
    ("L03AA13", MedicationFlag.G_CSF),
    ("L03AA14", MedicationFlag.G_CSF),
)

# Antimicrobials are listed by name only: those given as prophylaxis after CAR-T (antiviral,
# Pneumocystis, antifungal, hepatitis B); the same drug given as treatment is flagged too, and
# the indication tells the reviewer which.
FLAGGED_NAMES: dict[MedicationFlag, tuple[str, ...]] = {
    MedicationFlag.TOCILIZUMAB: ("tocilizumab", "actemra", "roactemra", "托珠单抗", "雅美罗"),
    MedicationFlag.ANAKINRA: ("anakinra", "kineret", "阿那白滞素"),
    MedicationFlag.CORTICOSTEROID: (
        "dexamethasone", "methylprednisolone", "prednisolone", "prednisone", "hydrocortisone",
        "地塞米松", "甲泼尼龙", "甲强龙", "泼尼松", "强的松", "氢化可的松",
    ),
    MedicationFlag.IVIG: ("ivig", "immunoglobulin", "immune globulin", "丙种球蛋白", "免疫球蛋白"),
    MedicationFlag.G_CSF: (
        "filgrastim", "pegfilgrastim", "lenograstim", "g-csf", "粒细胞集落刺激因子",
        "粒细胞刺激因子", "非格司亭",
    ),
    MedicationFlag.ANTIMICROBIAL_PROPHYLAXIS: (
        "aciclovir", "acyclovir", "valaciclovir", "valacyclovir", "co-trimoxazole",
        "cotrimoxazole", "sulfamethoxazole", "fluconazole", "posaconazole", "entecavir",
        "阿昔洛韦", "伐昔洛韦", "复方磺胺甲噁唑", "氟康唑", "泊沙康唑", "恩替卡韦",
    ),
}  # fmt: skip


# Immunoglobulins that are not normal human immunoglobulin (ATC J06BB hyperimmune sera, and
# anti-thymocyte globulin, an immunosuppressant): their names contain "immunoglobulin" too.
NOT_IVIG: tuple[str, ...] = (
    "hepatitis b", "hbig", "rabies", "tetanus", "anti-d", "rho(d)", "varicella", "zoster",
    "cytomegalovirus", "cmv", "anti-thymocyte", "antithymocyte", "thymoglobulin", "atg",
    "乙肝", "乙型肝炎", "狂犬", "破伤风", "抗d", "水痘", "巨细胞病毒", "抗胸腺",
)  # fmt: skip


def _written_in(listed: str, written: str) -> bool:
    """A Latin-script name is found as a whole word (or words), so "atg" is not found in
    "ratgut"; a Chinese name, written without spaces, anywhere in the text."""
    if listed.isascii():
        return re.search(rf"(?<![a-z]){re.escape(listed)}(?![a-z])", written) is not None
    return listed in written


def medication_flag(name: str, atc_code: str = "") -> MedicationFlag | None:
    """The review flag of a medication, by ATC code first, then by the name as written."""
    code = atc_code.strip().upper()
    for prefix, flag in FLAGGED_ATC:
        if code.startswith(prefix):
            return flag
    written = name.casefold()
    for flag, names in FLAGGED_NAMES.items():
        if flag is MedicationFlag.IVIG and any(_written_in(n, written) for n in NOT_IVIG):
            continue
        if any(_written_in(listed, written) for listed in names):
            return flag
    return None
