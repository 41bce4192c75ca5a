"""The protocol definition format: one versioned YAML file per trial under `protocols/`.

A new trial is a new file, never new code, so everything a study team may change (criteria,
dose levels, windows, schedules) is data here, validated on load. Each error names the file, the
path inside it and the problem, because the people who edit these files are study managers.

Where a registration is silent, a file states the value it assumed in an `assumption` field next
to it, so the UI and the next reader can tell a protocol fact from a default.

Eligibility rules are a small tree of typed nodes (no strings to evaluate):
  lab      a laboratory value against an absolute threshold (in the analyte's SI unit) or a
           multiple of the site lab's ULN/LLN, optionally within a time window
  measure  a derived or recorded number (age at consent, LVEF, SLEDAI-2K, eGFR, ...)
  result   a categorical test result (HBsAg negative, ...)
  judgement  a finding only the investigator can assert ("significant organ dysfunction"); inside
           `any` it lets a criterion be met either by data or by the investigator's judgement
  all / any / not
A criterion whose rule is absent is an investigator-confirmed item; `confirm: true` on a criterion
that has a rule asks for confirmation of the part the data cannot decide. For an exclusion
criterion the rule states the excluding condition: true means the subject is excluded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import string
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

SCHEMA_VERSION = 1

# What a rule may refer to. The eligibility engine (screening/domain) evaluates these names;
# keeping the catalogue in the format means a typo fails at load, not at a patient's screening.
LAB_ANALYTES: frozenset[str] = frozenset(
    {
        "neutrophils", "lymphocytes", "wbc", "platelets", "hemoglobin", "alt", "ast",
        "bilirubin", "creatinine", "inr", "pt", "aptt", "crp", "esr", "igg", "iga", "igm",
        "c3", "c4", "hbv_dna", "hcv_rna", "ferritin", "fibrinogen", "triglycerides", "ldh",
    }
)  # fmt: skip
MEASURES: frozenset[str] = frozenset(
    {
        "age_at_consent_years", "lvef_pct", "spo2_room_air_pct", "fvc_pct_predicted",
        "dlco_pct_predicted", "crcl_cockcroft_gault_ml_min", "egfr_ckd_epi_2021",
        "sledai2k", "sledai2k_clinical", "bilag_a_count", "bilag_b_count", "essdai", "bvas",
        "mrss", "sjc66", "tjc68", "das28_esr", "cdai", "ana_titre_reciprocal",
        "disease_duration_months", "prednisone_equivalent_mg_day", "days_since_transfusion",
        "days_since_growth_factor", "days_since_other_trial_treatment",
        "refractory_csdmard_count", "refractory_btsdmard_count",
        "immunosuppressant_months", "acr_functional_class",
        "glucocorticoid_combination_months", "treatment_stable_days",
        "on_immunosuppressant_or_biologic",
    }
)  # fmt: skip
CATEGORICAL_TESTS: dict[str, frozenset[str]] = {
    "hbsag": frozenset({"positive", "negative"}),
    "hbcab": frozenset({"positive", "negative"}),
    "hcv_ab": frozenset({"positive", "negative"}),
    "hiv_ab": frozenset({"positive", "negative"}),
    "syphilis": frozenset({"positive", "negative"}),
    "pregnancy_serum_hcg": frozenset({"positive", "negative", "not_applicable"}),
    "anti_dsdna": frozenset({"positive", "negative"}),
    "anti_sm": frozenset({"positive", "negative"}),
    "mpo_anca": frozenset({"positive", "negative"}),
    "pr3_anca": frozenset({"positive", "negative"}),
    "hrct_ground_glass": frozenset({"present", "absent"}),
    "hbv_dna_detectable": frozenset({"detectable", "undetectable"}),
    "hcv_rna_detectable": frozenset({"detectable", "undetectable"}),
    "lactating": frozenset({"yes", "no"}),
    "tb_igra": frozenset({"positive", "negative", "indeterminate"}),
    "chest_imaging": frozenset({"no_active_lesion", "active_lesion"}),
}
# Conditions on a subject that make a form expected (`crfs[].expected_if`), each derived from the
# subject's data by a pure rule of the app that owns the data (edc/subject_conditions.py).
SUBJECT_CONDITIONS: frozenset[str] = frozenset({"hbv_dna_monitoring"})
REFERENCE_DATES = ("enrolment", "screening", "consent")
SUBJECT_ID_FIELDS = frozenset({"site_number", "seq", "study_code"})

Op = Literal[">=", ">", "<=", "<", "==", "!="]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Windowed(_Strict):
    """When a value counts. `within_days`/`within_hours` open a window that starts that long
    before the `before` reference and runs to the assessment; `during: screening` takes only
    values of the screening period (from consent to the assessment), as "at screening" criteria
    ask. Without either, the latest value on or before the reference counts."""

    within_days: int | None = Field(default=None, ge=0)
    within_hours: int | None = Field(default=None, ge=0)
    before: Literal["enrolment", "screening", "consent"] = "enrolment"
    during: Literal["screening"] | None = None


class LabRule(_Windowed):
    type: Literal["lab"]
    analyte: str
    op: Op
    value: Decimal | None = None
    unit: str | None = None
    x_uln: Decimal | None = None
    x_lln: Decimal | None = None

    @model_validator(mode="after")
    def _one_threshold(self) -> LabRule:
        if self.analyte not in LAB_ANALYTES:
            raise ValueError(f"unknown analyte {self.analyte!r}; known: {sorted(LAB_ANALYTES)}")
        given = [n for n in ("value", "x_uln", "x_lln") if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of value, x_uln or x_lln")
        if self.value is not None and not self.unit:
            raise ValueError("an absolute threshold needs its unit")
        return self


class MeasureRule(_Windowed):
    type: Literal["measure"]
    measure: str
    op: Op
    value: Decimal

    @model_validator(mode="after")
    def _known(self) -> MeasureRule:
        if self.measure not in MEASURES:
            raise ValueError(f"unknown measure {self.measure!r}; known: {sorted(MEASURES)}")
        return self


class ResultRule(_Windowed):
    type: Literal["result"]
    test: str
    any_of: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _known(self) -> ResultRule:
        allowed = CATEGORICAL_TESTS.get(self.test)
        if allowed is None:
            raise ValueError(f"unknown test {self.test!r}; known: {sorted(CATEGORICAL_TESTS)}")
        unknown = set(self.any_of) - allowed
        if unknown:
            raise ValueError(
                f"{self.test} has no result {sorted(unknown)}; allowed: {sorted(allowed)}"
            )
        return self


class JudgementRule(_Strict):
    type: Literal["judgement"]
    item: str = Field(min_length=1)
    item_zh: str | None = None


class AllRule(_Strict):
    type: Literal["all"]
    rules: tuple[Rule, ...] = Field(min_length=1)


class AnyRule(_Strict):
    type: Literal["any"]
    rules: tuple[Rule, ...] = Field(min_length=1)


class NotRule(_Strict):
    type: Literal["not"]
    rule: Rule


Rule = Annotated[
    LabRule | MeasureRule | ResultRule | JudgementRule | AllRule | AnyRule | NotRule,
    Field(discriminator="type"),
]


class Criterion(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    number: Annotated[str, BeforeValidator(str)]  # as numbered in the seed: 2, 2a, 8.1
    group: str  # "common" or a stratum code
    kind: Literal["inclusion", "exclusion"]
    text: str = Field(min_length=1)
    text_zh: str | None = None
    rule: Rule | None = None
    confirm: bool = False
    applies_to: Literal["all", "female_of_childbearing_potential"] = "all"
    assumption: str | None = None

    @property
    def needs_confirmation(self) -> bool:
        return self.rule is None or self.confirm


class Site(_Strict):
    code: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    name_zh: str | None = None
    city: str
    country: str = Field(min_length=2, max_length=2)
    timezone: str
    site_number: str = Field(pattern=r"^[0-9]{2,3}$")
    target_enrolment: int | None = Field(default=None, ge=1)


class Stratum(_Strict):
    code: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    name_zh: str | None = None
    target_enrolment: int | None = Field(default=None, ge=1)


class DoseLevel(_Strict):
    level: int
    label: str
    dose: Decimal = Field(gt=0)
    unit: str
    basis: Literal["flat", "per_kg", "per_m2"]
    assumption: str | None = None


class DltRule(_Strict):
    id: str
    text: str
    category: Literal[
        "crs", "icans", "non_hematologic", "hematologic", "gvhd", "infection", "death", "other"
    ]
    min_grade: int = Field(ge=1, le=5)
    min_duration_hours: int | None = Field(default=None, ge=1)
    assumption: str | None = None


class Escalation(_Strict):
    design: Literal["3+3", "boin"]
    target_dlt_rate: Decimal | None = Field(default=None, gt=0, lt=1)
    elimination_cutoff: Decimal = Field(default=Decimal("0.95"), gt=0, lt=1)
    cohort_size: int = Field(ge=1)
    max_sample_size: int = Field(ge=1)
    start_level: int
    dose_levels: tuple[DoseLevel, ...] = Field(min_length=1)
    dlt_window_days: int = Field(ge=1)
    sentinel_days: int = Field(default=0, ge=0)
    dose_tolerance_pct: Decimal = Field(ge=0, le=100)
    # An infused dose outside the tolerance: recorded as a deviation (with an explanation) or
    # refused. A likely 10x entry slip is refused either way.
    infusion_out_of_tolerance: Literal["deviation", "refuse"] = "deviation"
    dlt_rules: tuple[DltRule, ...] = ()
    assumption: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Escalation:
        levels = [d.level for d in self.dose_levels]
        if len(set(levels)) != len(levels):
            raise ValueError("dose levels must be unique")
        if self.start_level not in levels:
            raise ValueError(f"start_level {self.start_level} is not one of the levels {levels}")
        if self.design == "boin" and self.target_dlt_rate is None:
            raise ValueError("a BOIN design needs target_dlt_rate")
        return self


class RenalBand(_Strict):
    """A creatinine-clearance band (Cockcroft-Gault, mL/min) of an agent's renal adjustment:
    from `crcl_min` (inclusive) up to `crcl_max` (inclusive) or below `crcl_below`; the dose is
    reduced by `reduce_pct`, or the agent is `not_recommended` there (the course is refused)."""

    crcl_min: Decimal = Field(default=Decimal(0), ge=0)
    crcl_max: Decimal | None = Field(default=None, gt=0)
    crcl_below: Decimal | None = Field(default=None, gt=0)
    reduce_pct: Decimal | None = Field(default=None, gt=0, lt=100)
    not_recommended: bool = False
    assumption: str | None = None

    @model_validator(mode="after")
    def _one_bound_one_action(self) -> RenalBand:
        if (self.crcl_max is None) == (self.crcl_below is None):
            raise ValueError("give exactly one of crcl_max or crcl_below")
        if (self.reduce_pct is None) == (not self.not_recommended):
            raise ValueError("give exactly one of reduce_pct or not_recommended: true")
        return self

    def contains(self, crcl: Decimal) -> bool:
        if self.crcl_max is not None:
            return self.crcl_min <= crcl <= self.crcl_max
        assert self.crcl_below is not None
        return self.crcl_min <= crcl < self.crcl_below


class Agent(_Strict):
    drug: str
    dose: Decimal = Field(gt=0)
    unit: Literal["mg/m2/day", "mg/kg/day", "mg/day"]
    days: tuple[int, ...] = Field(min_length=1)
    renal_adjustment: tuple[RenalBand, ...] = ()

    @model_validator(mode="after")
    def _before_day0(self) -> Agent:
        if any(d >= 0 for d in self.days):
            raise ValueError("lymphodepletion days must be before Day 0 (negative)")
        return self


class Lymphodepletion(_Strict):
    agents: tuple[Agent, ...] = Field(min_length=1)
    bsa_formula: Literal["mosteller"] = "mosteller"
    dose_tolerance_pct: Decimal = Field(ge=0, le=100)
    assumption: str | None = None


class Pretreatment(_Strict):
    """Eligibility criteria checked again on the day of lymphodepletion and of the infusion, with
    that day as their reference (so "within 48 hours before" counts back from the treatment day);
    a criterion not met or without data stops the treatment form unless overridden with a reason.
    Only criteria the data decide (no confirmation, no judgement) can be listed."""

    lymphodepletion: tuple[str, ...] = ()
    infusion: tuple[str, ...] = ()
    assumption: str | None = None


# The values a cross-form edit check may compare a field with, gathered by the app that owns
# the other form (edc/edit_checks.py): `previous_visit` is the same field of the same form at the
# subject's previous visit (the core knows it); the others are registered by the clinical apps.
CHECK_REFERENCES: frozenset[str] = frozenset(
    {"previous_visit", "lymphodepletion_last_day", "assigned_dose_cells"}
)


class _EditCheck(_Strict):
    """A soft check of one field of a saved form; failing opens a query with `message`."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    field: str = Field(pattern=r"^[a-z0-9_]+$")
    message: str = Field(min_length=1)
    message_zh: str = Field(min_length=1)
    assumption: str | None = None


