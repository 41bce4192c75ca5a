"""SDTM datasets as plain data: variable metadata, the SAS XPORT v5 limits, and the derivations
every domain shares (USUBJID, --SEQ, ISO 8601 --DTC, --DY relative to RFSTDTC).

The XPORT v5 limits are checked here rather than left to the writer: pyreadstat truncates a
41-character label without a word, writes a 201-character value, and writes non-ASCII text as
raw UTF-8, so a file it accepts can still be one a regulator's tools reject. Every problem is
reported with the dataset, variable and row it was found in, so a data manager can fix the
source record rather than guess.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

MAX_NAME = 8
MAX_LABEL = 40
MAX_CHAR_VALUE = 200
MAX_DATASET_LABEL = 40

Value = str | int | float | Decimal | None
Row = dict[str, Value]


class DataType(StrEnum):
    """A variable's type: text is SAS character; integer and float are SAS numeric."""

    TEXT = "text"
    INTEGER = "integer"
    FLOAT = "float"


class Origin(StrEnum):
    """Define-XML 2.1 origin types."""

    COLLECTED = "Collected"
    DERIVED = "Derived"
    ASSIGNED = "Assigned"
    PROTOCOL = "Protocol"


@dataclass(frozen=True)
class Method:
    """How a derived variable is computed: Define-XML's MethodDef, shared by every variable
    derived the same way (every --DY uses STUDY_DAY_METHOD)."""

    oid: str
    name: str
    description: str
    type: str = "Computation"


@dataclass(frozen=True)
class Variable:
    """One SDTM variable as Define-XML describes it; `length` is the longest value written
    (filled in by the writer when left None).

    `free_text` marks a verbatim the site typed (AETERM, CMTRT, MHTERM): the one kind of value
    allowed to hold text XPORT v5 cannot (see `xpt_value`); `xpt_fallback` names the variable
    of the same record whose coded English term stands in for it in the .xpt (AETERM ->
    AEDECOD). `method` and `comment` become Define-XML's MethodDef and CommentDef.
    """

    name: str
    label: str
    type: DataType = DataType.TEXT
    origin: Origin = Origin.COLLECTED
    codelist: str | None = None
    length: int | None = None
    key: bool = False
    free_text: bool = False
    xpt_fallback: str | None = None
    method: Method | None = None
    comment: str | None = None


@dataclass(frozen=True)
class DatasetSpec:
    """A domain's metadata: name (2 letters, or SUPP-- for supplemental qualifiers), label and
    its variables in the order they are written."""

    name: str
    label: str
    variables: tuple[Variable, ...]
    structure: str = "One record per subject"
    dataset_class: str = "SPECIAL PURPOSE"
    comment: str | None = None

    @property
    def names(self) -> list[str]:
        return [variable.name for variable in self.variables]

    @property
    def key_sequence(self) -> dict[str, int]:
        """The keys numbered 1, 2, ... in variable order: Define-XML's KeySequence and
        Dataset-JSON's keySequence, which must agree."""
        keys = [variable.name for variable in self.variables if variable.key]
        return {name: number for number, name in enumerate(keys, start=1)}


@dataclass
class Dataset:
    spec: DatasetSpec
    rows: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    dataset: str
    variable: str | None
    row: int | None  # 1-based record number, None for metadata problems
    message: str

    def __str__(self) -> str:
        where = self.dataset
        if self.variable:
            where += f".{self.variable}"
        if self.row is not None:
            where += f" row {self.row}"
        return f"{where}: {self.message}"


