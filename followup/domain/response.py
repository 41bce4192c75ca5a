"""Response to treatment per disease, computed from the scores a visit records, with the evidence.

A CAR-T trial in autoimmune disease is judged on whether the disease went into remission; the
definitions below are applied exactly as clinical-rules.md §13 writes them, and where a publication
leaves a choice the choice is stated in the function's docstring.

Every function takes keyword arguments only and returns a `Response` (or a subclass) whose `.met`
is True or False when the definition can be decided, and None when an input it needs is missing:
`.missing` then names those inputs (never a guessed value). A definition that is a conjunction is
decided False as soon as one of its criteria fails, even if another input is missing, because no
missing value could rescue it. `.criteria` lists each criterion with its own verdict and evidence
in words ("PGA 2.0 -> 2.3: rise 0.3, not < 0.3") so that a page can show why.

Numbers are compared as typed (a float becomes the Decimal of its repr), and PGA and DAS28 at the
two decimals they are recorded to (§13): PGA 2.0 -> 2.3 is a rise of exactly 0.3. Impossible input
(a negative PGA, an unknown SLEDAI-2K code, a BILAG map without all nine systems) raises
`ArgumentError`, a `ValueError` naming the argument.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from edc.domain.calculators import (
    BILAG2004_SYSTEMS,
    SLEDAI2K_SEROLOGY,
    SLEDAI2K_WEIGHTS,
    ArgumentError,
    cdai,
    cdai_category,
    sdai,
    sdai_category,
)
from edc.domain.validation import Number, check

__all__ = [
    "BILAG_SYSTEMS",
    "CHANGE_INSTRUMENTS",
    "LLDAS_MAJOR_ORGAN_DESCRIPTORS",
    "SOURCES",
    "SUSTAINED_REMISSION_DAYS",
    "AavAssessment",
    "AavCourse",
    "Change",
    "Criterion",
    "EssdaiResponse",
    "EularResponse",
    "Response",
    "aav_course",
    "aav_remission",
    "acr_criss",
    "boolean_remission",
    "cdai_remission",
    "change_from_baseline",
    "doris_remission",
    "drug_free_remission",
    "essdai_activity",
    "essdai_response",
    "esspri_response",
    "eular_response",
    "lldas",
    "mrss_improvement",
    "sdai_remission",
    "serological_response",
    "sri4",
]

SOURCES: Mapping[str, str] = MappingProxyType(
    {
        "sri4": "SRI-4: Furie et al., Arthritis Rheum 2009;61:1143-51 (clinical-rules.md §13.1)",
        "lldas": "LLDAS: Franklyn et al., Ann Rheum Dis 2016;75:1615-21 (clinical-rules.md §13.2)",
        "doris_remission": (
            "DORIS remission: van Vollenhoven et al., Ann Rheum Dis 2021;80:181-8 "
            "(clinical-rules.md §13.3)"
        ),
        "drug_free_remission": (
            "Drug-free remission as reported for CD19 CAR-T in SLE (clinical-rules.md §13.3)"
        ),
        "serological_response": (
            "Serological response: anti-dsDNA negative and C3, C4 not below the laboratory's lower "
            "limit (product definition, issue 11)"
        ),
        "eular_response": (
            "EULAR response: van Gestel et al., Arthritis Rheum 1996;39:34-40 "
            "(clinical-rules.md §13.4)"
        ),
        "boolean_remission": (
            "ACR/EULAR Boolean 2.0 remission: Studenic et al., Ann Rheum Dis 2023;82:74-80 "
            "(clinical-rules.md §13.4)"
        ),
        "cdai_remission": "CDAI remission <= 2.8: Aletaha & Smolen (clinical-rules.md §7.3)",
        "sdai_remission": "SDAI remission <= 3.3: Smolen 2003 (clinical-rules.md §7.3)",
        "essdai_response": (
            "ESSDAI MCII (fall >= 3) and activity levels: Seror et al., Ann Rheum Dis "
            "2016;75:382-9 (clinical-rules.md §13.5)"
        ),
        "esspri_response": (
            "ESSPRI MCII (fall >= 1 point or >= 15 %): Seror et al., Ann Rheum Dis 2016;75:382-9"
        ),
        "mrss_improvement": (
            "mRSS improvement, fall >= 5 points and >= 25 % (product definition, "
            "clinical-rules.md §13.6)"
        ),
        "acr_criss": (
            "ACR-CRISS: Khanna et al., Arthritis Rheumatol 2016;68:299-311 and Arthritis Care Res "
            "2016;68:167-78 Table 4 (two steps; improved when the probability is >= 0.6)"
        ),
        "aav_remission": (
            "AAV remission: BVAS v3 = 0 and prednisone <= 7.5 mg/day, EULAR (Hellmich et al. 2007; "
            "2024) (clinical-rules.md §13.6)"
        ),
        "aav_course": (
            "AAV sustained remission (remission held >= 6 months) and relapse (active disease "
            "after remission), EULAR (Hellmich et al., Ann Rheum Dis 2007;66:605-17)"
        ),
    }
)


@dataclass(frozen=True)
class Criterion:
    """One criterion of a definition: its code, its verdict (None: an input is missing), why."""

    code: str
    met: bool | None
    evidence: str


@dataclass(frozen=True)
class Response:
    """A definition applied to one visit: `.met` True/False, or None with `.missing` named."""

    definition: str
    met: bool | None
    criteria: tuple[Criterion, ...]
    missing: tuple[str, ...]
    source: str

    @property
    def computable(self) -> bool:
        return self.met is not None


@dataclass(frozen=True)
class EularResponse(Response):
    """EULAR response: `.response` is "good", "moderate" or "none" (None when not computable)."""

    response: str | None = None
    improvement: Decimal | None = None


@dataclass(frozen=True)
class EssdaiResponse(Response):
    """ESSDAI: `.met` is the MCII (fall >= 3); `.activity` the level of the current score."""

    activity: str | None = None
    change: Decimal | None = None


# ---------------------------------------------------------------------------------------------
# Shared machinery
# ---------------------------------------------------------------------------------------------

_TWO_PLACES = Decimal("0.01")


def _show(value: Decimal | int) -> str:
    """A number as a person would write it: 2.30 -> 2.3, 5.00 -> 5, 12 -> 12."""
    if isinstance(value, int):
        return str(value)
    return format(value.normalize(), "f")


def _recorded(value: Decimal) -> Decimal:
    """PGA and DAS28 at the two decimals they are recorded to (clinical-rules.md §13)."""
    return value.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)


def _missing(inputs: Mapping[str, object]) -> tuple[str, ...]:
    return tuple(name for name, value in inputs.items() if value is None)


def _decide(definition: str, criteria: Sequence[Criterion], missing: Sequence[str]) -> Response:
    return Response(
        definition, _conjunction(criteria), tuple(criteria), tuple(missing), SOURCES[definition]
    )


def _conjunction(criteria: Sequence[Criterion]) -> bool | None:
    """All criteria: False as soon as one fails, None while one is undecided, else True."""
    verdicts = [criterion.met for criterion in criteria]
    if False in verdicts:
        return False
    if None in verdicts:
        return None
    return True


def _criterion(
    code: str, inputs: Sequence[object], test: Callable[[], tuple[bool, str]], needs: str
) -> Criterion:
    """A criterion that can only be judged once every one of `inputs` is known."""
    if any(value is None for value in inputs):
        return Criterion(code, None, f"not computable: {needs} missing")
    met, evidence = test()
    return Criterion(code, met, evidence)


def _optional_number(
    value: object, argument: str, *, minimum: Number = 0, maximum: Number | None = None
) -> Decimal | None:
    if value is None:
        return None
    return check.number(value, argument, minimum=minimum, maximum=maximum)


def _optional_int(value: object, argument: str, *, maximum: int) -> int | None:
    return None if value is None else check.integer(value, argument, maximum=maximum)


def _optional_bool(value: object, argument: str) -> bool | None:
    return None if value is None else check.boolean(value, argument)


_PGA_MAX = 3
_PREDNISONE_MAX_MG = 2000  # an impossible daily dose, not a plausibility limit


def _pga(value: object, argument: str) -> Decimal | None:
    number = _optional_number(value, argument, maximum=_PGA_MAX)
    return None if number is None else _recorded(number)


def _prednisone(value: object) -> Decimal | None:
    return _optional_number(value, "prednisone_mg_day", maximum=_PREDNISONE_MAX_MG)


def _sledai_codes(value: object) -> tuple[str, ...] | None:
    """SLEDAI-2K descriptor codes, validated as the calculators validate them."""
    if value is None:
        return None
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ArgumentError(
            "sledai_present", f"must be an iterable of descriptor codes; got {value!r}"
        )
    codes = tuple(value)
    for code in codes:
        if code not in SLEDAI2K_WEIGHTS:
            raise ArgumentError("sledai_present", f"unknown SLEDAI-2K descriptor {code!r}")
    if len(set(codes)) != len(codes):
        raise ArgumentError("sledai_present", "a SLEDAI-2K descriptor is repeated")
    return codes


def _sledai_sum(codes: Iterable[str]) -> int:
    return sum(SLEDAI2K_WEIGHTS[code] for code in codes)


def _prednisone_at_most(prednisone: Decimal | None, limit: Decimal) -> Criterion:
    return _criterion(
        f"prednisone_le_{_show(limit)}",
        [prednisone],
        lambda: (
            prednisone is not None and prednisone <= limit,
            f"prednisone {_show(prednisone or Decimal(0))} mg/day, limit <= {_show(limit)}",
        ),
        "prednisone_mg_day",
    )


# ---------------------------------------------------------------------------------------------
# Change from baseline (every instrument)
# ---------------------------------------------------------------------------------------------

# Instrument -> (label, maximum, recorded decimals or None for integer scores).
CHANGE_INSTRUMENTS: Mapping[str, tuple[str, Decimal, int | None]] = MappingProxyType(
    {
        "sledai2k": ("SLEDAI-2K", Decimal(105), None),
        "das28": ("DAS28", Decimal(10), 2),
        "cdai": ("CDAI", Decimal(76), 1),
        "mrss": ("mRSS", Decimal(51), None),
        "fvc_pct_predicted": ("FVC % predicted", Decimal(200), 1),
        "essdai": ("ESSDAI", Decimal(123), None),
        "esspri": ("ESSPRI", Decimal(10), 2),
        "bvas": ("BVAS v3", Decimal(63), None),
    }
)


@dataclass(frozen=True)
class Change:
    """A score's change from baseline: `.change` = now - baseline (negative is a fall)."""

    instrument: str
    baseline: Decimal | None
    now: Decimal | None
    change: Decimal | None
    percent: Decimal | None  # change as % of baseline, None when baseline is 0 or missing
    missing: tuple[str, ...]
    evidence: str