class RangeCheck(_EditCheck):
    """The value lies within [min, max] (either bound may be open)."""

    kind: Literal["range"]
    min: Decimal | None = None
    max: Decimal | None = None

    @model_validator(mode="after")
    def _a_bound(self) -> RangeCheck:
        if self.min is None and self.max is None:
            raise ValueError("a range check needs min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is above max")
        return self


class RequiredWhenCheck(_EditCheck):
    """The field is answered whenever `when_field` is."""

    kind: Literal["required_when"]
    when_field: str = Field(pattern=r"^[a-z0-9_]+$")


class CrossFieldCheck(_EditCheck):
    """`field op other_field` holds between two fields of the same form."""

    kind: Literal["cross_field"]
    op: Op
    other_field: str = Field(pattern=r"^[a-z0-9_]+$")


class CrossFormCheck(_EditCheck):
    """The field against a value of another form (`reference`): either `field op reference`
    holds, or the field is within `max_change_pct` of it (`max_change_pct_from: dose_tolerance`
    takes the escalation's dose tolerance, so the percentage is stated once)."""

    kind: Literal["cross_form"]
    reference: str
    op: Op | None = None
    max_change_pct: Decimal | None = Field(default=None, ge=0)
    max_change_pct_from: Literal["dose_tolerance"] | None = None

    @model_validator(mode="after")
    def _one_comparison(self) -> CrossFormCheck:
        if self.reference not in CHECK_REFERENCES:
            raise ValueError(
                f"unknown reference {self.reference!r}; known: {sorted(CHECK_REFERENCES)}"
            )
        given = [
            n
            for n in ("op", "max_change_pct", "max_change_pct_from")
            if getattr(self, n) is not None
        ]
        if len(given) != 1:
            raise ValueError("give exactly one of op, max_change_pct or max_change_pct_from")
        return self