class SdtmError(ValueError):
    """A dataset that cannot be written as SAS XPORT v5; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


def _text_problems(text: str, limit: int, ascii_only: bool = True) -> list[str]:
    messages = []
    if len(text) > limit:
        messages.append(f"{len(text)} characters, at most {limit} allowed")
    if ascii_only and not text.isascii():
        bad = next(char for char in text if not char.isascii())
        messages.append(f"non-ASCII character {bad!r}")
    return messages


def _name_problems(name: str) -> list[str]:
    messages = []
    if not 1 <= len(name) <= MAX_NAME:
        messages.append(f"name {name!r} must be 1 to {MAX_NAME} characters")
    if not (name.isascii() and name.isupper() and name.replace("_", "").isalnum()):
        messages.append(f"name {name!r} must be upper-case letters, digits and _")
    elif not name[0].isalpha():
        messages.append(f"name {name!r} must start with a letter")
    return messages


def metadata_problems(spec: DatasetSpec) -> list[Problem]:
    problems = [Problem(spec.name, None, None, m) for m in _name_problems(spec.name)]
    problems += [
        Problem(spec.name, None, None, f"dataset label {m}")
        for m in _text_problems(spec.label, MAX_DATASET_LABEL)
    ]
    seen: set[str] = set()
    for variable in spec.variables:
        problems += [
            Problem(spec.name, variable.name, None, m) for m in _name_problems(variable.name)
        ]
        problems += [
            Problem(spec.name, variable.name, None, f"label {m}")
            for m in _text_problems(variable.label, MAX_LABEL)
        ]
        if variable.name in seen:
            problems.append(Problem(spec.name, variable.name, None, "declared twice"))
        seen.add(variable.name)
    return problems


def _value_problem(variable: Variable, value: Value, ascii_only: bool) -> list[str]:
    if value is None:
        return []
    if variable.type is DataType.TEXT:
        if not isinstance(value, str):
            return [f"text expected, got {type(value).__name__}"]
        return _text_problems(value, MAX_CHAR_VALUE, ascii_only)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return [f"number expected, got {type(value).__name__}"]
    if variable.type is DataType.INTEGER and value != int(value):
        return [f"integer expected, got {value}"]
    return []


def check_dataset(dataset: Dataset, *, ascii_only: bool = True) -> None:
    """Raise SdtmError naming every metadata and value problem that XPORT v5 would not hold
    (`ascii_only=False` for Dataset-JSON, which is UTF-8: its values may be any text, its names
    and labels are still the XPORT ones, since Define-XML describes both files)."""
    spec = dataset.spec
    problems = metadata_problems(spec)
    declared = set(spec.names)
    for number, row in enumerate(dataset.rows, start=1):
        for name in row.keys() - declared:
            problems.append(Problem(spec.name, name, number, "value for an undeclared variable"))
        for variable in spec.variables:
            problems += [
                Problem(spec.name, variable.name, number, message)
                for message in _value_problem(variable, row.get(variable.name), ascii_only)
            ]
    if problems:
        raise SdtmError(problems)


# Free text XPORT v5 cannot hold -----------------------------------------------------------


def xpt_value(variable: Variable, row: Row) -> Value:
    """The value a free-text variable has in the .xpt.

    XPORT v5 is ASCII, and a Chinese verbatim (肺炎) written as raw UTF-8 bytes reads back as
    mojibake in SAS, so it is not written. Latin letters with accents and the usual symbols are
    spelled in ASCII (Sjögren -> Sjogren, ≥ -> >=; `ascii_fold`), which keeps the meaning.
    Otherwise the record's coded English term stands in when the variable names one and that
    term is ASCII (AETERM -> AEDECOD, the CTCAE term), else the cell is blank. Nothing is lost:
    Dataset-JSON is UTF-8 and keeps the verbatim, and Define-XML says so on the variable
    (`xpt_note`). Only free text gets this treatment: a non-ASCII code or date is a mapping
    error and still stops the export.
    """
    value = row.get(variable.name)
    if not (variable.free_text and isinstance(value, str)) or value.isascii():
        return value
    folded = ascii_fold(value)
    if folded is not None:
        return folded
    fallback = row.get(variable.xpt_fallback) if variable.xpt_fallback else None
    return fallback if isinstance(fallback, str) and fallback.isascii() else ""


# Symbols with a plain ASCII spelling that NFKD decomposition does not give.
ASCII_SPELLING = {
    "≥": ">=", "≤": "<=", "×": "x", "µ": "u", "μ": "u", "–": "-", "—": "-", "‘": "'",
    "’": "'", "“": '"', "”": '"', "°": " deg", "±": "+/-", "·": ".", "β": "beta", "α": "alpha",
    "γ": "gamma", "⁃": "-", "\u00a0": " ",
}  # fmt: skip


def ascii_fold(text: str) -> str | None:
    """`text` in ASCII when only accents and the symbols of ASCII_SPELLING stand in the way
    (None otherwise: Chinese has no ASCII spelling that keeps its meaning)."""
    spelled = "".join(ASCII_SPELLING.get(char, char) for char in text)
    decomposed = unicodedata.normalize("NFKD", spelled)
    folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    return folded if folded.isascii() else None


def xpt_rows(dataset: Dataset) -> list[Row]:
    """The dataset's rows as the .xpt holds them (`xpt_value` on every free-text variable)."""
    free = [variable for variable in dataset.spec.variables if variable.free_text]
    if not free:
        return dataset.rows
    return [{**row, **{v.name: xpt_value(v, row) for v in free}} for row in dataset.rows]


