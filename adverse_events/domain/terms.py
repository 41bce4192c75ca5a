"""The CTCAE v5.0 term list of the AE log (data file `adverse_events/data/ctcae_v5_terms.csv`)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TERMS_FILE = Path(__file__).resolve().parents[1] / "data" / "ctcae_v5_terms.csv"
CTCAE_VERSION = "5.0"


@dataclass(frozen=True)
class Term:
    code: str
    term: str
    soc: str
    category: str  # the DLT rule family: crs, icans, hematologic, gvhd, infection, other
    term_zh: str = ""  # the Chinese name; "" where none is given (the UI then shows `term`)
    # The adverse event of special interest an event of this term always is ("" for none): the
    # AE log flags it whatever was typed (adverse_events.services.adverse_event_derive).
    aesi: str = ""


@cache
def ctcae_terms() -> dict[str, Term]:
    """code -> Term, in file order."""
    with TERMS_FILE.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        terms = {row["code"]: Term(**row) for row in rows}
    return terms