def change_from_baseline(*, instrument: str, baseline: Number | None, now: Number | None) -> Change:
    """Now minus baseline for a disease score (SLEDAI-2K, DAS28, mRSS, FVC %, ESSDAI, ...).

    Baseline is the last assessment before lymphodepletion (clinical-rules.md §13); the caller
    picks it. Decimal scores are compared at the decimals they are recorded to, so DAS28
    4.4 -> 3.2 is a change of exactly -1.2.
    """
    code = check.choice(instrument, "instrument", tuple(CHANGE_INSTRUMENTS))
    label, maximum, places = CHANGE_INSTRUMENTS[code]

    def score(value: object, argument: str) -> Decimal | None:
        if value is None:
            return None
        if places is None:
            return Decimal(check.integer(value, argument, maximum=int(maximum)))
        number = check.number(value, argument, minimum=0, maximum=maximum)
        return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

    first, last = score(baseline, "baseline"), score(now, "now")
    missing = _missing({"baseline": first, "now": last})
    if first is None or last is None:
        return Change(
            code, first, last, None, None, missing, f"{label}: {', '.join(missing)} missing"
        )
    delta = last - first
    percent = None if first == 0 else (delta * 100 / first).quantize(Decimal("0.1"))
    shown = f" ({_show(percent)} %)" if percent is not None else ""
    evidence = f"{label} {_show(first)} -> {_show(last)}: change {_show(delta)}{shown}"
    return Change(code, first, last, delta, percent, (), evidence)


