"""Clinical calculators: renal function, body surface area and disease-activity instrument totals.

Pure functions with keyword-only arguments (except the score-to-category helpers, which take the
score alone). Every input is validated; bad input raises `ArgumentError`, a `ValueError` whose
message starts with the name of the offending argument. Results are plain `float`/`int`, unrounded:
round only for display.

Sources (see `SOURCES` for the per-function citation and clinical-rules.md §7-§8):
- Cockcroft-Gault: Cockcroft & Gault, Nephron 1976 (tabers.com; medicalalgorithms.com) [V].
- CKD-EPI 2021 creatinine, race-free: Inker et al., NEJM 2021;385:1737-49 (kidney.org) [V].
- DAS28-ESR/CRP, 3 and 4 variables: das-score.nl "alternative validated formulae" [V];
  DAS28 categories ard.bmj.com Table 3 [V].
- CDAI [V] and SDAI [S] (Aletaha & Smolen); CDAI/SDAI categories per clinical-rules.md §7.3.
- BSA: Mosteller, NEJM 1987;317:1098 [V].
- SLEDAI-2K: Gladman et al., J Rheumatol 2002 (medicalcriteria.com; HHE Rheumatology 2019) [V].
- BILAG-2004 numeric scores A=12, B=8, C=1, D=0, E=0: Yee et al. 2010 (PMC2919194) [V].
- mRSS: 17 sites scored 0-3, total 0-51 (Clements 1995; Khanna 2017 standardisation) [V total;
  the site list is the standard one, recalled].
- ESSDAI: Seror et al., Ann Rheum Dis 2010 Table 3 [V: all twelve domain weights; see
  `ESSDAI_DOMAINS`].
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from edc.domain.units import convert
from edc.domain.validation import ArgumentError, Number, check, signif

__all__ = [
    "BILAG2004_LETTER_SCORES",
    "BILAG2004_SYSTEMS",
    "CDAI_BANDS",
    "CKD_EPI_2021_COEFFICIENTS",
    "DAS28_BANDS",
    "ESSDAI_DOMAINS",
    "ESSDAI_MAX",
    "MRSS_SITES",
    "SDAI_BANDS",
    "SLEDAI2K_MAX",
    "SLEDAI2K_SEROLOGY",
    "SLEDAI2K_WEIGHTS",
    "SOURCES",
    "ActivityBand",
    "ArgumentError",
    "CkdEpiCoefficients",
    "EssdaiDomain",
    "Source",
    "age_years",
    "bilag2004_counts",
    "bilag2004_numeric",
    "bsa_mosteller",
    "cdai",
    "cdai_category",
    "ckd_epi_2021",
    "cockcroft_gault",
    "das28_category",
    "das28_crp",
    "das28_esr",
    "essdai_total",
    "mrss_total",
    "sdai",
    "sdai_category",
    "sledai2k_clinical",
    "sledai2k_total",
]


@dataclass(frozen=True)
class Source:
    """Where a calculator comes from: the label to persist with a result, and the citation."""

    label: str
    citation: str


SOURCES: Mapping[str, Source] = MappingProxyType(
    {
        "cockcroft_gault": Source(
            "Cockcroft-Gault 1976",
            "Cockcroft & Gault, Nephron 1976;16:31; clinical-rules.md §7.1 [V]",
        ),
        "ckd_epi_2021": Source(
            "CKD-EPI 2021 creatinine (race-free)",
            "Inker et al., NEJM 2021;385:1737-49; kidney.org; clinical-rules.md §7.2 [V]",
        ),
        "das28_esr": Source(
            "DAS28-ESR", "das-score.nl alternative validated formulae; clinical-rules.md §7.3 [V]"
        ),
        "das28_crp": Source(
            "DAS28-CRP", "das-score.nl alternative validated formulae; clinical-rules.md §7.3 [V]"
        ),
        "das28_category": Source(
            "DAS28 categories",
            "ard.bmj.com Table 3 [V]; applied to DAS28-CRP too [U: CRP-specific cut-offs exist]",
        ),
        "cdai": Source("CDAI", "Aletaha & Smolen; clinical-rules.md §7.3 [V]"),
        "cdai_category": Source("CDAI categories", "lms.ehc.gov.eg annex; medscape [V]"),
        "sdai": Source("SDAI", "Smolen 2003; rheumakit; clinical-rules.md §7.3 [S]"),
        "sdai_category": Source("SDAI categories", "rheumakit; clinical-rules.md §7.3 [S]"),
        "bsa_mosteller": Source(
            "Mosteller 1987", "Mosteller, NEJM 1987;317:1098; globalrph.com/bsa2.htm [V]"
        ),
        "sledai2k_total": Source(
            "SLEDAI-2K",
            "Gladman et al., J Rheumatol 2002;29:288; medicalcriteria.com/web/reusledai [V]",
        ),
        "sledai2k_clinical": Source(
            "SLEDAI-2K clinical (excluding low complement and anti-dsDNA)",
            "SLEDAI-2K weights [V]; protocol convention (ctv.veeva.com listing) [V]",
        ),
        "bilag2004_numeric": Source(
            "BILAG-2004", "Yee et al. 2010, PMC2919194: A=12 B=8 C=1 D=0 E=0 [V]"
        ),
        "bilag2004_counts": Source("BILAG-2004", "Isenberg et al. 2005; letters A-E [V]"),
        "mrss_total": Source(
            "mRSS (17 sites, 0-3)", "Clements 1995; Khanna 2017; total 0-51 [V]; site list [U]"
        ),
        "essdai_total": Source(
            "ESSDAI (Seror 2010)",
            "Seror et al., Ann Rheum Dis 2010;69:1103, Table 3 (all 12 domain weights; total "
            "0-123); level scores as tabulated in the ESSDAI user guide, RMD Open 2015;1:e000022",
        ),
    }
)


# ---------------------------------------------------------------------------------------------
# Validation helpers
# ---------------------------------------------------------------------------------------------

_SEXES = ("F", "M")
_CREATININE_UNITS = ("mg/dL", "umol/L")
# Impossible-value ceilings (not plausibility checks, which belong to the forms).
_MAX_WEIGHT_KG = 700
_MAX_HEIGHT_CM = 300
_ADULT_AGE_YEARS = (18, 120)


def _creatinine_mg_dl(creatinine: object, creatinine_unit: object) -> float:
    unit = check.choice(creatinine_unit, "creatinine_unit", _CREATININE_UNITS)
    value = float(check.positive(creatinine, "creatinine"))
    if unit == "mg/dL":
        return value
    # The one creatinine factor lives in units.py (88.4 umol/L per mg/dL).
    return convert(value, analyte="creatinine", from_unit="umol/L", to_unit="mg/dL")


def _adult_age(age_years: object) -> float:
    low, high = _ADULT_AGE_YEARS
    return float(check.number(age_years, "age_years", minimum=low, maximum=high))


def _weight_kg(weight_kg: object) -> float:
    return float(
        check.number(
            weight_kg, "weight_kg", minimum=0, minimum_exclusive=True, maximum=_MAX_WEIGHT_KG
        )
    )


def _complete_mapping(
    argument: str, value: object, expected: tuple[str, ...], what: str
) -> Mapping[object, object]:
    """`value` must be a mapping holding exactly the `expected` keys (no partial totals)."""
    if not isinstance(value, Mapping):
        raise ArgumentError(argument, f"must be a mapping of {what} to values; got {value!r}")
    unknown = [key for key in value if key not in expected]
    if unknown:
        raise ArgumentError(
            argument,
            f"unknown {what} {', '.join(repr(k) for k in unknown)}; expected {', '.join(expected)}",
        )
    missing = [key for key in expected if key not in value]
    if missing:
        raise ArgumentError(argument, f"missing {what} {', '.join(missing)}")
    return value


# ---------------------------------------------------------------------------------------------
# Renal function and body size
# ---------------------------------------------------------------------------------------------


def cockcroft_gault(
    *,
    age_years: Number,
    weight_kg: Number,
    creatinine: Number,
    creatinine_unit: str,
    sex: str,
) -> float:
    """Creatinine clearance (mL/min) by Cockcroft-Gault, not normalised to BSA.

    CrCl = (140 - age) x weight[kg] / (72 x SCr[mg/dL]), x 0.85 if female. SCr in umol/L is
    converted with the single factor of `edc.domain.units` (88.4). Adults only: `age_years` 18-120.
    The weight basis (actual, ideal, adjusted) is the protocol's choice and the caller's.
    Source: `SOURCES["cockcroft_gault"]` (clinical-rules.md §7.1).
    """
    age = _adult_age(age_years)
    weight = _weight_kg(weight_kg)
    scr_mg_dl = _creatinine_mg_dl(creatinine, creatinine_unit)
    sex_factor = 0.85 if check.choice(sex, "sex", _SEXES) == "F" else 1.0
    return (140.0 - age) * weight / (72.0 * scr_mg_dl) * sex_factor


@dataclass(frozen=True)
class CkdEpiCoefficients:
    """Sex-specific CKD-EPI 2021 coefficients: kappa (mg/dL), alpha exponent, sex factor."""

    kappa: float
    alpha: float
    sex_factor: float


CKD_EPI_2021_COEFFICIENTS: Mapping[str, CkdEpiCoefficients] = MappingProxyType(
    {
        "F": CkdEpiCoefficients(kappa=0.7, alpha=-0.241, sex_factor=1.012),
        "M": CkdEpiCoefficients(kappa=0.9, alpha=-0.302, sex_factor=1.0),
    }
)
_CKD_EPI_2021_CONSTANT = 142.0
_CKD_EPI_2021_HIGH_EXPONENT = -1.200
_CKD_EPI_2021_AGE_BASE = 0.9938


def ckd_epi_2021(*, age_years: Number, creatinine: Number, creatinine_unit: str, sex: str) -> float:
    """eGFR (mL/min/1.73 m²) by the race-free CKD-EPI 2021 creatinine equation.

    eGFR = 142 x min(SCr/k, 1)^a x max(SCr/k, 1)^-1.200 x 0.9938^age x 1.012 [female], with
    k = 0.7/0.9 and a = -0.241/-0.302 (F/M) and SCr in mg/dL (umol/L converted with 88.4).
    Adults only: `age_years` 18-120. Source: `SOURCES["ckd_epi_2021"]` (clinical-rules.md §7.2).
    """
    age = _adult_age(age_years)
    scr_mg_dl = _creatinine_mg_dl(creatinine, creatinine_unit)
    coefficients = CKD_EPI_2021_COEFFICIENTS[check.choice(sex, "sex", _SEXES)]
    ratio = scr_mg_dl / coefficients.kappa
    return (
        _CKD_EPI_2021_CONSTANT
        * min(ratio, 1.0) ** coefficients.alpha
        * max(ratio, 1.0) ** _CKD_EPI_2021_HIGH_EXPONENT
        * _CKD_EPI_2021_AGE_BASE**age
        * coefficients.sex_factor
    )


def bsa_mosteller(*, height_cm: Number, weight_kg: Number) -> float:
    """Body surface area (m²) by Mosteller: sqrt(height[cm] x weight[kg] / 3600).

    Source: `SOURCES["bsa_mosteller"]` (clinical-rules.md §7.4).
    """
    height = float(
        check.number(
            height_cm, "height_cm", minimum=0, minimum_exclusive=True, maximum=_MAX_HEIGHT_CM
        )
    )
    weight = _weight_kg(weight_kg)
    return math.sqrt(height * weight / 3600.0)


# ---------------------------------------------------------------------------------------------
# Rheumatoid arthritis: DAS28, CDAI, SDAI
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityBand:
    """A disease-activity category: scores up to `upper` (inclusive or not) fall in it.

    The last band of a table has `upper=None` (no ceiling).
    """

    label: str
    upper: float | None
    upper_inclusive: bool = True


# DAS28 cut-offs (ard.bmj.com Table 3) [V]: remission strictly below 2.6; 3.2 and 5.1 inclusive.
DAS28_BANDS: tuple[ActivityBand, ...] = (
    ActivityBand("remission", 2.6, upper_inclusive=False),
    ActivityBand("low", 3.2),
    ActivityBand("moderate", 5.1),
    ActivityBand("high", None),
)
# CDAI cut-offs, all upper bounds inclusive: 2.8, 10 and 22 [V].
CDAI_BANDS: tuple[ActivityBand, ...] = (
    ActivityBand("remission", 2.8),
    ActivityBand("low", 10.0),
    ActivityBand("moderate", 22.0),
    ActivityBand("high", None),
)
# SDAI cut-offs, all upper bounds inclusive: 3.3, 11 and 26 [S].
SDAI_BANDS: tuple[ActivityBand, ...] = (
    ActivityBand("remission", 3.3),
    ActivityBand("low", 11.0),
    ActivityBand("moderate", 26.0),
    ActivityBand("high", None),
)

_JOINTS_28 = 28


def _categorise(score: object, bands: tuple[ActivityBand, ...]) -> str:
    value = signif(float(check.number(score, "score")))
    for band in bands:
        if band.upper is None:
            return band.label
        if value < band.upper or (band.upper_inclusive and value == band.upper):
            return band.label
    raise AssertionError("activity band table must end with an open band")  # pragma: no cover


def _das28_joints(tjc28: object, sjc28: object) -> float:
    tender = check.integer(tjc28, "tjc28", minimum=0, maximum=_JOINTS_28)
    swollen = check.integer(sjc28, "sjc28", minimum=0, maximum=_JOINTS_28)
    return 0.56 * math.sqrt(tender) + 0.28 * math.sqrt(swollen)


def _patient_global_0_100(value: object) -> float:
    return float(check.number(value, "patient_global_0_100", minimum=0, maximum=100))


def das28_esr(
    *,
    tjc28: int,
    sjc28: int,
    esr_mm_h: Number,
    patient_global_0_100: Number | None = None,
) -> float:
    """DAS28-ESR; the three-variable formula when `patient_global_0_100` is None.

    4 variables: 0.56 sqrt(TJC28) + 0.28 sqrt(SJC28) + 0.70 ln(ESR) + 0.014 GH.
    3 variables: [0.56 sqrt(TJC28) + 0.28 sqrt(SJC28) + 0.70 ln(ESR)] x 1.08 + 0.16.
    TJC28/SJC28 integers 0-28; ESR in mm/h, > 0; GH = patient global health, 0-100 mm VAS.
    Source: `SOURCES["das28_esr"]` (clinical-rules.md §7.3).
    """
    joints = _das28_joints(tjc28, sjc28)
    esr = float(check.positive(esr_mm_h, "esr_mm_h"))
    core = joints + 0.70 * math.log(esr)
    if patient_global_0_100 is None:
        return core * 1.08 + 0.16
    return core + 0.014 * _patient_global_0_100(patient_global_0_100)


def das28_crp(
    *,
    tjc28: int,
    sjc28: int,
    crp_mg_l: Number,
    patient_global_0_100: Number | None = None,
) -> float:
    """DAS28-CRP (CRP in mg/L); the three-variable formula when `patient_global_0_100` is None.

    4 variables: 0.56 sqrt(TJC28) + 0.28 sqrt(SJC28) + 0.36 ln(CRP + 1) + 0.014 GH + 0.96.
    3 variables: [0.56 sqrt(TJC28) + 0.28 sqrt(SJC28) + 0.36 ln(CRP + 1)] x 1.10 + 1.15.
    CRP >= 0 mg/L (convert mg/dL with `units.convert`). Source: `SOURCES["das28_crp"]`.
    """
    joints = _das28_joints(tjc28, sjc28)
    crp = float(check.non_negative(crp_mg_l, "crp_mg_l"))
    core = joints + 0.36 * math.log(crp + 1.0)
    if patient_global_0_100 is None:
        return core * 1.10 + 1.15
    return core + 0.014 * _patient_global_0_100(patient_global_0_100) + 0.96


def das28_category(score: Number) -> str:
    """DAS28 activity: "remission" (< 2.6), "low" (<= 3.2), "moderate" (<= 5.1) or "high".

    The score is rounded to 8 significant digits before comparison. The same cut-offs are used
    for DAS28-CRP [U: CRP-specific cut-offs exist]. Source: `SOURCES["das28_category"]`.
    """
    return _categorise(score, DAS28_BANDS)


def _cdai_components(
    tjc28: object, sjc28: object, patient_global_0_10: object, evaluator_global_0_10: object
) -> float:
    tender = check.integer(tjc28, "tjc28", minimum=0, maximum=_JOINTS_28)
    swollen = check.integer(sjc28, "sjc28", minimum=0, maximum=_JOINTS_28)
    patient = float(check.number(patient_global_0_10, "patient_global_0_10", minimum=0, maximum=10))
    evaluator = float(
        check.number(evaluator_global_0_10, "evaluator_global_0_10", minimum=0, maximum=10)
    )
    return float(tender + swollen) + patient + evaluator


def cdai(
    *,
    tjc28: int,
    sjc28: int,
    patient_global_0_10: Number,
    evaluator_global_0_10: Number,
) -> float:
    """Clinical Disease Activity Index: TJC28 + SJC28 + PtGA (0-10) + PrGA (0-10); range 0-76.

    Source: `SOURCES["cdai"]` (clinical-rules.md §7.3).
    """
    return _cdai_components(tjc28, sjc28, patient_global_0_10, evaluator_global_0_10)


def cdai_category(score: Number) -> str:
    """CDAI activity: "remission" (<= 2.8), "low" (<= 10), "moderate" (<= 22) or "high"."""
    return _categorise(score, CDAI_BANDS)


def sdai(
    *,
    tjc28: int,
    sjc28: int,
    patient_global_0_10: Number,
    evaluator_global_0_10: Number,
    crp_mg_dl: Number,
) -> float:
    """Simplified Disease Activity Index: CDAI + CRP in **mg/dL** (>= 0); 0-86 with CRP <= 10.

    CRP is not capped at 10 mg/dL. Source: `SOURCES["sdai"]` (clinical-rules.md §7.3).
    """
    crp = float(check.non_negative(crp_mg_dl, "crp_mg_dl"))
    return _cdai_components(tjc28, sjc28, patient_global_0_10, evaluator_global_0_10) + crp


def sdai_category(score: Number) -> str:
    """SDAI activity: "remission" (<= 3.3), "low" (<= 11), "moderate" (<= 26) or "high"."""
    return _categorise(score, SDAI_BANDS)


# ---------------------------------------------------------------------------------------------
# SLE: SLEDAI-2K and BILAG-2004
# ---------------------------------------------------------------------------------------------

# The 24 SLEDAI-2K descriptors and their weights (Gladman 2002) [V], in CRF order.
SLEDAI2K_WEIGHTS: Mapping[str, int] = MappingProxyType(
    {
        "seizure": 8,
        "psychosis": 8,
        "organic_brain_syndrome": 8,
        "visual_disturbance": 8,
        "cranial_nerve_disorder": 8,
        "lupus_headache": 8,
        "cva": 8,
        "vasculitis": 8,
        "arthritis": 4,
        "myositis": 4,
        "urinary_casts": 4,
        "hematuria": 4,
        "proteinuria": 4,
        "pyuria": 4,
        "rash": 2,
        "alopecia": 2,
        "mucosal_ulcers": 2,
        "pleurisy": 2,
        "pericarditis": 2,
        "low_complement": 2,
        "increased_dna_binding": 2,
        "fever": 1,
        "thrombocytopenia": 1,
        "leukopenia": 1,
    }
)
SLEDAI2K_MAX: int = sum(SLEDAI2K_WEIGHTS.values())  # 105
# Serological descriptors left out of the "clinical SLEDAI" (total minus serology).
SLEDAI2K_SEROLOGY: tuple[str, ...] = ("low_complement", "increased_dna_binding")


def _sledai_descriptors(present: object) -> tuple[str, ...]:
    if isinstance(present, str | bytes | Mapping):
        raise ArgumentError(
            "present", f"must be an iterable of descriptor codes; got {type(present).__name__}"
        )
    if not isinstance(present, Iterable):
        raise ArgumentError("present", f"must be an iterable of descriptor codes; got {present!r}")
    codes: list[str] = []
    for code in present:
        if not isinstance(code, str) or code not in SLEDAI2K_WEIGHTS:
            raise ArgumentError("present", f"unknown SLEDAI-2K descriptor {code!r}")
        if code in codes:
            raise ArgumentError("present", f"duplicate SLEDAI-2K descriptor {code!r}")
        codes.append(code)
    return tuple(codes)


def sledai2k_total(*, present: Iterable[str]) -> int:
    """SLEDAI-2K total (0-105): the sum of the weights of the descriptors present.

    `present` is an iterable of codes from `SLEDAI2K_WEIGHTS` (present at the visit or in the
    preceding 10 days). Unknown or repeated codes raise. Source: `SOURCES["sledai2k_total"]`.
    """
    return sum(SLEDAI2K_WEIGHTS[code] for code in _sledai_descriptors(present))


def sledai2k_clinical(*, present: Iterable[str]) -> int:
    """Clinical SLEDAI-2K (0-101): the total without low complement and increased DNA binding.

    Source: `SOURCES["sledai2k_clinical"]` (clinical-rules.md §8.1).
    """
    codes = _sledai_descriptors(present)
    return sum(SLEDAI2K_WEIGHTS[code] for code in codes if code not in SLEDAI2K_SEROLOGY)


BILAG2004_SYSTEMS: tuple[str, ...] = (
    "constitutional",
    "mucocutaneous",
    "neuropsychiatric",
    "musculoskeletal",
    "cardiorespiratory",
    "gastrointestinal",
    "ophthalmic",
    "renal",
    "hematological",
)
# Numeric conversion of BILAG-2004 letters (Yee 2010, PMC2919194) [V]; total 0-108.
BILAG2004_LETTER_SCORES: Mapping[str, int] = MappingProxyType(
    {"A": 12, "B": 8, "C": 1, "D": 0, "E": 0}
)


def _bilag_letters(letters: object) -> dict[str, str]:
    """The letter of each system, in `BILAG2004_SYSTEMS` order, after validation."""
    given = _complete_mapping("letters", letters, BILAG2004_SYSTEMS, "BILAG-2004 system")
    checked: dict[str, str] = {}
    for system in BILAG2004_SYSTEMS:
        letter = given[system]
        if not isinstance(letter, str) or letter not in BILAG2004_LETTER_SCORES:
            raise ArgumentError("letters", f"{system} must be one of A, B, C, D, E; got {letter!r}")
        checked[system] = letter
    return checked


def bilag2004_numeric(*, letters: Mapping[str, str]) -> int:
    """BILAG-2004 numeric total (0-108): A=12, B=8, C=1, D=0, E=0 summed over the 9 systems.

    `letters` maps every system of `BILAG2004_SYSTEMS` to an upper-case letter A-E; a missing
    or unknown system raises (no partial totals). Source: `SOURCES["bilag2004_numeric"]`.
    """
    checked = _bilag_letters(letters)
    return sum(BILAG2004_LETTER_SCORES[checked[system]] for system in BILAG2004_SYSTEMS)


def bilag2004_counts(*, letters: Mapping[str, str]) -> dict[str, int]:
    """How many of the 9 BILAG-2004 systems have each letter: {"A": n, ..., "E": n}.

    Eligibility rules such as "at least 1 A or 2 B" need these counts, not the numeric total.
    Validation as `bilag2004_numeric`. Source: `SOURCES["bilag2004_counts"]`.
    """
    checked = _bilag_letters(letters)
    counts = dict.fromkeys(BILAG2004_LETTER_SCORES, 0)
    for system in BILAG2004_SYSTEMS:
        counts[checked[system]] += 1
    return counts


# ---------------------------------------------------------------------------------------------
# Systemic sclerosis: modified Rodnan skin score
# ---------------------------------------------------------------------------------------------

# The 17 mRSS sites (Clements 1995; Khanna 2017), each scored 0-3; total 0-51.
MRSS_SITES: tuple[str, ...] = (
    "face",
    "anterior_chest",
    "abdomen",
    "right_fingers",
    "left_fingers",
    "right_hand",
    "left_hand",
    "right_forearm",
    "left_forearm",
    "right_upper_arm",
    "left_upper_arm",
    "right_thigh",
    "left_thigh",
    "right_lower_leg",
    "left_lower_leg",
    "right_foot",
    "left_foot",
)
_MRSS_SITE_MAX = 3


def mrss_total(*, sites: Mapping[str, int]) -> int:
    """Modified Rodnan skin score (0-51): the sum over the 17 `MRSS_SITES`, each an int 0-3.

    Every site must be scored; a missing or unknown site raises. Source: `SOURCES["mrss_total"]`.
    """
    given = _complete_mapping("sites", sites, MRSS_SITES, "mRSS site")
    total = 0
    for site in MRSS_SITES:
        score = given[site]
        if (
            isinstance(score, bool)
            or not isinstance(score, int)
            or not 0 <= score <= _MRSS_SITE_MAX
        ):
            raise ArgumentError("sites", f"{site} must be an integer 0-3; got {score!r}")
        total += score
    return total


# ---------------------------------------------------------------------------------------------
# Primary Sjögren's: ESSDAI
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EssdaiDomain:
    """An ESSDAI domain: its weight and the activity levels it allows (0 = no activity)."""

    name: str
    weight: int
    levels: tuple[int, ...]

    @property
    def max_level(self) -> int:
        return max(self.levels)


# Seror et al., Ann Rheum Dis 2010, Table 3 (ard.bmj.com): every weight matches the published
# table (renal 5, muscular 6, PNS 5, CNS 5, haematological 2, biological 1 beside the first six,
# maximum 123), as the user guide's score tables (RMD Open 2015) confirm level by level, e.g.
# muscular 6/12/18 and CNS with no "low" level (10/15). Checked for issue 9, correction 9.
ESSDAI_DOMAINS: tuple[EssdaiDomain, ...] = (
    EssdaiDomain("constitutional", 3, (0, 1, 2)),
    EssdaiDomain("lymphadenopathy", 4, (0, 1, 2, 3)),
    EssdaiDomain("glandular", 2, (0, 1, 2)),
    EssdaiDomain("articular", 2, (0, 1, 2, 3)),
    EssdaiDomain("cutaneous", 3, (0, 1, 2, 3)),
    EssdaiDomain("pulmonary", 5, (0, 1, 2, 3)),
    EssdaiDomain("renal", 5, (0, 1, 2, 3)),
    EssdaiDomain("muscular", 6, (0, 1, 2, 3)),
    EssdaiDomain("peripheral_nervous_system", 5, (0, 1, 2, 3)),
    EssdaiDomain("central_nervous_system", 5, (0, 2, 3)),
    EssdaiDomain("hematological", 2, (0, 1, 2, 3)),
    EssdaiDomain("biological", 1, (0, 1, 2)),
)
_ESSDAI_BY_NAME: Mapping[str, EssdaiDomain] = MappingProxyType(
    {domain.name: domain for domain in ESSDAI_DOMAINS}
)
ESSDAI_MAX: int = sum(domain.weight * domain.max_level for domain in ESSDAI_DOMAINS)  # 123


def essdai_total(*, levels: Mapping[str, int]) -> int:
    """ESSDAI total (0-123): the sum of weight x activity level over the 12 `ESSDAI_DOMAINS`.

    `levels` maps every domain to an allowed level (0 no, 1 low, 2 moderate, 3 high; the CNS
    domain has no low level, constitutional, glandular and biological no high level).
    Source: `SOURCES["essdai_total"]`.
    """
    names = tuple(_ESSDAI_BY_NAME)
    given = _complete_mapping("levels", levels, names, "ESSDAI domain")
    total = 0
    for domain in ESSDAI_DOMAINS:
        level = given[domain.name]
        if isinstance(level, bool) or not isinstance(level, int) or level not in domain.levels:
            allowed = ", ".join(str(allowed_level) for allowed_level in domain.levels)
            raise ArgumentError("levels", f"{domain.name} must be one of {allowed}; got {level!r}")
        total += domain.weight * level
    return total


def age_years(*, born: dt.date, on: dt.date) -> int:
    """Completed years of age on a date (eligibility counts age on the consent date).

    Someone born on 29 February turns a year older on 1 March in common years.
    """
    if on < born:
        raise ArgumentError("on", f"{on} is before the date of birth {born}")
    had_birthday = (on.month, on.day) >= (born.month, born.day)
    return on.year - born.year - (0 if had_birthday else 1)