def not_in_xpt_count(dataset: Dataset, variable: Variable) -> int:
    """How many of the variable's values the .xpt does not hold as they are (not even spelled
    in ASCII): those the Define-XML note is about."""
    return sum(
        1
        for row in dataset.rows
        if isinstance(row.get(variable.name), str)
        and not str(row[variable.name]).isascii()
        and ascii_fold(str(row[variable.name])) is None
    )


def xpt_note(dataset: Dataset, variable: Variable) -> str | None:
    """What Define-XML says about a free-text variable some of whose values are not in the .xpt
    (None when every value is ASCII, so the .xpt holds them all)."""
    count = not_in_xpt_count(dataset, variable) if variable.free_text else 0
    if not count:
        return None
    stand_in = f"the record's {variable.xpt_fallback}" if variable.xpt_fallback else "a blank"
    return (
        f"{count} value(s) of {variable.name} are not ASCII text (e.g. Chinese), which SAS "
        f"XPORT v5 cannot hold: the .xpt has {stand_in} instead; the verbatim is kept in the "
        f"UTF-8 Dataset-JSON file {dataset.spec.name.lower()}.json."
    )


def column_length(dataset: Dataset, variable: Variable) -> int:
    """The declared length, or the longest value (at least 1, as SAS needs)."""
    if variable.length is not None:
        return variable.length
    if variable.type is not DataType.TEXT:
        return 8
    # The .xpt may hold a stand-in for a verbatim (xpt_value) longer than the verbatim itself.
    values = [row.get(variable.name) for row in dataset.rows]
    if variable.free_text:
        values += [xpt_value(variable, row) for row in dataset.rows]
    return max([1, *(len(value) for value in values if isinstance(value, str))])


# Derivations shared by every domain ---------------------------------------------------------


def usubjid(studyid: str, subjid: str) -> str:
    """STUDYID-SUBJID: unique across every study a sponsor submits."""
    return f"{studyid}-{subjid}"


def subjid(subject_identifier: str, studyid: str) -> str:
    """The subject's id within the study: the EDC's identifier without a leading study code
    (CT1192-01-001 -> 01-001), so that USUBJID does not repeat the study."""
    prefix = f"{studyid}-"
    return subject_identifier.removeprefix(prefix)