# ---------------------------------------------------------------------------------------------
# SLE
# ---------------------------------------------------------------------------------------------

# The nine BILAG-2004 systems as domain-api.md spells them; the CRF calculators spell the
# haematological system "hematological", which is accepted as the same system.
_BILAG_ALIASES = MappingProxyType({"hematological": "haematological"})
BILAG_SYSTEMS: tuple[str, ...] = tuple(_BILAG_ALIASES.get(s, s) for s in BILAG2004_SYSTEMS)
_BILAG_LETTERS = ("A", "B", "C", "D", "E")


def _bilag(value: object, argument: str) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ArgumentError(argument, f"must map BILAG-2004 systems to letters; got {value!r}")
    letters: dict[str, str] = {}
    for system, letter in value.items():
        name = _BILAG_ALIASES.get(system, system)
        if name not in BILAG_SYSTEMS:
            raise ArgumentError(argument, f"unknown BILAG-2004 system {system!r}")
        if letter not in _BILAG_LETTERS:
            raise ArgumentError(argument, f"{system} must be one of A-E; got {letter!r}")
        letters[name] = letter
    absent = [system for system in BILAG_SYSTEMS if system not in letters]
    if absent:
        raise ArgumentError(argument, f"missing BILAG-2004 systems {', '.join(absent)}")
    return letters


_SRI4_SLEDAI_FALL = 4
_SRI4_PGA_WORSENING = Decimal("0.3")


def sri4(
    *,
    sledai_baseline: int | None,
    sledai_now: int | None,
    bilag_baseline: Mapping[str, str] | None,
    bilag_now: Mapping[str, str] | None,
    pga_baseline: Number | None,
    pga_now: Number | None,
) -> Response:
    """SLE Responder Index 4 (clinical-rules.md §13.1): all of (a) SLEDAI-2K total falls >= 4,
    (b) no new BILAG-2004 A and at most one new B, (c) PGA not worse by >= 0.3.

    A system is a new A when it is A now and was not A at baseline; a new B when it is B now and
    was C, D or E at baseline (A -> B is an improvement, not new). `sledai_*` are SLEDAI-2K totals.
    """
    first = _optional_int(sledai_baseline, "sledai_baseline", maximum=105)
    last = _optional_int(sledai_now, "sledai_now", maximum=105)
    before, after = _bilag(bilag_baseline, "bilag_baseline"), _bilag(bilag_now, "bilag_now")
    pga_first, pga_last = _pga(pga_baseline, "pga_baseline"), _pga(pga_now, "pga_now")

    def sledai_fall() -> tuple[bool, str]:
        fall = int(first or 0) - int(last or 0)
        return fall >= _SRI4_SLEDAI_FALL, f"SLEDAI-2K {first} -> {last}: fall {fall}, needs >= 4"

    def bilag_new() -> tuple[bool, str]:
        old, new = before or {}, after or {}
        new_a = [s for s in BILAG_SYSTEMS if new[s] == "A" and old[s] != "A"]
        new_b = [s for s in BILAG_SYSTEMS if new[s] == "B" and old[s] in ("C", "D", "E")]
        named = f"new A: {', '.join(new_a) or 'none'}; new B: {', '.join(new_b) or 'none'}"
        return not new_a and len(new_b) <= 1, f"BILAG-2004 {named} (no new A, at most one new B)"

    def pga_not_worse() -> tuple[bool, str]:
        rise = (pga_last or Decimal(0)) - (pga_first or Decimal(0))
        return rise < _SRI4_PGA_WORSENING, (
            f"PGA {_show(pga_first or Decimal(0))} -> {_show(pga_last or Decimal(0))}: "
            f"rise {_show(rise)}, must be < 0.3"
        )

    criteria = (
        _criterion("sledai_fall_ge_4", [first, last], sledai_fall, "SLEDAI-2K"),
        _criterion("no_new_bilag_a_le_one_new_b", [before, after], bilag_new, "BILAG-2004"),
        _criterion("pga_not_worse_0_3", [pga_first, pga_last], pga_not_worse, "PGA"),
    )
    missing = _missing(
        {
            "sledai_baseline": first,
            "sledai_now": last,
            "bilag_baseline": before,
            "bilag_now": after,
            "pga_baseline": pga_first,
            "pga_now": pga_last,
        }
    )
    return _decide("sri4", criteria, missing)


