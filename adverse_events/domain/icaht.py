"""Immune effector cell-associated hematotoxicity (ICAHT) grades: neutrophil and platelet.

Sources (clinical-rules.md §3):

* Neutrophil ICAHT: Rejeski K et al., EHA/EBMT consensus, Blood 2023;142(10):865-877
  (doi 10.1182/blood.2023020578). The table itself was not retrieved; thresholds and the episode
  logic follow the open implementation that cites it, emilyliangmd/automatedicahtgrading
  (index.Rmd, E. C. Liang, Fred Hutch) [S].
* T-ICAHT: the companion thrombocytopenia grading, ash-sap.org Table 1 (view-large/12809257),
  whose note says it "follows the principal logic of the existing N-ICAHT grading ... Days of
  non-stable count recovery (<3 days) are counted to the cumulative total of days" [V].

Early neutrophil ICAHT (days 0-30, day 0 = infusion), grade = the highest row met:

* ANC <=500/uL (inclusive) for 1-6 days -> 1, 7-13 -> 2, >=14 -> 3;
* ANC <=100/uL for 7-13 days -> 3, >=14 -> 4;
* an ANC <=500 episode that began on or before day 3 and is still ongoing at the last assessment
  (day 30, death or last lab: "never recovered") -> 4.

Episodes (Liang): a day belongs to an episode when the count is at or below the threshold (<= 500,
<= 100; for platelets strictly below 50 or 20). An episode ends only at stable recovery: the count
beyond the threshold on >= 3 consecutive days (the CIBMTR engraftment definition). Episodes
separated by < 3 days beyond the threshold are merged and the gap days are counted. Each threshold
is computed separately and the duration is that of the longest merged episode. An episode is
"ongoing" when its last day is the last assessment, so 1-2 recovered days at the very end end it
(as in Liang, where the exceedance must end on the last lab date).

Gap policy (declared here, tested): the grades need a daily series, built as follows.

* The first and last days given are the first and last assessments: nothing is extrapolated
  before the first or after the last (the last day given is death, last lab or day 30).
* Up to 7 consecutive missing days between two assessments are filled by linear interpolation
  between them (exact rational arithmetic, no rounding), as Liang does (zoo::na.approx,
  maxgap = 7: weekly outpatient draws).
* Early windows: more than 7 consecutive missing days, or a first assessment after day 7, raise
  ValueError naming the argument: a week without counts can hide or invent a whole grade, so the
  data must be queried rather than guessed (carrying a value forward would fabricate one).
* Late T-ICAHT (sparse follow-up labs): a gap of more than 7 days is accepted when both values
  bounding it are >= 20 x10^9/L (interpolation there can never create a day below 20, and the
  nadir grades 1-2 use measured values only); otherwise it raises ValueError.

Late neutrophil ICAHT (after day +30; the caller applies the study's window, Liang's default being
day +31 to the earliest of day +100, progression, next therapy or death): grade on the nadir,
ANC <=1500 -> 1, <=1000 -> 2, <=500 -> 3, <=100 -> 4, when the neutropenia is non-transient,
i.e. the second-lowest value is also <=1500, or only one value exists (Liang) [S]; a single dip
with all other values >1500 -> 0 [U: interpretation].

T-ICAHT (platelets in x10^9/L): early (days 0-30) <50 for 1-6 days -> 1, >=7 -> 2; <20 for 1-13
days -> 3, >=14 -> 4. Late (days 31-100, end configurable): nadir <100 -> 1, <50 -> 2; <20 for 1-13
days -> 3, >=14 -> 4.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

from adverse_events.domain.types import (
    GradingInputError,
    IcahtResult,
    RuleTableError,
    TIcahtResult,
    check,
    join_drivers,
)

__all__ = [
    "ANC_PROFOUND_PER_UL",
    "ANC_SEVERE_PER_UL",
    "EARLY_ANC_LE_100_BANDS",
    "EARLY_ANC_LE_500_BANDS",
    "EARLY_FIRST_DAY",
    "EARLY_LAST_DAY",
    "LATE_ANC_NADIR_BANDS",
    "LATE_FIRST_DAY",
    "LATE_LAST_DAY_DEFAULT",
    "MAX_INTERPOLATED_GAP_DAYS",
    "NEVER_RECOVERED_ONSET_LAST_DAY",
    "SCALE",
    "SOURCE",
    "STABLE_RECOVERY_DAYS",
    "T_EARLY_PLT_LT_20_BANDS",
    "T_EARLY_PLT_LT_50_BANDS",
    "T_LATE_PLT_LT_20_BANDS",
    "T_LATE_PLT_NADIR_BANDS",
    "T_SCALE",
    "T_SOURCE",
    "grade_icaht_early",
    "grade_icaht_late",
    "grade_t_icaht_early",
    "grade_t_icaht_late",
]

SCALE = "EHA/EBMT 2023"
T_SCALE = "EHA/EBMT 2023 T-ICAHT"
SOURCE = (
    "Rejeski K et al., EHA/EBMT ICAHT consensus, Blood 2023;142(10):865-877 "
    "(doi 10.1182/blood.2023020578); thresholds and episode logic as implemented in "
    "emilyliangmd/automatedicahtgrading index.Rmd; clinical-rules.md §3"
)
T_SOURCE = (
    "T-ICAHT grading, ash-sap.org Table 1 (view-large/12809257), N-ICAHT logic with non-stable "
    "recovery (<3 days) counted; clinical-rules.md §3"
)

EARLY_FIRST_DAY = 0
EARLY_LAST_DAY = 30
LATE_FIRST_DAY = 31
LATE_LAST_DAY_DEFAULT = 100
MAX_INTERPOLATED_GAP_DAYS = 7
# Stable recovery: beyond the threshold on this many consecutive days; shorter gaps are merged.
STABLE_RECOVERY_DAYS = 3
# "Never recovered" grade 4 applies to neutropenia that began on or before this day.
NEVER_RECOVERED_ONSET_LAST_DAY = 3

ANC_SEVERE_PER_UL = Decimal(500)
ANC_PROFOUND_PER_UL = Decimal(100)
PLT_MODERATE_10E9_L = Decimal(50)
PLT_SEVERE_10E9_L = Decimal(20)

# Duration bands: (shortest days, longest days or None = open, grade).
DurationBands = tuple[tuple[int, int | None, int], ...]
EARLY_ANC_LE_500_BANDS: DurationBands = ((1, 6, 1), (7, 13, 2), (14, None, 3))
EARLY_ANC_LE_100_BANDS: DurationBands = ((7, 13, 3), (14, None, 4))
T_EARLY_PLT_LT_50_BANDS: DurationBands = ((1, 6, 1), (7, None, 2))
T_EARLY_PLT_LT_20_BANDS: DurationBands = ((1, 13, 3), (14, None, 4))
T_LATE_PLT_LT_20_BANDS: DurationBands = ((1, 13, 3), (14, None, 4))

# Nadir bands, most severe first: (threshold, grade).
LATE_ANC_NADIR_BANDS: tuple[tuple[Decimal, int], ...] = (
    (Decimal(100), 4),
    (Decimal(500), 3),
    (Decimal(1000), 2),
    (Decimal(1500), 1),
)  # nadir <= threshold
LATE_ANC_NON_TRANSIENT_MAX_PER_UL = Decimal(1500)
T_LATE_PLT_NADIR_BANDS: tuple[tuple[Decimal, int], ...] = (
    (Decimal(50), 2),
    (Decimal(100), 1),
)  # nadir < threshold


def validate_duration_bands(name: str, bands: DurationBands) -> None:
    """Duration bands are contiguous, non-overlapping, open at the top, grades rising."""
    if not bands:
        raise RuleTableError(f"{name}: no rows")
    previous_high: int | None = None
    previous_grade = 0
    for index, (low, high, grade) in enumerate(bands):
        if low < 1 or (high is not None and high < low):
            raise RuleTableError(f"{name}[{index}]: bad day range {low}-{high}")
        if previous_high is not None and low != previous_high + 1:
            kind = "overlap" if low <= previous_high else "gap"
            raise RuleTableError(f"{name}[{index}]: {kind} after day {previous_high}")
        if index and previous_high is None:
            raise RuleTableError(f"{name}[{index}]: row after an open-ended row")
        if grade <= previous_grade or grade > 4:
            raise RuleTableError(f"{name}[{index}]: grades must rise within 1-4")
        previous_high, previous_grade = high, grade
    if previous_high is not None:
        raise RuleTableError(f"{name}: the last row must be open-ended")


def validate_nadir_bands(name: str, bands: tuple[tuple[Decimal, int], ...]) -> None:
    """Nadir bands: thresholds strictly rising while grades strictly fall (most severe first)."""
    if not bands:
        raise RuleTableError(f"{name}: no rows")
    for (low_threshold, high_grade), (high_threshold, low_grade) in pairwise(bands):
        if not (low_threshold < high_threshold and high_grade > low_grade):
            raise RuleTableError(f"{name}: thresholds must rise as grades fall")


for _name, _bands in (
    ("EARLY_ANC_LE_500_BANDS", EARLY_ANC_LE_500_BANDS),
    ("EARLY_ANC_LE_100_BANDS", EARLY_ANC_LE_100_BANDS),
    ("T_EARLY_PLT_LT_50_BANDS", T_EARLY_PLT_LT_50_BANDS),
    ("T_EARLY_PLT_LT_20_BANDS", T_EARLY_PLT_LT_20_BANDS),
    ("T_LATE_PLT_LT_20_BANDS", T_LATE_PLT_LT_20_BANDS),
):
    validate_duration_bands(_name, _bands)
validate_nadir_bands("LATE_ANC_NADIR_BANDS", LATE_ANC_NADIR_BANDS)
validate_nadir_bands("T_LATE_PLT_NADIR_BANDS", T_LATE_PLT_NADIR_BANDS)


Episode = tuple[int, int]  # (first day, last day), inclusive


def _parse_by_day(
    values_by_day: object, argument: str, *, first_day: int, last_day: int
) -> dict[int, Decimal]:
    if not isinstance(values_by_day, Mapping):
        raise GradingInputError(
            argument, f"must be a mapping of study day to count; got {values_by_day!r}"
        )
    if not values_by_day:
        raise GradingInputError(argument, "is empty: at least one assessment is required")
    parsed: dict[int, Decimal] = {}
    for day, value in values_by_day.items():
        if isinstance(day, bool) or not isinstance(day, int):
            raise GradingInputError(
                argument, f"keys must be int study days (convert JSON keys); got {day!r}"
            )
        if not first_day <= day <= last_day:
            raise GradingInputError(
                argument, f"day {day} is outside the window, days {first_day}-{last_day}"
            )
        parsed[day] = check.non_negative(value, f"{argument}[{day}]")
    return dict(sorted(parsed.items()))


def _daily_series(
    values: dict[int, Decimal],
    argument: str,
    *,
    long_gap_allowed: Callable[[Decimal, Decimal], bool] | None = None,
) -> tuple[list[tuple[int, Fraction]], list[str]]:
    """Daily counts from the first to the last assessment, gaps interpolated (module policy)."""
    days = list(values)
    series: list[tuple[int, Fraction]] = []
    notes: list[str] = []
    for previous, following in pairwise(days):
        missing = following - previous - 1
        if missing > MAX_INTERPOLATED_GAP_DAYS and not (
            long_gap_allowed is not None and long_gap_allowed(values[previous], values[following])
        ):
            raise GradingInputError(
                argument,
                f"no value on {missing} consecutive days (days {previous + 1}-{following - 1}); "
                f"at most {MAX_INTERPOLATED_GAP_DAYS} are interpolated",
            )
        if missing == 1:
            notes.append(f"day {previous + 1} interpolated linearly")
        elif missing:
            notes.append(f"days {previous + 1}-{following - 1} interpolated linearly")
        start, end = Fraction(values[previous]), Fraction(values[following])
        span = following - previous
        for day in range(previous, following):
            series.append((day, start + (end - start) * (day - previous) / span))
    series.append((days[-1], Fraction(values[days[-1]])))
    return series, notes


def _episodes(
    series: list[tuple[int, Fraction]], is_low: Callable[[Fraction], bool]
) -> list[Episode]:
    """Merged episodes: runs of low days joined across < STABLE_RECOVERY_DAYS recovered days."""
    runs: list[Episode] = []
    for day, value in series:
        if not is_low(value):
            continue
        if runs and runs[-1][1] == day - 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    merged: list[Episode] = []
    for start, end in runs:
        if merged and start - merged[-1][1] - 1 < STABLE_RECOVERY_DAYS:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _longest(episodes: list[Episode]) -> Episode | None:
    return max(episodes, key=lambda e: (e[1] - e[0], -e[0]), default=None)


def _days(episode: Episode | None) -> int:
    return 0 if episode is None else episode[1] - episode[0] + 1


def _duration_grade(days: int, bands: DurationBands) -> int:
    for low, high, grade in bands:
        if days >= low and (high is None or days <= high):
            return grade
    return 0


def _describe(label: str, episode: Episode | None, grade: int) -> str:
    if episode is None:
        return f"{label}: no day -> {grade}"
    return (
        f"{label}: longest merged episode {_days(episode)} days "
        f"(days {episode[0]}-{episode[1]}) -> {grade}"
    )


def _check_leading_gap(values: dict[int, Decimal], argument: str, window_first_day: int) -> None:
    first = next(iter(values))
    if first - window_first_day > MAX_INTERPOLATED_GAP_DAYS:
        raise GradingInputError(
            argument,
            f"the first assessment is on day {first}: no value on days "
            f"{window_first_day}-{first - 1} (more than {MAX_INTERPOLATED_GAP_DAYS} days)",
        )


def _drivers(domains: list[tuple[str, int]], grade: int) -> str:
    return join_drivers([name for name, domain_grade in domains if grade and domain_grade == grade])


def grade_icaht_early(*, anc_by_day: Mapping[int, float | int | Decimal]) -> IcahtResult:
    """Grade early ICAHT 0-4 (EHA/EBMT 2023, Liang episode logic; see the module docstring).

    `anc_by_day` maps study day 0-30 (int, 0 = infusion) to ANC in cells/uL; the last day given is
    the last assessment (day 30, death or last lab). Source: `SOURCE`.
    """
    values = _parse_by_day(
        anc_by_day, "anc_by_day", first_day=EARLY_FIRST_DAY, last_day=EARLY_LAST_DAY
    )
    _check_leading_gap(values, "anc_by_day", EARLY_FIRST_DAY)
    series, notes = _daily_series(values, "anc_by_day")
    last_day = series[-1][0]

    episodes_500 = _episodes(series, lambda anc: anc <= Fraction(ANC_SEVERE_PER_UL))
    episodes_100 = _episodes(series, lambda anc: anc <= Fraction(ANC_PROFOUND_PER_UL))
    longest_500, longest_100 = _longest(episodes_500), _longest(episodes_100)
    grade_500 = _duration_grade(_days(longest_500), EARLY_ANC_LE_500_BANDS)
    grade_100 = _duration_grade(_days(longest_100), EARLY_ANC_LE_100_BANDS)
    unrecovered = [
        episode
        for episode in episodes_500
        if episode[0] <= NEVER_RECOVERED_ONSET_LAST_DAY and episode[1] == last_day
    ]
    grade_never = 4 if unrecovered else 0

    reasons = [
        _describe("ANC <=500/uL", longest_500, grade_500),
        _describe("ANC <=100/uL", longest_100, grade_100),
    ]
    if unrecovered:
        reasons.append(
            f"ANC <=500 from day {unrecovered[0][0]} (<= day {NEVER_RECOVERED_ONSET_LAST_DAY}) "
            f"without recovery up to the last assessment, day {last_day} -> 4"
        )
    reasons.extend(notes)
    domains = [
        ("anc_le_500_days", grade_500),
        ("anc_le_100_days", grade_100),
        ("never_recovered", grade_never),
    ]
    grade = max(domain_grade for _, domain_grade in domains)
    return IcahtResult(
        grade=grade,
        driver=_drivers(domains, grade),
        scale=SCALE,
        reasons=tuple(reasons),
        phase="early",
        nadir_anc_per_ul=min(values.values()),
        longest_anc_le_500_days=_days(longest_500),
        longest_anc_le_100_days=_days(longest_100),
        never_recovered=bool(unrecovered),
    )


def grade_icaht_late(*, anc_values: Iterable[float | int | Decimal]) -> IcahtResult:
    """Grade late ICAHT 0-4 on the ANC nadir (cells/uL) of values after day +30.

    Non-transient neutropenia is required: the second-lowest value must also be <=1500 (any single
    value is graded as it stands). The caller restricts `anc_values` to the study's late window.
    Source: `SOURCE`.
    """
    if isinstance(anc_values, str | bytes | Mapping) or not isinstance(anc_values, Iterable):
        raise GradingInputError(
            "anc_values", f"must be a sequence of ANC values; got {anc_values!r}"
        )
    values = sorted(
        check.non_negative(value, f"anc_values[{index}]") for index, value in enumerate(anc_values)
    )
    if not values:
        raise GradingInputError("anc_values", "is empty: at least one ANC after day +30 is needed")
    nadir = values[0]
    second = values[1] if len(values) > 1 else None

    nadir_grade = next((g for limit, g in LATE_ANC_NADIR_BANDS if nadir <= limit), 0)
    if nadir_grade and second is not None and second > LATE_ANC_NON_TRANSIENT_MAX_PER_UL:
        grade = 0
        reason = (
            f"single transient dip: nadir {nadir}/uL but the second-lowest value {second} "
            "is >1500 (non-transient neutropenia needs >= 2 values <=1500) -> 0"
        )
    else:
        grade = nadir_grade
        basis = "the only value" if second is None else f"second-lowest {second}"
        reason = f"ANC nadir {nadir}/uL ({basis}) -> {grade}"
    return IcahtResult(
        grade=grade,
        driver="anc_nadir" if grade else "none",
        scale=SCALE,
        reasons=(reason,),
        phase="late",
        nadir_anc_per_ul=nadir,
        second_lowest_anc_per_ul=second,
    )


def grade_t_icaht_early(*, platelets_by_day: Mapping[int, float | int | Decimal]) -> TIcahtResult:
    """Grade early T-ICAHT 0-4 from platelets (x10^9/L) by study day 0-30.

    PLT <50 for 1-6 days -> 1, >=7 -> 2; <20 for 1-13 days -> 3, >=14 -> 4 (longest merged
    episodes, gap policy of the module docstring). Source: `T_SOURCE`.
    """
    values = _parse_by_day(
        platelets_by_day, "platelets_by_day", first_day=EARLY_FIRST_DAY, last_day=EARLY_LAST_DAY
    )
    _check_leading_gap(values, "platelets_by_day", EARLY_FIRST_DAY)
    series, notes = _daily_series(values, "platelets_by_day")
    longest_50 = _longest(_episodes(series, lambda plt: plt < Fraction(PLT_MODERATE_10E9_L)))
    longest_20 = _longest(_episodes(series, lambda plt: plt < Fraction(PLT_SEVERE_10E9_L)))
    grade_50 = _duration_grade(_days(longest_50), T_EARLY_PLT_LT_50_BANDS)
    grade_20 = _duration_grade(_days(longest_20), T_EARLY_PLT_LT_20_BANDS)
    domains = [("plt_lt_50_days", grade_50), ("plt_lt_20_days", grade_20)]
    grade = max(grade_50, grade_20)
    return TIcahtResult(
        grade=grade,
        driver=_drivers(domains, grade),
        scale=T_SCALE,
        reasons=(
            _describe("PLT <50 x10^9/L", longest_50, grade_50),
            _describe("PLT <20 x10^9/L", longest_20, grade_20),
            *notes,
        ),
        phase="early",
        nadir_platelets_10e9_per_l=min(values.values()),
        longest_plt_lt_50_days=_days(longest_50),
        longest_plt_lt_20_days=_days(longest_20),
    )


def grade_t_icaht_late(
    *,
    platelets_by_day: Mapping[int, float | int | Decimal],
    window_last_day: int = LATE_LAST_DAY_DEFAULT,
) -> TIcahtResult:
    """Grade late T-ICAHT 0-4 from platelets (x10^9/L) by study day 31-`window_last_day`.

    Nadir <100 -> 1, <50 -> 2; PLT <20 for 1-13 days -> 3, >=14 -> 4. `window_last_day` ends the
    late window (a study parameter, default day +100). Gaps > 7 days are accepted only between
    two values >= 20 (module docstring). Source: `T_SOURCE`.
    """
    window_end = check.integer(window_last_day, "window_last_day", minimum=LATE_FIRST_DAY)
    values = _parse_by_day(
        platelets_by_day, "platelets_by_day", first_day=LATE_FIRST_DAY, last_day=window_end
    )
    series, notes = _daily_series(
        values,
        "platelets_by_day",
        long_gap_allowed=lambda a, b: min(a, b) >= PLT_SEVERE_10E9_L,
    )
    nadir = min(values.values())
    nadir_grade = next((g for limit, g in T_LATE_PLT_NADIR_BANDS if nadir < limit), 0)
    longest_20 = _longest(_episodes(series, lambda plt: plt < Fraction(PLT_SEVERE_10E9_L)))
    grade_20 = _duration_grade(_days(longest_20), T_LATE_PLT_LT_20_BANDS)
    domains = [("plt_nadir", nadir_grade), ("plt_lt_20_days", grade_20)]
    grade = max(nadir_grade, grade_20)
    return TIcahtResult(
        grade=grade,
        driver=_drivers(domains, grade),
        scale=T_SCALE,
        reasons=(
            f"PLT nadir {nadir} x10^9/L -> {nadir_grade}",
            _describe("PLT <20 x10^9/L", longest_20, grade_20),
            *notes,
        ),
        phase="late",
        nadir_platelets_10e9_per_l=nadir,
        longest_plt_lt_20_days=_days(longest_20),
    )
