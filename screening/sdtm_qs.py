"""SDTM QS from the disease-activity instruments: SLEDAI-2K, BILAG-2004, mRSS, ESSDAI, BVAS v3
and the RA joint counts with DAS28/CDAI.

QS rather than FA: each is a named, scored clinical classification instrument rated by the
investigator, which SDTMIG files in QS (QSCAT the instrument) and not as findings about an
event. The joint counts go with them (QSCAT RA DISEASE ACTIVITY), because the CRF collects them
as the inputs of DAS28 and CDAI, one number per count, not joint by joint (a per-joint
assessment would be FA or a custom domain). The records are the instrument's totals and
sub-scores as the EDC derives them (QSORRES as derived, origin Derived) and the BILAG-2004
letter of each system as rated; the item-level descriptors stay in the CRF. QSTESTCDs are
sponsor-defined: the CDISC QS supplements for these instruments were not available to check
codes against (see the README's SDTM table).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from edc.domain.calculators import BILAG2004_SYSTEMS
from edc.domain.sdtm import (
    VISIT,
    Dataset,
    DatasetSpec,
    DataType,
    Method,
    Origin,
    Row,
    Variable,
    assign_seq,
    identifiers,
    timing_variables,
)
from edc.models import Study
from edc.sdtm import subject_keys, timing
from screening.models import Bilag2004, Bvas, Essdai, JointCounts, Mrss, Sledai2k

INSTRUMENT_SCORE = Method(
    "MT.QSSCORE",
    "Instrument score",
    "Total or sub-score computed by the EDC from the items the investigator rated, with the "
    "instrument's published weights (edc.domain.calculators; SLEDAI-2K, BILAG-2004 numeric "
    "A=12 B=8 C=1, mRSS sum of 17 sites, ESSDAI weighted domains, BVAS v3, DAS28, CDAI).",
)

QS_SPEC = DatasetSpec(
    name="QS",
    label="Questionnaires",
    structure="One record per questionnaire per question per time point per visit per subject",
    dataset_class="FINDINGS",
    variables=(
        *identifiers("QS"),
        Variable("QSTESTCD", "Question Short Name", key=True),
        Variable("QSTEST", "Question Name"),
        Variable("QSCAT", "Category of Question", origin=Origin.ASSIGNED),
        Variable("QSORRES", "Finding in Original Units", origin=Origin.DERIVED),
        Variable("QSSTRESC", "Character Result/Finding in Std Format", origin=Origin.DERIVED),
        Variable(
            "QSSTRESN",
            "Numeric Finding in Standard Units",
            DataType.FLOAT,
            Origin.DERIVED,
            method=INSTRUMENT_SCORE,
        ),
        VISIT,
        *timing_variables("QS", "Date/Time of Finding", "Study Day of Finding"),
    ),
    comment="Disease-activity instruments as QS (QSCAT the instrument): totals and sub-scores "
    "derived by the EDC, and the BILAG-2004 letter per system. Sponsor-defined QSTESTCDs. "
    "The RA joint counts are QS with DAS28/CDAI since they are collected as counts, not per "
    "joint.",
)

# model -> (QSCAT, date field, [(field, QSTESTCD, QSTEST)])
SCORES: tuple[tuple[type, str, str, tuple[tuple[str, str, str], ...]], ...] = (
    (Sledai2k, "SLEDAI-2K", "assessed_on", (
        ("total", "SLEDTOT", "SLEDAI-2K Total Score"),
        ("clinical_total", "SLEDCLIN", "Clinical SLEDAI-2K Score"),
    )),
    (Bilag2004, "BILAG-2004", "assessed_on", (
        ("numeric_total", "BILAGTOT", "BILAG-2004 Numeric Total Score"),
        ("a_count", "BILAGNA", "BILAG-2004 Number of Systems Graded A"),
        ("b_count", "BILAGNB", "BILAG-2004 Number of Systems Graded B"),
    )),
    (Mrss, "MRSS", "assessed_on", (("total", "MRSSTOT", "Modified Rodnan Skin Score Total"),)),
    (Essdai, "ESSDAI", "assessed_on", (("total", "ESSDTOT", "ESSDAI Total Score"),)),
    (Bvas, "BVAS V3", "assessed_on", (
        ("total_new_worse", "BVASNW", "BVAS v3 New/Worse Score"),
        ("total_persistent", "BVASPERS", "BVAS v3 Persistent Score"),
    )),
    (JointCounts, "RA DISEASE ACTIVITY", "assessed_on", (
        ("tjc68", "TJC68", "Tender Joint Count (68 Joints)"),
        ("sjc66", "SJC66", "Swollen Joint Count (66 Joints)"),
        ("tjc28", "TJC28", "Tender Joint Count (28 Joints)"),
        ("sjc28", "SJC28", "Swollen Joint Count (28 Joints)"),
        ("patient_global_0_10", "PTGLOBAL", "Patient Global Assessment of Activity"),
        ("evaluator_global_0_10", "PHGLOBAL", "Evaluator Global Assessment of Activity"),
        ("das28_esr", "DAS28ESR", "DAS28-ESR"),
        ("das28_crp", "DAS28CRP", "DAS28-CRP"),
        ("cdai", "CDAI", "Clinical Disease Activity Index"),
    )),
)  # fmt: skip


def _text(value: int | Decimal) -> str:
    return format(Decimal(value).normalize(), "f")


def _score_rows(study: Study) -> Iterable[Row]:
    for model, category, date_field, scores in SCORES:
        records = model.objects.filter(
            subject__study=study, subject__subject_identifier__isnull=False
        ).select_related("subject__study")
        for record in records:
            base = {
                **subject_keys(record.subject, "QS"),
                "QSCAT": category,
                "VISIT": record.visit_code,
                **timing(record.subject, "QS", getattr(record, date_field)),
            }
            for field, testcd, test in scores:
                value = getattr(record, field)
                if value is None:
                    continue
                yield {
                    **base,
                    "QSTESTCD": testcd,
                    "QSTEST": test,
                    "QSORRES": _text(value),
                    "QSSTRESC": _text(value),
                    "QSSTRESN": value,
                }
            if model is Bilag2004:
                yield from _bilag_letters(record, base)


def _bilag_letters(record: Bilag2004, base: Row) -> Iterable[Row]:
    for system in BILAG2004_SYSTEMS:
        letter = getattr(record, system)
        yield {
            **base,
            "QSTESTCD": f"BLG{system[:5].upper()}",
            "QSTEST": f"BILAG-2004 {system.capitalize()} Grade",
            "QSORRES": letter,
            "QSSTRESC": letter,
            "QSSTRESN": None,
        }


def qs_dataset(study: Study) -> Dataset:
    rows = list(_score_rows(study))
    return Dataset(
        QS_SPEC,
        assign_seq(rows, "QSSEQ", order=lambda row: (row["QSDTC"], row["QSCAT"], row["QSTESTCD"])),
    )