# LLDAS criterion 1: no activity in a major organ system (clinical-rules.md §13.2).
LLDAS_MAJOR_ORGAN_DESCRIPTORS: tuple[str, ...] = (
    "urinary_casts",
    "hematuria",
    "proteinuria",
    "pyuria",
    "seizure",
    "psychosis",
    "organic_brain_syndrome",
    "visual_disturbance",
    "cranial_nerve_disorder",
    "lupus_headache",
    "cva",
    "pleurisy",
    "pericarditis",
    "vasculitis",
    "fever",
)
_LLDAS_SLEDAI_MAX = 4
_LLDAS_PGA_MAX = Decimal(1)
_LLDAS_PREDNISONE_MAX = Decimal("7.5")


def _flag(code: str, value: bool | None, argument: str, wanted: bool, words: str) -> Criterion:
    return _criterion(
        code, [value], lambda: (value is wanted, f"{words}: {'yes' if value else 'no'}"), argument
    )


def lldas(
    *,
    sledai_present: Iterable[str] | None,
    pga: Number | None,
    prednisone_mg_day: Number | None,
    new_activity: bool | None = False,
    haemolytic_anaemia: bool | None = False,
    gi_activity: bool | None = False,
    maintenance_tolerated: bool | None = True,
) -> Response:
    """Lupus Low Disease Activity State (clinical-rules.md §13.2), all five criteria.

    (1) SLEDAI-2K <= 4 with no major-organ descriptor (`LLDAS_MAJOR_ORGAN_DESCRIPTORS`) and no
    haemolytic anaemia or gastrointestinal activity; (2) no new activity since the previous
    assessment; (3) PGA <= 1; (4) prednisone <= 7.5 mg/day; (5) maintenance immunosuppressants and
    approved biologics well tolerated. The flags default as domain-api.md gives them; pass None
    for a flag the CRF did not capture and the result says it is missing.
    """
    codes = _sledai_codes(sledai_present)
    score, prednisone = _pga(pga, "pga"), _prednisone(prednisone_mg_day)
    flags = {
        "new_activity": _optional_bool(new_activity, "new_activity"),
        "haemolytic_anaemia": _optional_bool(haemolytic_anaemia, "haemolytic_anaemia"),
        "gi_activity": _optional_bool(gi_activity, "gi_activity"),
        "maintenance_tolerated": _optional_bool(maintenance_tolerated, "maintenance_tolerated"),
    }

    def low_sledai() -> tuple[bool, str]:
        present = codes or ()
        total = _sledai_sum(present)
        major = [code for code in present if code in LLDAS_MAJOR_ORGAN_DESCRIPTORS]
        return total <= _LLDAS_SLEDAI_MAX and not major, (
            f"SLEDAI-2K {total} (<= 4), major-organ activity: {', '.join(major) or 'none'}"
        )

    criteria = (
        _criterion("sledai_le_4_no_major_organ", [codes], low_sledai, "sledai_present"),
        _flag(
            "no_haemolytic_anaemia",
            flags["haemolytic_anaemia"],
            "haemolytic_anaemia",
            False,
            "haemolytic anaemia",
        ),
        _flag(
            "no_gi_activity",
            flags["gi_activity"],
            "gi_activity",
            False,
            "gastrointestinal activity",
        ),
        _flag(
            "no_new_activity",
            flags["new_activity"],
            "new_activity",
            False,
            "new lupus activity since the previous assessment",
        ),
        _criterion(
            "pga_le_1",
            [score],
            lambda: (
                score is not None and score <= _LLDAS_PGA_MAX,
                f"PGA {_show(score or Decimal(0))}, must be <= 1",
            ),
            "pga",
        ),
        _prednisone_at_most(prednisone, _LLDAS_PREDNISONE_MAX),
        _flag(
            "maintenance_tolerated",
            flags["maintenance_tolerated"],
            "maintenance_tolerated",
            True,
            "maintenance immunosuppressants and biologics well tolerated",
        ),
    )
    missing = _missing(
        {"sledai_present": codes, "pga": score, "prednisone_mg_day": prednisone, **flags}
    )
    return _decide("lldas", criteria, missing)


_DORIS_PGA_BELOW = Decimal("0.5")
_DORIS_PREDNISONE_MAX = Decimal(5)


def _doris_criteria(
    codes: tuple[str, ...] | None, score: Decimal | None, prednisone: Decimal | None
) -> tuple[Criterion, ...]:
    def clinical_zero() -> tuple[bool, str]:
        clinical = [code for code in codes or () if code not in SLEDAI2K_SEROLOGY]
        total = _sledai_sum(clinical)
        return total == 0, f"clinical SLEDAI-2K {total} ({', '.join(clinical) or 'no descriptor'})"

    return (
        _criterion("clinical_sledai_0", [codes], clinical_zero, "sledai_present"),
        _criterion(
            "pga_lt_0_5",
            [score],
            lambda: (
                score is not None and score < _DORIS_PGA_BELOW,
                f"PGA {_show(score or Decimal(0))}, must be < 0.5",
            ),
            "pga",
        ),
        _prednisone_at_most(prednisone, _DORIS_PREDNISONE_MAX),
    )