EditCheck = Annotated[
    RangeCheck | RequiredWhenCheck | CrossFieldCheck | CrossFormCheck,
    Field(discriminator="kind"),
]


class Crf(_Strict):
    code: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    name_zh: str | None = None
    # The strata whose subjects this form is for (a disease's activity instrument); empty: every
    # stratum. A visit lists every form it may hold; each subject is offered those of its stratum.
    strata: tuple[str, ...] = ()
    # Free-text fields of this form that may identify a person in this study (a hospital named
    # in a note, a relative's name): left out of every dataset export (edc/dataset_files.py).
    identifying_fields: tuple[str, ...] = ()
    # Soft checks run on every save of the form (edc/edit_checks.py).
    checks: tuple[EditCheck, ...] = ()
    # Visits this form is on beside those that list it in their `crfs` (a form added to the
    # follow-up visits is declared once, in its own block of the file).
    visits: tuple[str, ...] = ()
    # Conditions of the subject (SUBJECT_CONDITIONS), any of which makes the form expected;
    # empty: every subject. Like `strata`, a subject without one is not offered the form.
    expected_if: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _known_conditions(self) -> Crf:
        unknown = sorted(set(self.expected_if) - SUBJECT_CONDITIONS)
        if unknown:
            raise ValueError(f"unknown conditions {unknown}; known: {sorted(SUBJECT_CONDITIONS)}")
        return self


