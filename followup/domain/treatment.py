"""What a subject takes on the day of an assessment, read from the concomitant-medication log.

The remission definitions need the glucocorticoid dose (prednisone-equivalent mg/day) and whether
an immunosuppressant, a biologic or an antimalarial is taken (clinical-rules.md §13.3, §13.6).
Sites write the drug as prescribed (often in Chinese) and the ATC code when they know it, so a
class is recognised from either, as `screening.domain.medications` recognises the drugs the
safety reviews flag. The log is the one source during the study: the prior-therapy form
describes the history before screening and would count the same prednisone twice.

A systemic glucocorticoid running on the day without a prednisone equivalent makes the dose
unknown (None, the drug named): the rules then say the dose is missing, never assume 0.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from screening.domain.medications import MedicationFlag, medication_flag

__all__ = ["DrugClass", "Medication", "Treatment", "drug_class", "treatment_on"]


class DrugClass(StrEnum):
    GLUCOCORTICOID = "glucocorticoid"
    ANTIMALARIAL = "antimalarial"
    IMMUNOSUPPRESSANT = "immunosuppressant"
    BIOLOGIC = "biologic"


# ATC prefixes (WHO ATC/DDD index 2024): aminoquinolines; the conventional immunosuppressants of
# lupus and vasculitis care (mycophenolate, leflunomide, ciclosporin, tacrolimus, azathioprine,
# methotrexate, cyclophosphamide); the B-cell, interferon, IL-6, TNF and T-cell biologics.
CLASS_ATC: tuple[tuple[str, DrugClass], ...] = (
    ("P01BA", DrugClass.ANTIMALARIAL),
    ("L04AA06", DrugClass.IMMUNOSUPPRESSANT),
    ("L04AA13", DrugClass.IMMUNOSUPPRESSANT),
    ("L04AK01", DrugClass.IMMUNOSUPPRESSANT),
    ("L04AD", DrugClass.IMMUNOSUPPRESSANT),
    ("L04AX01", DrugClass.IMMUNOSUPPRESSANT),
    ("L04AX03", DrugClass.IMMUNOSUPPRESSANT),
    ("L01BA01", DrugClass.IMMUNOSUPPRESSANT),
    ("L01AA01", DrugClass.IMMUNOSUPPRESSANT),
    ("L01FA01", DrugClass.BIOLOGIC),
    ("L04AA26", DrugClass.BIOLOGIC),
    ("L04AA51", DrugClass.BIOLOGIC),
    ("L04AA24", DrugClass.BIOLOGIC),
    ("L04AB", DrugClass.BIOLOGIC),
    ("L04AC", DrugClass.BIOLOGIC),
)

CLASS_NAMES: dict[DrugClass, tuple[str, ...]] = {
    DrugClass.ANTIMALARIAL: ("hydroxychloroquine", "chloroquine", "plaquenil", "羟氯喹", "氯喹"),
    DrugClass.IMMUNOSUPPRESSANT: (
        "mycophenolate", "mycophenolic acid", "cellcept", "leflunomide", "ciclosporin",
        "cyclosporine", "tacrolimus", "azathioprine", "methotrexate", "cyclophosphamide",
        "吗替麦考酚酯", "霉酚酸", "来氟米特", "环孢素", "他克莫司", "硫唑嘌呤", "甲氨蝶呤",
        "环磷酰胺",
    ),
    DrugClass.BIOLOGIC: (
        "rituximab", "belimumab", "telitacicept", "anifrolumab", "abatacept", "adalimumab",
        "etanercept", "infliximab", "tocilizumab", "利妥昔单抗", "贝利尤单抗", "泰它西普",
        "阿尼鲁单抗", "阿巴西普", "阿达木单抗", "依那西普", "英夫利昔单抗", "托珠单抗",
    ),
}  # fmt: skip

# Routes that act on the whole body: a glucocorticoid cream or inhaler does not count as a dose.
SYSTEMIC_ROUTES = frozenset({"oral", "intravenous", "intramuscular", "subcutaneous"})


def _written_in(listed: str, written: str) -> bool:
    if listed.isascii():
        return re.search(rf"(?<![a-z]){re.escape(listed)}(?![a-z])", written) is not None
    return listed in written


def drug_class(name: str, atc_code: str = "") -> DrugClass | None:
    """The class of a medication as the remission rules count it, by ATC code, then by name;
    glucocorticoids are those the safety flags recognise (`medication_flag`)."""
    if medication_flag(name, atc_code) is MedicationFlag.CORTICOSTEROID:
        return DrugClass.GLUCOCORTICOID
    code = atc_code.strip().upper()
    for prefix, found in CLASS_ATC:
        if code.startswith(prefix):
            return found
    written = name.casefold()
    for found, names in CLASS_NAMES.items():
        if any(_written_in(listed, written) for listed in names):
            return found
    return None


@dataclass(frozen=True)
class Medication:
    """One concomitant-medication row as the rules read it."""

    name: str
    atc_code: str
    route: str
    start: dt.date
    stop: dt.date | None
    prednisone_mg_day: Decimal | None = None

    def running_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.stop is None or self.stop >= day)


@dataclass(frozen=True)
class Treatment:
    """The treatment on one day: the summed prednisone equivalent (None when a running systemic
    glucocorticoid has no equivalent, named in `dose_unknown`) and the classes taken."""

    prednisone_mg_day: Decimal | None
    on_immunosuppressant: bool
    on_biologic: bool
    on_antimalarial: bool
    glucocorticoids: tuple[str, ...]
    dose_unknown: tuple[str, ...]
    others: tuple[str, ...]  # the immunosuppressants, biologics and antimalarials, by name


def treatment_on(*, medications: Iterable[Medication], on: dt.date) -> Treatment:
    running = [m for m in medications if m.running_on(on)]
    classes = {id(m): drug_class(m.name, m.atc_code) for m in running}
    steroids = [
        m
        for m in running
        if classes[id(m)] is DrugClass.GLUCOCORTICOID and m.route in SYSTEMIC_ROUTES
    ]
    unknown = tuple(m.name for m in steroids if m.prednisone_mg_day is None)
    dose = (
        None if unknown else sum((m.prednisone_mg_day or Decimal(0) for m in steroids), Decimal(0))
    )

    def taking(wanted: DrugClass) -> bool:
        return any(classes[id(m)] is wanted for m in running)

    others = tuple(
        m.name
        for m in running
        if classes[id(m)]
        in (DrugClass.IMMUNOSUPPRESSANT, DrugClass.BIOLOGIC, DrugClass.ANTIMALARIAL)
    )
    return Treatment(
        prednisone_mg_day=dose,
        on_immunosuppressant=taking(DrugClass.IMMUNOSUPPRESSANT),
        on_biologic=taking(DrugClass.BIOLOGIC),
        on_antimalarial=taking(DrugClass.ANTIMALARIAL),
        glucocorticoids=tuple(m.name for m in steroids),
        dose_unknown=unknown,
        others=others,
    )