def doris_remission(
    *, sledai_present: Iterable[str] | None, pga: Number | None, prednisone_mg_day: Number | None
) -> Response:
    """DORIS remission (clinical-rules.md §13.3): clinical SLEDAI-2K 0 (serology not counted),
    PGA < 0.5, prednisone <= 5 mg/day. Antimalarials, stable immunosuppressants and biologics are
    allowed, so they are not arguments. Prednisone 5 is remission; 5.1 is not.
    """
    codes, score, prednisone = (
        _sledai_codes(sledai_present),
        _pga(pga, "pga"),
        _prednisone(prednisone_mg_day),
    )
    missing = _missing({"sledai_present": codes, "pga": score, "prednisone_mg_day": prednisone})
    return _decide("doris_remission", _doris_criteria(codes, score, prednisone), missing)


def drug_free_remission(
    *,
    sledai_present: Iterable[str] | None,
    pga: Number | None,
    prednisone_mg_day: Number | None,
    on_immunosuppressant: bool | None,
    on_biologic: bool | None,
) -> Response:
    """Drug-free remission (clinical-rules.md §13.3): DORIS with prednisone 0, no
    immunosuppressant and no biologic. Antimalarials stay allowed (a protocol may be stricter and
    must say so in its file)."""
    codes, score, prednisone = (
        _sledai_codes(sledai_present),
        _pga(pga, "pga"),
        _prednisone(prednisone_mg_day),
    )
    suppressant = _optional_bool(on_immunosuppressant, "on_immunosuppressant")
    biologic = _optional_bool(on_biologic, "on_biologic")
    criteria = (
        *_doris_criteria(codes, score, prednisone),
        _criterion(
            "prednisone_0",
            [prednisone],
            lambda: (
                prednisone == 0,
                f"prednisone {_show(prednisone or Decimal(0))} mg/day, must be 0",
            ),
            "prednisone_mg_day",
        ),
        _flag(
            "no_immunosuppressant",
            suppressant,
            "on_immunosuppressant",
            False,
            "on an immunosuppressant",
        ),
        _flag("no_biologic", biologic, "on_biologic", False, "on a biologic"),
    )
    missing = _missing(
        {
            "sledai_present": codes,
            "pga": score,
            "prednisone_mg_day": prednisone,
            "on_immunosuppressant": suppressant,
            "on_biologic": biologic,
        }
    )
    return _decide("drug_free_remission", criteria, missing)


def serological_response(
    *,
    anti_dsdna_negative: bool | None,
    c3_g_l: Number | None,
    c3_lln_g_l: Number | None,
    c4_g_l: Number | None,
    c4_lln_g_l: Number | None,
) -> Response:
    """Serological response: anti-dsDNA negative and complement normal.

    Choice made here (no publication fixes it): "complement normal" is C3 and C4 each at or above
    the laboratory's lower limit of normal, both required, compared in the same unit (g/L).
    """
    negative = _optional_bool(anti_dsdna_negative, "anti_dsdna_negative")
    values = {
        "c3_g_l": _optional_number(c3_g_l, "c3_g_l"),
        "c3_lln_g_l": _optional_number(c3_lln_g_l, "c3_lln_g_l"),
        "c4_g_l": _optional_number(c4_g_l, "c4_g_l"),
        "c4_lln_g_l": _optional_number(c4_lln_g_l, "c4_lln_g_l"),
    }

    def normal(name: str) -> Criterion:
        value, lln = values[f"{name}_g_l"], values[f"{name}_lln_g_l"]
        return _criterion(
            f"{name}_normal",
            [value, lln],
            lambda: (
                (value or Decimal(0)) >= (lln or Decimal(0)),
                f"{name.upper()} {_show(value or Decimal(0))} g/L, LLN {_show(lln or Decimal(0))}",
            ),
            f"{name.upper()} or its LLN",
        )

    criteria = (
        _flag("anti_dsdna_negative", negative, "anti_dsdna_negative", True, "anti-dsDNA negative"),
        normal("c3"),
        normal("c4"),
    )
    missing = _missing({"anti_dsdna_negative": negative, **values})
    return _decide("serological_response", criteria, missing)


# ---------------------------------------------------------------------------------------------
# RA
# ---------------------------------------------------------------------------------------------

_EULAR_LARGE = Decimal("1.2")
_EULAR_SMALL = Decimal("0.6")
_EULAR_LOW = Decimal("3.2")
_EULAR_HIGH = Decimal("5.1")