class Contraception(_Strict):
    """How long after the infusion a subject (and a partner) must use contraception: the end
    date is computed from Day 0 (adverse_events/domain/pregnancy.py) and shown on the casebook."""

    months_after_infusion: int = Field(ge=1)
    applies_to: tuple[
        Literal["female_of_childbearing_potential", "male_with_partner_of_childbearing_potential"],
        ...,
    ] = Field(min_length=1)
    text: str = Field(min_length=1)
    text_zh: str | None = None
    assumption: str | None = None


class PregnancyReporting(_Strict):
    """A pregnancy of a subject (or a subject's partner) is reported to the sponsor like an
    SAE: within these hours of the site becoming aware, and followed to its outcome."""

    report_within_hours: int = Field(ge=1)
    assumption: str | None = None


class Deidentification(_Strict):
    """How dataset exports de-identify this study's subjects beyond what every export does (no
    names, initials or dates of birth; `identifying_fields` left out). `date_shift_days` N > 0
    moves every date of a subject by one offset in -N..-1 or 1..N days, the same in every
    format (edc/domain/deidentification.py); 0 leaves dates as recorded."""

    date_shift_days: int = Field(default=0, ge=0, le=365)
    assumption: str | None = None


class SdvPlan(_Strict):
    """Source-data verification (edc/domain/sdv.py): the forms verified at 100 % and the share of
    every other form drawn for verification. Without the section every form is verified."""

    full: tuple[str, ...] = ()
    sampling_rate: float = Field(default=1.0, ge=0, le=1)
    assumption: str | None = None