@dataclass(frozen=True)
class PartialDate:
    """A date known only to the year or the month (an onset 'in March 2025')."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.month is None and self.day is not None:
            raise ValueError("a day needs a month")
        if self.day is not None and self.month is not None:
            dt.date(self.year, self.month, self.day)  # raises on an impossible date
        elif self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} out of range")


def dtc(value: dt.date | dt.datetime | PartialDate | None) -> str:
    """ISO 8601 text for a --DTC variable: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss].

    A datetime is written as it is given (the caller converts to the site's local time, as
    SDTM records times where they were observed); seconds only when they are not zero.
    """
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        parts = [f"{value.year:04d}"]
        if value.month is not None:
            parts.append(f"{value.month:02d}")
        if value.day is not None:
            parts.append(f"{value.day:02d}")
        return "-".join(parts)
    if isinstance(value, dt.datetime):
        spec = "seconds" if value.second else "minutes"
        return value.replace(tzinfo=None, microsecond=0).isoformat(timespec=spec)
    return value.isoformat()


def study_day(
    value: dt.date | dt.datetime | PartialDate | None, reference: dt.date | None
) -> int | None:
    """--DY: day 1 is the reference date (RFSTDTC, the infusion), the day before it is -1;
    there is no day 0. None when either date is missing or the date is partial."""
    if value is None or reference is None or isinstance(value, PartialDate):
        return None
    day = value.date() if isinstance(value, dt.datetime) else value
    offset = (day - reference).days
    return offset + 1 if offset >= 0 else offset


def assign_seq(
    rows: Iterable[Row], seq_name: str, order: Callable[[Row], tuple] | None = None
) -> list[Row]:
    """Number each subject's records 1, 2, ... in `order` (default: as given) into --SEQ;
    the rows come back grouped by USUBJID."""
    by_subject: dict[str, list[Row]] = {}
    for row in rows:
        by_subject.setdefault(str(row["USUBJID"]), []).append(row)
    numbered: list[Row] = []
    for subject in sorted(by_subject):
        records = by_subject[subject]
        if order is not None:
            records = sorted(records, key=order)
        for number, row in enumerate(records, start=1):
            numbered.append({**row, seq_name: number})
    return numbered


def planned_arm(dose_level: int | None) -> tuple[str, str]:
    """ARMCD and ARM of a dose level, the arms of a dose-escalation study (DM and TA agree);
    blank when there is none (SDTMIG 3.4 says why in ARMNRS instead of the older
    NOTASSGN/NOTTRT pseudo-arms)."""
    if dose_level is None:
        return "", ""
    return f"DL{dose_level}", f"Dose level {dose_level}"


def yes_no(flag: bool | None) -> str:
    """CDISC NY code list (C66742): Y, N, or blank when not asked."""
    if flag is None:
        return ""
    return "Y" if flag else "N"


SEX_CODES: Mapping[str, str] = {"M": "M", "F": "F", "U": "U", "": "U"}


def sex_code(value: str) -> str:
    """CDISC SEX code list (C66731): M, F, U."""
    return SEX_CODES[value]


# ISO 3166-1 alpha-3, which DM.COUNTRY uses, for the alpha-2 codes sites are registered with.
COUNTRY_ALPHA3: Mapping[str, str] = {
    "CN": "CHN", "HK": "HKG", "TW": "TWN", "MO": "MAC", "SG": "SGP", "JP": "JPN", "KR": "KOR",
    "US": "USA", "CA": "CAN", "GB": "GBR", "DE": "DEU", "FR": "FRA", "IT": "ITA", "ES": "ESP",
    "NL": "NLD", "BE": "BEL", "CH": "CHE", "AT": "AUT", "AU": "AUS", "NZ": "NZL", "IL": "ISR",
}  # fmt: skip


def country_code(alpha2: str) -> str:
    """ISO 3166-1 alpha-3 for an alpha-2 code; an unknown code fails rather than guess."""
    try:
        return COUNTRY_ALPHA3[alpha2.upper()]
    except KeyError:
        raise ValueError(f"no ISO 3166 alpha-3 code known for country {alpha2!r}") from None


def controlled(value: str) -> str:
    """A stored choice code as its CDISC term: not_hispanic_or_latino -> NOT HISPANIC OR LATINO."""
    return value.replace("_", " ").upper()


# Variables every domain shares ---------------------------------------------------------------

STUDYID = Variable("STUDYID", "Study Identifier", key=True, origin=Origin.PROTOCOL)
USUBJID = Variable("USUBJID", "Unique Subject Identifier", key=True, origin=Origin.DERIVED)
VISIT = Variable("VISIT", "Visit Name", origin=Origin.COLLECTED)


DOMAIN = Variable("DOMAIN", "Domain Abbreviation", origin=Origin.ASSIGNED)


SEQ_METHOD = Method(
    "MT.SEQ",
    "Sequence number",
    "Numbered 1, 2, ... within each USUBJID, in the order of the record's date (then its "
    "test code or term), so that --SEQ is unique per subject within the domain.",
)
STUDY_DAY_METHOD = Method(
    "MT.STUDYDAY",
    "Study day",
    "--DY = (date of --DTC) - (date of DM.RFSTDTC) + 1 when on or after RFSTDTC, else "
    "(date of --DTC) - (date of DM.RFSTDTC); there is no day 0. RFSTDTC is the date of the "
    "CAR-T infusion. Blank when either date is missing or partial.",
)


def identifiers(domain: str) -> tuple[Variable, ...]:
    """STUDYID, DOMAIN, USUBJID and --SEQ, the leading keys of an events/findings domain."""
    return (
        STUDYID,
        DOMAIN,
        USUBJID,
        Variable(
            f"{domain}SEQ",
            "Sequence Number",
            DataType.INTEGER,
            Origin.DERIVED,
            key=True,
            method=SEQ_METHOD,
        ),
    )


def timing_variables(prefix: str, dtc_label: str, dy_label: str) -> tuple[Variable, ...]:
    """--DTC (ISO 8601 text) and --DY (derived against RFSTDTC) of one date."""
    return (
        Variable(f"{prefix}DTC", dtc_label),
        Variable(
            f"{prefix}DY", dy_label, DataType.INTEGER, Origin.DERIVED, method=STUDY_DAY_METHOD
        ),
    )


# Supplemental qualifiers (SUPP--) -----------------------------------------------------------


@dataclass(frozen=True)
class Qualifier:
    """A non-standard variable carried in SUPP--: QNAM ≤ 8, QLABEL ≤ 40."""

    name: str
    label: str
    origin: Origin = Origin.COLLECTED


def supp_spec(domain: str) -> DatasetSpec:
    return DatasetSpec(
        name=f"SUPP{domain}",
        label=f"Supplemental Qualifiers for {domain}",
        structure="One record per IDVAR, IDVARVAL, and QNAM value per subject",
        dataset_class="RELATIONSHIP",
        variables=(
            STUDYID,
            Variable("RDOMAIN", "Related Domain Abbreviation", origin=Origin.ASSIGNED, key=True),
            USUBJID,
            Variable("IDVAR", "Identifying Variable", origin=Origin.ASSIGNED, key=True),
            Variable("IDVARVAL", "Identifying Variable Value", origin=Origin.DERIVED, key=True),
            Variable("QNAM", "Qualifier Variable Name", origin=Origin.ASSIGNED, key=True),
            Variable("QLABEL", "Qualifier Variable Label", origin=Origin.ASSIGNED),
            Variable("QVAL", "Data Value"),
            Variable("QORIG", "Origin", origin=Origin.ASSIGNED),
        ),
    )


def split_supplemental(
    domain: str, rows: Iterable[Row], qualifiers: Iterable[Qualifier]
) -> tuple[list[Row], list[Row]]:
    """Move each qualifier's value out of the parent rows into SUPP-- rows keyed by --SEQ, or
    by the subject alone for DM, which has one record per subject (blank values are not
    written: SUPP-- holds only what was recorded)."""
    qualifiers = tuple(qualifiers)
    idvar = "" if domain == "DM" else f"{domain}SEQ"
    names = {qualifier.name for qualifier in qualifiers}
    parents, supplemental = [], []
    for row in rows:
        parents.append({name: value for name, value in row.items() if name not in names})
        for qualifier in qualifiers:
            value = row.get(qualifier.name)
            if value is None or value == "":
                continue
            supplemental.append(
                {
                    "STUDYID": row["STUDYID"],
                    "RDOMAIN": domain,
                    "USUBJID": row["USUBJID"],
                    "IDVAR": idvar,
                    "IDVARVAL": str(row[idvar]) if idvar else "",
                    "QNAM": qualifier.name,
                    "QLABEL": qualifier.label,
                    "QVAL": str(value),
                    "QORIG": qualifier.origin.value,
                }
            )
    return parents, supplemental