def eular_response(*, das28_baseline: Number | None, das28_now: Number | None) -> EularResponse:
    """EULAR response from the DAS28 (clinical-rules.md §13.4), improvement D = baseline - now at
    two decimals: good if D > 1.2 and now <= 3.2; moderate if D > 1.2 and now > 3.2, or
    0.6 < D <= 1.2 and now <= 5.1; none otherwise. `.met` is True for good or moderate.
    """
    change = change_from_baseline(instrument="das28", baseline=das28_baseline, now=das28_now)
    if change.change is None or change.now is None:
        criterion = Criterion("eular_table", None, change.evidence)
        missing = tuple(f"das28_{name}" for name in change.missing)
        return EularResponse(
            "eular_response", None, (criterion,), missing, SOURCES["eular_response"]
        )
    improvement, now = -change.change, change.now
    if improvement > _EULAR_LARGE:
        response = "good" if now <= _EULAR_LOW else "moderate"
    elif improvement > _EULAR_SMALL:
        response = "moderate" if now <= _EULAR_HIGH else "none"
    else:
        response = "none"
    evidence = (
        f"DAS28 {_show(change.baseline or Decimal(0))} -> {_show(now)}: improvement "
        f"{_show(improvement)}; {response}"
    )
    criterion = Criterion("eular_table", response != "none", evidence)
    return EularResponse(
        "eular_response",
        response != "none",
        (criterion,),
        (),
        SOURCES["eular_response"],
        response=response,
        improvement=improvement,
    )


def boolean_remission(
    *,
    tjc28: int | None,
    sjc28: int | None,
    crp_mg_dl: Number | None,
    patient_global_0_10: Number | None,
) -> Response:
    """ACR/EULAR Boolean 2.0 remission (clinical-rules.md §13.4): TJC28 <= 1, SJC28 <= 1,
    CRP <= 1 mg/dL and patient global <= 2 (0-10)."""
    tender = _optional_int(tjc28, "tjc28", maximum=28)
    swollen = _optional_int(sjc28, "sjc28", maximum=28)
    crp = _optional_number(crp_mg_dl, "crp_mg_dl")
    global_ = _optional_number(patient_global_0_10, "patient_global_0_10", maximum=10)

    def at_most(
        code: str, value: Decimal | int | None, limit: int, words: str, argument: str
    ) -> Criterion:
        return _criterion(
            code,
            [value],
            lambda: (
                value is not None and value <= limit,
                f"{words} {_show(value or 0)}, must be <= {limit}",
            ),
            argument,
        )

    criteria = (
        at_most("tjc28_le_1", tender, 1, "TJC28", "tjc28"),
        at_most("sjc28_le_1", swollen, 1, "SJC28", "sjc28"),
        at_most("crp_le_1_mg_dl", crp, 1, "CRP (mg/dL)", "crp_mg_dl"),
        at_most("patient_global_le_2", global_, 2, "patient global (0-10)", "patient_global_0_10"),
    )
    missing = _missing(
        {"tjc28": tender, "sjc28": swollen, "crp_mg_dl": crp, "patient_global_0_10": global_}
    )
    return _decide("boolean_remission", criteria, missing)


def _index_remission(
    definition: str,
    label: str,
    inputs: Mapping[str, object],
    score: Callable[[], float],
    category: Callable[[float], str],
) -> Response:
    missing = _missing(inputs)
    if missing:
        criterion = Criterion(
            f"{definition}_band", None, f"not computable: {', '.join(missing)} missing"
        )
        return _decide(definition, (criterion,), missing)
    value = score()
    band = category(value)
    criterion = Criterion(f"{definition}_band", band == "remission", f"{label} {value:.1f}: {band}")
    return _decide(definition, (criterion,), ())


def cdai_remission(
    *,
    tjc28: int | None,
    sjc28: int | None,
    patient_global_0_10: Number | None,
    evaluator_global_0_10: Number | None,
) -> Response:
    """CDAI remission: CDAI <= 2.8 (the calculators' CDAI and its bands, clinical-rules.md §7.3)."""
    inputs = {
        "tjc28": tjc28,
        "sjc28": sjc28,
        "patient_global_0_10": patient_global_0_10,
        "evaluator_global_0_10": evaluator_global_0_10,
    }
    return _index_remission(
        "cdai_remission",
        "CDAI",
        inputs,
        lambda: cdai(**inputs),
        cdai_category,  # type: ignore[arg-type]
    )


def sdai_remission(
    *,
    tjc28: int | None,
    sjc28: int | None,
    patient_global_0_10: Number | None,
    evaluator_global_0_10: Number | None,
    crp_mg_dl: Number | None,
) -> Response:
    """SDAI remission: SDAI <= 3.3 (CDAI + CRP in mg/dL; clinical-rules.md §7.3)."""
    inputs = {
        "tjc28": tjc28,
        "sjc28": sjc28,
        "patient_global_0_10": patient_global_0_10,
        "evaluator_global_0_10": evaluator_global_0_10,
        "crp_mg_dl": crp_mg_dl,
    }
    return _index_remission(
        "sdai_remission",
        "SDAI",
        inputs,
        lambda: sdai(**inputs),
        sdai_category,  # type: ignore[arg-type]
    )


# ---------------------------------------------------------------------------------------------
# Primary Sjögren's
# ---------------------------------------------------------------------------------------------

_ESSDAI_MCII = 3
_ESSDAI_LOW_BELOW = 5
_ESSDAI_HIGH_FROM = 14


def essdai_activity(score: int) -> str:
    """ESSDAI activity level (clinical-rules.md §13.5): low < 5, moderate 5-13, high >= 14."""
    if score < _ESSDAI_LOW_BELOW:
        return "low"
    return "moderate" if score < _ESSDAI_HIGH_FROM else "high"


