"""What typed text and typed numbers may contain: the one place (pure; glue: edc/input_rules).

Text (every CharField and TextField of an audited model, every reason for change):
- Invisible characters are refused, not silently dropped, so what is stored is what the user
  saw: Unicode controls (category Cc: C0, DEL, C1, NUL, which PostgreSQL cannot store) except tab
  and newline in multi-line text, and format characters (category Cf: the bidi embeddings,
  overrides and isolates U+202A-U+202E and U+2066-U+2069, the marks U+200E/U+200F/U+061C,
  zero-width space/joiners U+200B-U+200D, U+2060, the byte-order mark U+FEFF, the soft hyphen,
  and the tag characters U+E0000-U+E007F that can hide text), plus the line and paragraph
  separators U+2028/U+2029. A right-to-left override would make "10 mg" display as "gm 01" and
  hide what the trail really holds (21 CFR 11.10(a)); no clinical text needs any of them.
- Whitespace is normalised: leading and trailing whitespace removed, CR LF and CR become LF.
- A value that a spreadsheet would run as a formula is refused: it begins with =, +, - or @ and
  contains a function call (a name directly followed by "(": `=HYPERLINK(`, `@SUM(`), a DDE
  link (a name followed by "|": `+cmd|`) or a sheet reference (`-Sheet1!A1`), or begins with =
  or @ and a cell reference (`=A1`, `@$B$2`). Ordinary clinical text passes: "-2 kg since last
  visit", "+ mild rash", "-ve culture", "- rash (arms)", "+C3 low" (a complement level, not a
  cell). "-CRP(mg/L)" is refused: the message says to put a space before "(". Exported CSV
  cells are neutralised as well (another layer).
- Length: at most the field's own limit; free text without one at most `TEXT_LIMIT`, a reason
  for change at most `REASON_LIMIT`.

Numbers (every integer and decimal entry field, and the digits of a typed date and time): plain
ASCII only, an optional sign, digits
0-9 and for decimals one decimal point. `int()` and `Decimal()` would also take "1_000",
Arabic-Indic "١٢٣", full-width "１２", "NaN", "Infinity" and "1e3"; a clinician types none of
them, and a digit that is not what it looks like must not become a value in the trail.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "REASON_LIMIT",
    "TEXT_LIMIT",
    "Problem",
    "check_datetime_literal",
    "check_number_literal",
    "check_text",
    "normalise_text",
]

TEXT_LIMIT = 4000
REASON_LIMIT = 500

_SEPARATORS = {"\u2028", "\u2029"}
_MULTILINE_ALLOWED = {"\n", "\t"}
_FORMULA_PREFIXES = ("=", "+", "-", "@")
_REFERENCE_PREFIXES = ("=", "@")
_FUNCTION_CALL = re.compile(r"(?<![A-Za-z0-9_.])[A-Za-z_][A-Za-z0-9_.]*\(", re.ASCII)
_DDE_LINK = re.compile(r"(?<![A-Za-z0-9_.])[A-Za-z_][A-Za-z0-9_.]*\s*\|", re.ASCII)
_SHEET = r"(?:'[^']+'|[A-Za-z_][A-Za-z0-9_.]*)!"
_CELL_REFERENCE = re.compile(rf"(?:{_SHEET})?\$?[A-Za-z]{{1,3}}\$?[0-9]+(?![A-Za-z0-9_])", re.ASCII)
_SHEET_REFERENCE = re.compile(_SHEET, re.ASCII)
_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)


@dataclass(frozen=True)
class Problem:
    """Why a value is refused: a code the glue turns into a translated message, and its facts."""

    code: str
    params: dict[str, str | int] = field(default_factory=dict)


def normalise_text(value: str, *, multiline: bool) -> str:
    """Leading and trailing whitespace removed; in multi-line text CR LF and CR become LF."""
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.strip()


def _invisible(value: str, *, multiline: bool) -> Problem | None:
    for position, char in enumerate(value, start=1):
        if multiline and char in _MULTILINE_ALLOWED:
            continue
        if unicodedata.category(char) in {"Cc", "Cf"} or char in _SEPARATORS:
            return Problem(
                "invisible_character",
                {
                    "codepoint": f"U+{ord(char):04X}",
                    "name": unicodedata.name(char, "control character"),
                    "position": position,
                },
            )
    return None


def _formula(value: str) -> Problem | None:
    if not value.startswith(_FORMULA_PREFIXES):
        return None
    # The signs and spaces a spreadsheet skips before the expression ("=-2+3+cmd|", "@ SUM(").
    rest = value.lstrip("=+-@ \t")
    token = (
        _FUNCTION_CALL.search(value) or _DDE_LINK.search(value) or _SHEET_REFERENCE.search(value)
    )
    if token is None and value[0] in _REFERENCE_PREFIXES:
        # "+C3 low" is a complement result, "=C3" is a cell: only = and @ start a bare reference.
        token = _CELL_REFERENCE.match(rest)
    if token is None:
        return None
    return Problem("formula", {"prefix": value[0], "token": token.group(0).strip()})


def check_text(value: str, *, multiline: bool, limit: int | None) -> Problem | None:
    """The first reason `value` (already normalised) cannot be stored, or None.

    `limit` is the maximum length (None: `TEXT_LIMIT`).
    """
    maximum = TEXT_LIMIT if limit is None else limit
    if len(value) > maximum:
        return Problem("too_long", {"limit": maximum, "length": len(value)})
    return _invisible(value, multiline=multiline) or _formula(value)


def check_number_literal(raw: str, *, integer: bool) -> Problem | None:
    """None when `raw` (stripped) is a plain ASCII number: sign, digits and, unless `integer`,
    one decimal point; otherwise the problem (underscores, other digits, NaN, exponents)."""
    pattern = _INTEGER if integer else _DECIMAL
    if pattern.fullmatch(raw.strip()):
        return None
    return Problem("integer_literal" if integer else "decimal_literal", {"value": raw[:40]})


def check_datetime_literal(raw: str) -> Problem | None:
    """None unless `raw` holds a digit other than ASCII 0-9: Django's ISO parser takes
    "٢٠٢٦-٠٥-٠١T10:00" and full-width digits for a date and time."""
    if any(char.isdigit() and not char.isascii() for char in raw):
        return Problem("datetime_literal", {"value": raw[:40]})
    return None