class MonitoringPlan(_Strict):
    """Risk-based monitoring (edc/domain/risk_indicators.py): a site stands out on a key risk
    indicator when its value is above `stand_out_ratio` times the study's and rests on at least
    `min_events` events."""

    stand_out_ratio: float = Field(default=1.5, gt=1)
    min_events: int = Field(default=3, ge=1)
    assumption: str | None = None


class Visit(_Strict):
    code: str = Field(pattern=r"^[A-Za-z0-9_]+$")
    name: str
    name_zh: str | None = None
    anchor: Literal["consent", "day0"]
    day: int
    window_before_days: int = Field(ge=0)
    window_after_days: int = Field(ge=0)
    crfs: tuple[str, ...] = ()
    # "ltfu": a visit of the long-term follow-up after the main study (yearly to 15 years after
    # the infusion for an integrating vector), held under its own consent: completing the main
    # study does not end it (followup/domain/end_of_study.py).
    phase: Literal["main", "ltfu"] = "main"
    assumption: str | None = None


class Product(_Strict):
    name: str
    targets: tuple[str, ...]
    kind: Literal["autologous", "allogeneic"]


class Identity(_Strict):
    registry_id: str
    other_ids: tuple[str, ...] = ()
    study_code: str = Field(pattern=r"^[A-Z0-9]+$")
    version: str = Field(pattern=r"^[0-9]+(\.[0-9]+)*$")
    effective_date: dt.date
    title: str
    short_title: str
    title_zh: str | None = None
    short_title_zh: str | None = None
    phase: str
    sponsor: str
    collaborators: tuple[str, ...] = ()
    product: Product
    target_enrolment: int = Field(ge=1)
    subject_id_format: str
    screening_number_format: str
    ctcae_version: Literal["5.0"] = "5.0"

    @model_validator(mode="after")
    def _formats(self) -> Identity:
        for name in ("subject_id_format", "screening_number_format"):
            fmt = getattr(self, name)
            fields = {f for _, f, _, _ in string.Formatter().parse(fmt) if f is not None}
            if "seq" not in fields or not fields <= SUBJECT_ID_FIELDS:
                raise ValueError(
                    f"{name} {fmt!r} must use {{seq}} and only {sorted(SUBJECT_ID_FIELDS)}"
                )
        return self


