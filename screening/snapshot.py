"""What the eligibility engine sees of a subject: saved CRFs turned into labs, measures, results.

Each CRF contributes through one extractor here, and `SOURCE_CRF` says which form holds each
value, so the eligibility page can link a missing or failing value to the form that fixes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

from edc.domain.calculators import age_years, ckd_epi_2021, cockcroft_gault
from edc.domain.validation import ArgumentError
from edc.models import Subject
from edc.selectors import site_local
from screening.domain.eligibility import (
    NEVER,
    Confirmation,
    LabValue,
    MeasureValue,
    ResultValue,
    ScreeningSnapshot,
)
from screening.domain.prior_therapy import TherapyCourse, steroid_regimen
from screening.models import (
    AncaSerology,
    Bilag2004,
    Bvas,
    Echocardiography,
    EligibilityConfirmation,
    Essdai,
    InfectionScreen,
    JointCounts,
    LabResult,
    LupusSerology,
    MedicalHistory,
    Mrss,
    PregnancyTest,
    PriorTherapy,
    PulmonaryFunction,
    Sledai2k,
    TransfusionGrowthFactor,
    VitalSigns,
)

Item = LabValue | MeasureValue | ResultValue

SOURCE_CRF: dict[str, str] = {
    "spo2_room_air_pct": "vital_signs",
    "lvef_pct": "echocardiography",
    "fvc_pct_predicted": "pulmonary_function",
    "dlco_pct_predicted": "pulmonary_function",
    "hrct_ground_glass": "pulmonary_function",
    "crcl_cockcroft_gault_ml_min": "lab_panel",
    "egfr_ckd_epi_2021": "lab_panel",
    "pregnancy_serum_hcg": "pregnancy_test",
    "sledai2k": "sledai2k",
    "sledai2k_clinical": "sledai2k",
    "bilag_a_count": "bilag2004",
    "bilag_b_count": "bilag2004",
    "ana_titre_reciprocal": "lupus_serology",
    "anti_dsdna": "lupus_serology",
    "anti_sm": "lupus_serology",
    "mrss": "mrss",
    "essdai": "essdai",
    "bvas": "bvas",
    "mpo_anca": "anca_serology",
    "pr3_anca": "anca_serology",
    "disease_duration_months": "medical_history",
    "prednisone_equivalent_mg_day": "prior_therapy",
    "days_since_other_trial_treatment": "medical_history",
    "days_since_transfusion": "transfusion_growth_factor",
    "days_since_growth_factor": "transfusion_growth_factor",
    **dict.fromkeys([
        "sjc66", "tjc68", "das28_esr", "cdai", "acr_functional_class"], "joint_counts"
    ),
    "lactating": "pregnancy_test",
    **dict.fromkeys(
        ["hbsag", "hbcab", "hcv_ab", "hiv_ab", "syphilis", "hbv_dna_detectable",
         "hcv_rna_detectable", "tb_igra", "chest_imaging"],
        "infection_screen",
    ),
    **dict.fromkeys(
        ["glucocorticoid_combination_months", "treatment_stable_days",
         "on_immunosuppressant_or_biologic"],
        "prior_therapy",
    ),
}  # fmt: skip


def _vital_signs(v: VitalSigns) -> Iterator[Item]:
    if v.spo2_room_air_pct is not None:
        yield MeasureValue("spo2_room_air_pct", Decimal(v.spo2_room_air_pct), v.measured_on)


def _echocardiography(e: Echocardiography) -> Iterator[Item]:
    yield MeasureValue("lvef_pct", Decimal(e.lvef_pct), e.performed_on)


def _pulmonary_function(p: PulmonaryFunction) -> Iterator[Item]:
    for name in ("fvc_pct_predicted", "dlco_pct_predicted"):
        if getattr(p, name) is not None:
            yield MeasureValue(name, Decimal(getattr(p, name)), p.performed_on)
    if p.hrct_ground_glass:
        yield ResultValue(
            "hrct_ground_glass", p.hrct_ground_glass, p.hrct_performed_on or p.performed_on
        )


def _infection_screen(i: InfectionScreen) -> Iterator[Item]:
    for test in ("hbsag", "hbcab", "hcv_ab", "hiv_ab", "syphilis", "hbv_dna_detectable",
                 "hcv_rna_detectable", "tb_igra"):  # fmt: skip
        if getattr(i, test):
            yield ResultValue(test, getattr(i, test), i.tested_on)
    if i.chest_imaging and i.chest_imaging_on:
        yield ResultValue("chest_imaging", i.chest_imaging, i.chest_imaging_on)


def _pregnancy_test(p: PregnancyTest) -> Iterator[Item]:
    if not p.tested_at:
        return
    # Dated at the site: at UTC+8 a test at 07:00 is on that day, not on the UTC day before.
    at = site_local(p.subject, p.tested_at)
    if p.childbearing_potential:
        yield ResultValue("pregnancy_serum_hcg", p.result, at.date(), at)
    if p.lactating is not None:
        yield ResultValue("lactating", "yes" if p.lactating else "no", at.date())


def _measures(row: Any, day: dt.date, **fields: str) -> Iterator[Item]:
    """MeasureValue(name, row.<field>) for each name=field whose value was entered or derived."""
    for name, field in fields.items():
        if getattr(row, field) is not None:
            yield MeasureValue(name, Decimal(getattr(row, field)), day)


def _sledai2k(r: Sledai2k) -> Iterator[Item]:
    yield from _measures(r, r.assessed_on, sledai2k="total", sledai2k_clinical="clinical_total")


def _bilag2004(r: Bilag2004) -> Iterator[Item]:
    yield from _measures(r, r.assessed_on, bilag_a_count="a_count", bilag_b_count="b_count")


def _lupus_serology(r: LupusSerology) -> Iterator[Item]:
    yield from _measures(r, r.tested_on, ana_titre_reciprocal="ana_titre_reciprocal")
    yield ResultValue("anti_dsdna", r.anti_dsdna, r.tested_on)
    yield ResultValue("anti_sm", r.anti_sm, r.tested_on)


def _joint_counts(r: JointCounts) -> Iterator[Item]:
    yield from _measures(
        r, r.assessed_on, tjc68="tjc68", sjc66="sjc66", das28_esr="das28_esr", cdai="cdai",
        acr_functional_class="acr_functional_class",
    )  # fmt: skip


def _anca_serology(r: AncaSerology) -> Iterator[Item]:
    yield ResultValue("mpo_anca", r.mpo_anca, r.tested_on)
    yield ResultValue("pr3_anca", r.pr3_anca, r.tested_on)


def _medical_history(r: MedicalHistory) -> Iterator[Item]:
    consent = r.subject.consent_date
    yield MeasureValue(
        "disease_duration_months", Decimal(_completed_months(r.diagnosis_date, consent)), consent
    )
    last = r.other_trial_last_dose_on
    days = NEVER if last is None else Decimal((consent - last).days)
    yield MeasureValue("days_since_other_trial_treatment", days, consent)


def _completed_months(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


EXTRACTORS: tuple[tuple[type, Callable[[Any], Iterable[Item]]], ...] = (
    (VitalSigns, _vital_signs),
    (Echocardiography, _echocardiography),
    (PulmonaryFunction, _pulmonary_function),
    (InfectionScreen, _infection_screen),
    (PregnancyTest, _pregnancy_test),
    (Sledai2k, _sledai2k),
    (Bilag2004, _bilag2004),
    (LupusSerology, _lupus_serology),
    (Mrss, lambda r: _measures(r, r.assessed_on, mrss="total")),
    (Essdai, lambda r: _measures(r, r.assessed_on, essdai="total")),
    (JointCounts, _joint_counts),
    (Bvas, lambda r: _measures(r, r.assessed_on, bvas="total_new_worse")),
    (AncaSerology, _anca_serology),
    (MedicalHistory, _medical_history),
)


def _labs(subject: Subject) -> list[LabValue]:
    return [
        LabValue(r.analyte, r.value_si, r.si_unit, r.lln_si, r.uln_si, r.collected_on)
        for r in LabResult.objects.filter(subject=subject)
    ]


def _renal_function(subject: Subject, labs: list[LabValue]) -> Iterator[MeasureValue]:
    """eGFR (CKD-EPI 2021) and creatinine clearance (Cockcroft-Gault, with the latest weight on
    or before the sample) for each creatinine result."""
    weights = sorted(
        VitalSigns.objects.filter(subject=subject).values_list("measured_on", "weight_kg")
    )
    for lab in (x for x in labs if x.analyte == "creatinine"):
        common = {
            "age_years": age_years(born=subject.date_of_birth, on=lab.collected_on),
            "creatinine": lab.value,
            "creatinine_unit": "umol/L",
            "sex": subject.sex,
        }
        weight = next((w for day, w in reversed(weights) if day <= lab.collected_on), None)
        try:
            egfr = ckd_epi_2021(**common)
            crcl = cockcroft_gault(weight_kg=weight, **common) if weight is not None else None
        except ArgumentError:
            continue  # e.g. an age outside the adult formulas: the criterion shows missing data
        yield MeasureValue("egfr_ckd_epi_2021", _two_places(egfr), lab.collected_on)
        if crcl is not None:
            yield MeasureValue("crcl_cockcroft_gault_ml_min", _two_places(crcl), lab.collected_on)


def _exposures(subject: Subject, labs: list[LabValue]) -> Iterator[MeasureValue]:
    """Days from the last transfusion / growth factor to the latest screening blood count, so
    that counts propped up within the protocol's window are caught (NEVER when none)."""
    counts = [x.collected_on for x in labs if x.analyte in ("neutrophils", "hemoglobin")]
    row = TransfusionGrowthFactor.objects.filter(subject=subject).order_by("-created_at").first()
    if row is None or not counts:
        return
    sampled = max(counts)
    for name, last in (
        ("days_since_transfusion", row.last_transfusion_on),
        ("days_since_growth_factor", row.last_growth_factor_on),
    ):
        yield MeasureValue(name, NEVER if last is None else Decimal((sampled - last).days), sampled)