def essdai_response(*, baseline: int | None, now: int | None) -> EssdaiResponse:
    """ESSDAI minimal clinically important improvement, a fall >= 3 (`.met`), and the activity
    level of the current score (`.activity`; low activity is `.activity == "low"`)."""
    change = change_from_baseline(instrument="essdai", baseline=baseline, now=now)
    activity = None if change.now is None else essdai_activity(int(change.now))
    if change.change is None:
        criterion = Criterion("essdai_fall_ge_3", None, change.evidence)
    else:
        fall = -change.change
        criterion = Criterion(
            "essdai_fall_ge_3",
            fall >= _ESSDAI_MCII,
            f"{change.evidence}; a fall >= 3 is a response",
        )
    level = Criterion(
        "essdai_low_activity",
        None if activity is None else activity == "low",
        change.evidence if activity is None else f"ESSDAI now {_show(change.now or 0)}: {activity}",
    )
    return EssdaiResponse(
        "essdai_response",
        criterion.met,
        (criterion, level),
        change.missing,
        SOURCES["essdai_response"],
        activity=activity,
        change=change.change,
    )


_ESSPRI_MCII_POINTS = Decimal(1)
_ESSPRI_MCII_PERCENT = Decimal(15)


def esspri_response(*, baseline: Number | None, now: Number | None) -> Response:
    """ESSPRI minimal clinically important improvement: a fall of >= 1 point or >= 15 % of the
    baseline (Seror 2016). ESSPRI is the mean of three 0-10 scales, when the CRF captures it."""
    change = change_from_baseline(instrument="esspri", baseline=baseline, now=now)
    if change.change is None or change.baseline is None:
        criterion = Criterion("esspri_mcii", None, change.evidence)
    else:
        fall = -change.change
        met = fall >= _ESSPRI_MCII_POINTS or (
            change.baseline > 0 and fall * 100 >= _ESSPRI_MCII_PERCENT * change.baseline
        )
        criterion = Criterion(
            "esspri_mcii", met, f"{change.evidence}; needs a fall >= 1 or >= 15 %"
        )
    return _decide("esspri_response", (criterion,), change.missing)


# ---------------------------------------------------------------------------------------------
# Systemic sclerosis
# ---------------------------------------------------------------------------------------------

_MRSS_POINTS = 5
_MRSS_FRACTION_DENOMINATOR = 4  # 25 %


def mrss_improvement(*, baseline: int | None, now: int | None) -> Response:
    """mRSS improvement, the product's definition (clinical-rules.md §13.6): a fall of >= 5
    points AND >= 25 % of baseline (compared exactly: 4 x fall >= baseline)."""
    change = change_from_baseline(instrument="mrss", baseline=baseline, now=now)
    if change.change is None or change.baseline is None:
        criterion = Criterion("mrss_fall_ge_5_and_25pct", None, change.evidence)
    else:
        fall = -change.change
        met = fall >= _MRSS_POINTS and fall * _MRSS_FRACTION_DENOMINATOR >= change.baseline
        criterion = Criterion(
            "mrss_fall_ge_5_and_25pct", met, f"{change.evidence}; needs a fall >= 5 and >= 25 %"
        )
    return _decide("mrss_improvement", (criterion,), change.missing)


_CRISS_THRESHOLD = 0.6
# Khanna 2016 step 2 coefficients; every change is follow-up minus baseline.
_CRISS_INTERCEPT = -5.54
_CRISS_COEFFICIENTS: Mapping[str, float] = MappingProxyType(
    {
        "mrss": -0.81,
        "fvc_pct_predicted": 0.21,
        "patient_global": -0.40,
        "md_global": -0.44,
        "haq_di": -3.41,
    }
)
_CRISS_STEP1 = ("new_renal_crisis", "new_ild_with_fvc_decline", "new_lv_failure", "new_pah")


def acr_criss(
    *,
    mrss_baseline: int | None,
    mrss_now: int | None,
    fvc_baseline: Number | None,
    fvc_now: Number | None,
    patient_global_baseline: Number | None = None,
    patient_global_now: Number | None = None,
    md_global_baseline: Number | None = None,
    md_global_now: Number | None = None,
    haq_di_baseline: Number | None = None,
    haq_di_now: Number | None = None,
    new_renal_crisis: bool | None = None,
    new_ild_with_fvc_decline: bool | None = None,
    new_lv_failure: bool | None = None,
    new_pah: bool | None = None,
) -> Response:
    """ACR Composite Response Index in SSc (Khanna 2016), in its two steps.

    Step 1: new scleroderma renal crisis, new ILD with an FVC % predicted decline >= 15 %
    (relative, confirmed), new LV failure (EF <= 45 %) or new PAH needing treatment: probability 0,
    not improved, whatever else is missing. Step 2: p = e^x / (1 + e^x) with
    x = -5.54 - 0.81 dmRSS + 0.21 dFVC% - 0.40 dPtGlobal - 0.44 dMDGlobal - 3.41 dHAQ-DI
    (globals 0-10, HAQ-DI 0-3); improved when p >= 0.6. The product captures mRSS and FVC but not
    HAQ-DI or the SSc globals, so those are reported missing rather than assumed.
    """
    events = {
        name: _optional_bool(value, name)
        for name, value in zip(
            _CRISS_STEP1,
            (new_renal_crisis, new_ild_with_fvc_decline, new_lv_failure, new_pah),
            strict=True,
        )
    }
    if any(events.values()):
        present = [name for name, value in events.items() if value]
        criterion = Criterion("criss_step1", False, f"step 1: {', '.join(present)}: probability 0")
        return _decide("acr_criss", (criterion,), ())
    pairs = {
        "mrss": (mrss_baseline, mrss_now, 51),
        "fvc_pct_predicted": (fvc_baseline, fvc_now, 200),
        "patient_global": (patient_global_baseline, patient_global_now, 10),
        "md_global": (md_global_baseline, md_global_now, 10),
        "haq_di": (haq_di_baseline, haq_di_now, 3),
    }
    values = {
        f"{name}_{when}": _optional_number(value, f"{name}_{when}", maximum=maximum)
        for name, (first, last, maximum) in pairs.items()
        for when, value in (("baseline", first), ("now", last))
    }
    missing = (*_missing(values), *(name for name, value in events.items() if value is None))
    step1 = Criterion(
        "criss_step1",
        None if None in events.values() else True,
        "step 1: no new cardiopulmonary or renal involvement"
        if None not in events.values()
        else "step 1: not computable: cardiopulmonary and renal events missing",
    )
    if any(values[f"{name}_{when}"] is None for name in pairs for when in ("baseline", "now")):
        step2 = Criterion("criss_step2", None, "step 2: not computable: a core-set item is missing")
        return _decide("acr_criss", (step1, step2), missing)
    x = _CRISS_INTERCEPT + sum(
        coefficient * float((values[f"{name}_now"] or 0) - (values[f"{name}_baseline"] or 0))
        for name, coefficient in _CRISS_COEFFICIENTS.items()
    )
    probability = 1.0 / (1.0 + math.exp(-x))
    step2 = Criterion(
        "criss_step2",
        probability >= _CRISS_THRESHOLD,
        f"step 2: probability {probability:.3f}, needs >= 0.6",
    )
    return _decide("acr_criss", (step1, step2), missing)