class TrialSummary(_Strict):
    """Design facts SDTM's Trial Summary (TS) reports that the rest of the file does not hold;
    values are CDISC controlled terms (TBLIND, TCNTRL, SEXPOP, STYPE, INTMODEL)."""

    indications: tuple[str, ...] = Field(min_length=1)
    study_type: Literal["INTERVENTIONAL", "OBSERVATIONAL"] = "INTERVENTIONAL"
    intervention_model: Literal["SINGLE GROUP", "PARALLEL", "CROSSOVER", "SEQUENTIAL"]
    blinding: Literal["OPEN LABEL", "SINGLE BLIND", "DOUBLE BLIND"]
    control: Literal["NONE", "PLACEBO", "ACTIVE", "DOSE RESPONSE"]
    randomised: bool
    add_on: bool
    sex_population: Literal["BOTH", "F", "M"]
    assumption: str | None = None


class ProtocolDefinition(_Strict):
    schema_version: Literal[1]
    protocol: Identity
    trial_summary: TrialSummary | None = None
    assumptions: tuple[str, ...] = ()
    sites: tuple[Site, ...] = Field(min_length=1)
    strata: tuple[Stratum, ...] = Field(min_length=1)
    eligibility: tuple[Criterion, ...] = Field(min_length=1)
    escalation: Escalation
    lymphodepletion: Lymphodepletion
    pretreatment: Pretreatment = Pretreatment()
    crfs: tuple[Crf, ...] = Field(min_length=1)
    visits: tuple[Visit, ...] = Field(min_length=1)
    deidentification: Deidentification = Deidentification()
    contraception: Contraception | None = None
    pregnancy_reporting: PregnancyReporting | None = None
    sdv: SdvPlan = SdvPlan()
    monitoring: MonitoringPlan = MonitoringPlan()

    @model_validator(mode="after")
    def _cross_references(self) -> ProtocolDefinition:
        _unique("sites", [s.code for s in self.sites])
        _unique("site numbers", [s.site_number for s in self.sites])
        _unique("strata", [s.code for s in self.strata])
        _unique("eligibility ids", [c.id for c in self.eligibility])
        _unique("crfs", [c.code for c in self.crfs])
        _unique("visits", [v.code for v in self.visits])
        groups = {"common"} | {s.code for s in self.strata}
        for c in self.eligibility:
            if c.group not in groups:
                raise ValueError(
                    f"criterion {c.id}: group {c.group!r} is not one of {sorted(groups)}"
                )
        for crf in self.crfs:
            _unique(f"checks of crf {crf.code}", [check.id for check in crf.checks])
            unknown = sorted(set(crf.strata) - {s.code for s in self.strata})
            if unknown:
                raise ValueError(f"crf {crf.code}: unknown strata {unknown}")
        by_id = {c.id: c for c in self.eligibility}
        for stage in ("lymphodepletion", "infusion"):
            for cid in getattr(self.pretreatment, stage):
                criterion = by_id.get(cid)
                if criterion is None:
                    raise ValueError(f"pretreatment.{stage}: unknown criterion {cid!r}")
                if criterion.needs_confirmation or any(
                    isinstance(leaf, JudgementRule) for leaf in _rule_leaves(criterion.rule)
                ):
                    raise ValueError(
                        f"pretreatment.{stage}: {cid} needs the investigator; list only "
                        "criteria the data decide"
                    )
        crf_codes = {c.code for c in self.crfs}
        unknown_sdv = sorted(set(self.sdv.full) - crf_codes)
        if unknown_sdv:
            raise ValueError(f"sdv.full: unknown crfs {unknown_sdv}")
        for v in self.visits:
            missing = [code for code in v.crfs if code not in crf_codes]
            if missing:
                raise ValueError(f"visit {v.code}: unknown crfs {missing}")
        visit_codes = {v.code for v in self.visits}
        for crf in self.crfs:
            unknown = sorted(set(crf.visits) - visit_codes)
            if unknown:
                raise ValueError(f"crf {crf.code}: unknown visits {unknown}")
            twice = sorted(
                v.code for v in self.visits if v.code in crf.visits and crf.code in v.crfs
            )
            if twice:
                raise ValueError(f"crf {crf.code}: listed again by visits {twice}")
        return self

    def stratum_codes(self) -> list[str]:
        return [s.code for s in self.strata]

    def visit_crfs(
        self, visit: Visit, stratum: str, conditions: frozenset[str] = frozenset()
    ) -> tuple[str, ...]:
        """The forms a visit holds for a subject of one stratum who meets `conditions`: the
        visit's own list in its order, then the forms that name the visit, in file order."""
        crfs = {c.code: c for c in self.crfs}

        def offered(code: str) -> bool:
            crf = crfs[code]
            return (not crf.strata or stratum in crf.strata) and (
                not crf.expected_if or bool(conditions & set(crf.expected_if))
            )

        return tuple(code for code in self.scheduled_crfs(visit) if offered(code))

    def scheduled_crfs(self, visit: Visit) -> tuple[str, ...]:
        """Every form of a visit whoever the subject: its own list, then the forms naming it."""
        return (*visit.crfs, *(c.code for c in self.crfs if visit.code in c.visits))

    def crf(self, code: str) -> Crf | None:
        return next((c for c in self.crfs if c.code == code), None)

    def change_limit(self, check: CrossFormCheck) -> Decimal | None:
        """The change in percent a cross-form check allows, as the protocol states it."""
        if check.max_change_pct_from == "dose_tolerance":
            return self.escalation.dose_tolerance_pct
        return check.max_change_pct

    def criteria_for(self, stratum: str) -> list[Criterion]:
        """The common criteria and those of one stratum, in file order."""
        return [c for c in self.eligibility if c.group in ("common", stratum)]