def _steroid_dose(subject: Subject) -> Iterator[MeasureValue]:
    """The regimen on the consent date (screening.domain.prior_therapy): the glucocorticoid dose
    (prednisone-equivalent mg/day, all rows summed; 0 when none ran then), whether an
    immunosuppressant or biologic ran beside it, for how many months the two were combined, and
    how long the regimen has been unchanged; once any prior therapy is recorded."""
    rows = list(PriorTherapy.objects.filter(subject=subject))
    if not rows:
        return
    day = subject.consent_date
    regimen = steroid_regimen(
        courses=[
            TherapyCourse(
                kind=r.kind,
                start=r.start_date,
                stop=r.stop_date,
                prednisone_mg_day=r.dose if r.dose_unit == "mg/day" else None,
            )
            for r in rows
        ],
        on=day,
    )
    yield MeasureValue("prednisone_equivalent_mg_day", regimen.prednisone_mg_day, day)
    yield MeasureValue("on_immunosuppressant_or_biologic", Decimal(int(regimen.combined)), day)
    yield MeasureValue(
        "glucocorticoid_combination_months", Decimal(regimen.combination_months), day
    )
    yield MeasureValue("treatment_stable_days", Decimal(regimen.stable_days), day)


def _two_places(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def screening_snapshot(subject: Subject, *, today: dt.date, now: dt.datetime) -> ScreeningSnapshot:
    """Everything saved for a subject, as the eligibility engine takes it, on `today` (the site's
    date); the engine reads days in `now`'s time zone, so `now` is passed as the site's time."""
    labs = _labs(subject)
    items: list[Item] = []
    for model, extract in EXTRACTORS:
        for row in model.objects.filter(subject=subject):
            items.extend(extract(row))
    measures = [i for i in items if isinstance(i, MeasureValue)]
    measures.append(
        MeasureValue(
            "age_at_consent_years",
            Decimal(age_years(born=subject.date_of_birth, on=subject.consent_date)),
            subject.consent_date,
        )
    )
    measures.extend(_renal_function(subject, labs))
    measures.extend(_exposures(subject, labs))
    measures.extend(_steroid_dose(subject))
    pregnancy = PregnancyTest.objects.filter(subject=subject).order_by("-created_at").first()
    childbearing = (
        False if subject.sex == "M" else (pregnancy.childbearing_potential if pregnancy else None)
    )
    if childbearing is False:
        # Men and women who cannot become pregnant need no test: protocols record it so.
        items.append(ResultValue("pregnancy_serum_hcg", "not_applicable", subject.consent_date))
    return ScreeningSnapshot(
        stratum=subject.stratum.code,
        sex=subject.sex,
        childbearing_potential=childbearing,
        consent_date=subject.consent_date,
        screening_date=subject.consent_date,
        enrolment_date=today,
        now=site_local(subject, now),
        labs=tuple(labs),
        measures=tuple(measures),
        results=tuple(i for i in items if isinstance(i, ResultValue)),
        confirmations=tuple(
            Confirmation(c.key, c.met, c.note)
            for c in EligibilityConfirmation.objects.filter(subject=subject)
        ),
    )