# ---------------------------------------------------------------------------------------------
# ANCA-associated vasculitis
# ---------------------------------------------------------------------------------------------

_AAV_PREDNISONE_MAX = Decimal("7.5")


def aav_remission(*, bvas: int | None, prednisone_mg_day: Number | None) -> Response:
    """AAV remission (clinical-rules.md §13.6): BVAS v3 = 0 and prednisone <= 7.5 mg/day."""
    score = _optional_int(bvas, "bvas", maximum=63)
    prednisone = _prednisone(prednisone_mg_day)
    criteria = (
        _criterion("bvas_0", [score], lambda: (score == 0, f"BVAS v3 {score}, must be 0"), "bvas"),
        _prednisone_at_most(prednisone, _AAV_PREDNISONE_MAX),
    )
    return _decide(
        "aav_remission", criteria, _missing({"bvas": score, "prednisone_mg_day": prednisone})
    )


@dataclass(frozen=True)
class AavAssessment:
    """One AAV assessment: study day, BVAS v3 total, prednisone-equivalent mg/day."""

    day: int
    bvas: int | None
    prednisone_mg_day: Number | None


@dataclass(frozen=True)
class AavCourse:
    """Remission over time: first remission, whether it was sustained, and the first relapse."""

    remission_day: int | None
    sustained_remission: bool
    sustained_from_day: int | None
    relapse_day: int | None
    evidence: tuple[str, ...] = field(default=())
    source: str = SOURCES["aav_course"]


SUSTAINED_REMISSION_DAYS = 182  # 6 months taken as 26 weeks (EULAR 2007 says "6 months")


def aav_course(
    *, assessments: Sequence[AavAssessment], sustained_days: int = SUSTAINED_REMISSION_DAYS
) -> AavCourse:
    """Sustained remission and relapse over a subject's AAV assessments (Hellmich 2007).

    Choices made here: sustained remission is remission at every assessment from its first day
    through an assessment >= `sustained_days` later (default 182 days, 6 months), with no
    assessment in between out of remission; relapse is the first assessment with BVAS v3 > 0
    after a remission (major or minor: the BVAS items say which). An assessment whose remission
    cannot be computed (a missing BVAS or dose) neither breaks nor extends a remission.
    """
    check.integer(sustained_days, "sustained_days", minimum=1)
    ordered = sorted(assessments, key=lambda a: a.day)
    if len({a.day for a in ordered}) != len(ordered):
        raise ArgumentError("assessments", "two assessments on the same day")
    remission_day = sustained_from = relapse_day = None
    run_start: int | None = None
    evidence: list[str] = []
    for assessment in ordered:
        result = aav_remission(bvas=assessment.bvas, prednisone_mg_day=assessment.prednisone_mg_day)
        if result.met is None:
            evidence.append(f"day {assessment.day}: not computable ({', '.join(result.missing)})")
            continue
        if result.met:
            remission_day = assessment.day if remission_day is None else remission_day
            run_start = assessment.day if run_start is None else run_start
            if sustained_from is None and assessment.day - run_start >= sustained_days:
                sustained_from = run_start
            evidence.append(f"day {assessment.day}: remission")
            continue
        run_start = None
        if remission_day is not None and relapse_day is None and (assessment.bvas or 0) > 0:
            relapse_day = assessment.day
            evidence.append(f"day {assessment.day}: relapse, BVAS v3 {assessment.bvas}")
        else:
            evidence.append(f"day {assessment.day}: not in remission")
    return AavCourse(
        remission_day=remission_day,
        sustained_remission=sustained_from is not None,
        sustained_from_day=sustained_from,
        relapse_day=relapse_day,
        evidence=tuple(evidence),
    )