def _rule_leaves(rule: Rule | None) -> list[Rule]:
    if rule is None:
        return []
    if isinstance(rule, AllRule | AnyRule):
        return [leaf for child in rule.rules for leaf in _rule_leaves(child)]
    if isinstance(rule, NotRule):
        return _rule_leaves(rule.rule)
    return [rule]


def _unique(what: str, values: list[str]) -> None:
    dupes = sorted({v for v in values if values.count(v) > 1})
    if dupes:
        raise ValueError(f"duplicate {what}: {dupes}")


class ProtocolFileError(ValueError):
    """A protocol file that cannot be loaded; `problems` are `(path, message)` pairs."""

    def __init__(self, file: str, problems: list[tuple[str, str]]) -> None:
        self.file = file
        self.problems = problems
        lines = [f"{file}: {path or '(top)'}: {message}" for path, message in problems]
        super().__init__("\n".join(lines))


def parse_protocol(text: str, *, file: str) -> ProtocolDefinition:
    """Parse and validate one protocol file's text; raise ProtocolFileError naming every problem."""
    try:
        raw: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ProtocolFileError(file, [(where, f"not valid YAML: {exc}")]) from exc
    if not isinstance(raw, dict):
        raise ProtocolFileError(file, [("", "the file must hold a mapping at the top level")])
    try:
        return ProtocolDefinition.model_validate(raw)
    except ValidationError as exc:
        problems = [
            (_path(err["loc"]), err["msg"].removeprefix("Value error, ")) for err in exc.errors()
        ]
        raise ProtocolFileError(file, problems) from exc


def load_protocol_file(path: Path) -> tuple[ProtocolDefinition, str]:
    """Read a protocol file; return the definition and the SHA-256 of its bytes."""
    data = path.read_bytes()
    definition = parse_protocol(data.decode("utf-8"), file=str(path))
    return definition, hashlib.sha256(data).hexdigest()


def _path(loc: tuple[int | str, ...]) -> str:
    # Drop pydantic's discriminator tags ("lab", "all", ...) so the path reads like the file.
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif part not in {
            "lab", "measure", "result", "judgement", "all", "any", "not",
            "range", "required_when", "cross_field", "cross_form",
        }:  # fmt: skip
            parts.append(f".{part}" if parts else part)
    return "".join(parts)


def format_number(fmt: str, *, study_code: str, site_number: str, seq: int) -> str:
    """A screening number or subject id built from the protocol's format string."""
    return fmt.format(study_code=study_code, site_number=site_number, seq=seq)
