"""SDTM trial design domains (TS, TE, TA, TV, TI) built from the protocol file alone.

They describe the plan, not the subjects, so they come from `ProtocolDefinition` and nothing
else: a protocol amendment changes them and no code does.

Choices (repeated as Define-XML comments on the datasets):
- Arms are the dose levels (ARMCD DL1, DL2, ...), as DM.ARMCD already has them: in a
  dose-escalation study a subject's planned arm is the dose level assigned at enrolment.
  Every arm runs the same four epochs; only the CAR-T element differs by dose level
  (ETCD CARTDL1, CARTDL2, ...), since SDTMIG makes an element per distinct treatment.
- Epochs are SCREENING, LYMPHODEPLETION, TREATMENT and FOLLOW-UP. LYMPHODEPLETION is a
  sponsor extension of the extensible EPOCH code list: the conditioning chemotherapy is a
  protocol-mandated period of its own before the product.
- TV VISITDY counts from the infusion (the EDC's Day 0 is SDTM day 1, no day 0); the screening
  visit, planned from consent, has no VISITDY and says so in TVSTRL. The visit window is part
  of TVSTRL, as SDTMIG 3.4 has no window variables.
- TI IETESTCD is IN/EX, the stratum code for stratum-specific criteria, and the criterion number
  (IN10A, EXSLE3); IETEST is the registered text, shortened at a word to 200 characters where
  longer (the protocol keeps the whole text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from edc.domain.protocol import Criterion, DoseLevel, ProtocolDefinition, Visit
from edc.domain.sdtm import DOMAIN as DOMAIN_VARIABLE
from edc.domain.sdtm import (
    MAX_CHAR_VALUE,
    MAX_NAME,
    STUDYID,
    Dataset,
    DatasetSpec,
    DataType,
    Origin,
    Row,
    Variable,
    planned_arm,
    yes_no,
)

TRIAL_DESIGN = "TRIAL DESIGN"
CDISC_CT = "CDISC CT"


def _variable(name: str, label: str, type: DataType = DataType.TEXT, **options: object) -> Variable:
    """A variable whose values the protocol gives (Define-XML origin Protocol)."""
    return Variable(name, label, type, Origin.PROTOCOL, **options)  # type: ignore[arg-type]


def _seq(name: str) -> Variable:
    return Variable(name, "Sequence Number", DataType.INTEGER, Origin.DERIVED, key=True)


# TS ------------------------------------------------------------------------------------------

TS_SPEC = DatasetSpec(
    name="TS",
    label="Trial Summary",
    structure="One record per trial summary parameter value",
    dataset_class=TRIAL_DESIGN,
    variables=(
        STUDYID,
        DOMAIN_VARIABLE,
        _seq("TSSEQ"),
        _variable("TSPARMCD", "Trial Summary Parameter Short Name", key=True, codelist="TSPARMCD"),
        _variable("TSPARM", "Trial Summary Parameter", codelist="TSPARM"),
        _variable("TSVAL", "Parameter Value", free_text=True),
        _variable("TSVALCD", "Parameter Value Code"),
        _variable("TSVCDREF", "Name of the Reference Terminology"),
    ),
    comment="Parameters from the protocol file: identity (title, phase, sponsor, registry ids, "
    "product), eligibility (AGEMIN/AGEMAX from the age criteria), target enrolment, and the "
    "trial_summary block (indications, design, blinding, control).",
)

TS_PARAMETERS = {
    "TITLE": "Trial Title",
    "TPHASE": "Trial Phase Classification",
    "INDIC": "Trial Disease/Condition Indication",
    "TRT": "Investigational Therapy or Treatment",
    "AGEMIN": "Planned Minimum Age of Subjects",
    "AGEMAX": "Planned Maximum Age of Subjects",
    "PLANSUB": "Planned Number of Subjects",
    "SEXPOP": "Sex of Participants",
    "STYPE": "Study Type",
    "INTMODEL": "Intervention Model",
    "TBLIND": "Trial Blinding Schema",
    "TCNTRL": "Control Type",
    "RANDOM": "Trial is Randomized",
    "ADDON": "Added on to Existing Treatments",
    "NARMS": "Planned Number of Arms",
    "SPONSOR": "Clinical Study Sponsor",
    "REGID": "Registry Identifier",
}
# NCI codes of the TSVAL terms used (CDISC CT); see the README's SDTM table for which were
# checked against a published source.
TSVAL_CODES = {
    "PHASE 0 TRIAL": "C54721", "PHASE I TRIAL": "C15600", "PHASE II TRIAL": "C15601",
    "PHASE I/II TRIAL": "C15693", "OPEN LABEL": "C49659", "NONE": "C41132", "BOTH": "C49636",
    "F": "C16576", "M": "C20197", "INTERVENTIONAL": "C98388", "SINGLE GROUP": "C82639",
    "Y": "C49488", "N": "C49487",
}  # fmt: skip
PHASES = {"Phase 0": "PHASE 0 TRIAL", "Phase 1": "PHASE I TRIAL", "Phase 2": "PHASE II TRIAL",
          "Phase 1/2": "PHASE I/II TRIAL"}  # fmt: skip
NCT_ID = re.compile(r"^NCT\d{8}$")
AGE_MEASURE = "age_at_consent_years"


def _age_limits(criteria: Iterable[Criterion]) -> tuple[int | None, int | None]:
    """The youngest and oldest age the inclusion criteria allow, from their age rules."""
    low = high = None
    for criterion in criteria:
        if criterion.kind != "inclusion":
            continue
        for leaf in _leaves(criterion.rule):
            if getattr(leaf, "measure", None) != AGE_MEASURE:
                continue
            value = int(leaf.value)
            if leaf.op in (">=", ">"):
                low = value + (1 if leaf.op == ">" else 0)
            elif leaf.op in ("<=", "<"):
                high = value - (1 if leaf.op == "<" else 0)
    return low, high


def _leaves(rule) -> list:
    if rule is None:
        return []
    if hasattr(rule, "rules"):
        return [leaf for child in rule.rules for leaf in _leaves(child)]
    if hasattr(rule, "rule"):
        return _leaves(rule.rule)
    return [rule]


def _ts_row(code: str, value: str, *, coded: bool = False, reference: str = "") -> Row:
    return {
        "TSPARMCD": code,
        "TSPARM": TS_PARAMETERS[code],
        "TSVAL": value,
        "TSVALCD": TSVAL_CODES.get(value, "") if coded else "",
        "TSVCDREF": (CDISC_CT if coded else reference),
    }


def ts_dataset(studyid: str, protocol: ProtocolDefinition) -> Dataset:
    identity = protocol.protocol
    youngest, oldest = _age_limits(protocol.eligibility)
    records = [
        _ts_row("TITLE", identity.title),
        _ts_row("TPHASE", PHASES[identity.phase], coded=True),
        _ts_row("TRT", identity.product.name),
        _ts_row("PLANSUB", str(identity.target_enrolment)),
        _ts_row("NARMS", str(len(protocol.escalation.dose_levels))),
        _ts_row("SPONSOR", identity.sponsor),
    ]
    if youngest is not None:
        records.append(_ts_row("AGEMIN", f"P{youngest}Y", reference="ISO 8601"))
    if oldest is not None:
        records.append(_ts_row("AGEMAX", f"P{oldest}Y", reference="ISO 8601"))
    for registry_id in (identity.registry_id, *identity.other_ids):
        if NCT_ID.match(registry_id):
            records.append(_ts_row("REGID", registry_id, reference="ClinicalTrials.gov"))
    summary = protocol.trial_summary
    if summary is not None:
        records += [_ts_row("INDIC", indication) for indication in summary.indications]
        records += [
            _ts_row("STYPE", summary.study_type, coded=True),
            _ts_row("INTMODEL", summary.intervention_model, coded=True),
            _ts_row("TBLIND", summary.blinding, coded=True),
            _ts_row("TCNTRL", summary.control, coded=True),
            _ts_row("RANDOM", yes_no(summary.randomised), coded=True),
            _ts_row("ADDON", yes_no(summary.add_on), coded=True),
            _ts_row("SEXPOP", summary.sex_population, coded=True),
        ]
    rows = [
        {"STUDYID": studyid, "DOMAIN": "TS", "TSSEQ": sum(
            1 for earlier in records[:index] if earlier["TSPARMCD"] == record["TSPARMCD"]
        ) + 1, **record}
        for index, record in enumerate(records)
    ]  # fmt: skip
    return Dataset(TS_SPEC, rows)


# TE and TA -----------------------------------------------------------------------------------

TE_SPEC = DatasetSpec(
    name="TE",
    label="Trial Elements",
    structure="One record per planned Element",
    dataset_class=TRIAL_DESIGN,
    variables=(
        STUDYID,
        DOMAIN_VARIABLE,
        _variable("ETCD", "Element Code", key=True),
        _variable("ELEMENT", "Description of Element"),
        _variable("TESTRL", "Rule for Start of Element"),
        _variable("TEENRL", "Rule for End of Element"),
        _variable("TEDUR", "Planned Duration of Element"),
    ),
    comment="One CAR-T element per dose level (CARTDL1, ...); screening, lymphodepletion and "
    "follow-up are shared by every arm.",
)

TA_SPEC = DatasetSpec(
    name="TA",
    label="Trial Arms",
    structure="One record per planned Element per Arm",
    dataset_class=TRIAL_DESIGN,
    variables=(
        STUDYID,
        DOMAIN_VARIABLE,
        _variable("ARMCD", "Planned Arm Code", key=True),
        _variable("ARM", "Description of Planned Arm"),
        _variable("TAETORD", "Planned Order of Element within Arm", DataType.INTEGER, key=True),
        _variable("ETCD", "Element Code"),
        _variable("ELEMENT", "Description of Element"),
        _variable("TABRANCH", "Branch"),
        _variable("TATRANS", "Transition Rule"),
        _variable("EPOCH", "Epoch", codelist="EPOCH"),
    ),
    comment="Arms are the dose levels of the escalation (DM.ARMCD DL1, DL2, ...): in a "
    "dose-escalation study the planned arm is the dose level assigned at enrolment. "
    "EPOCH LYMPHODEPLETION is a sponsor extension of the extensible EPOCH code list.",
)


def _cart_element(level: DoseLevel) -> str:
    return f"CARTDL{level.level}"


def _elements(protocol: ProtocolDefinition) -> list[tuple[str, str, str, str, str, str]]:
    """(ETCD, ELEMENT, TESTRL, TEENRL, TEDUR, EPOCH) in the order every arm runs them, the CAR-T
    element marked with a placeholder ETCD filled per arm."""
    first_ld_day = min(day for agent in protocol.lymphodepletion.agents for day in agent.days)
    agents = ", ".join(agent.drug for agent in protocol.lymphodepletion.agents)
    screening = next((v for v in protocol.visits if v.anchor == "consent"), None)
    screening_days = screening.window_after_days if screening else 0
    return [
        ("SCRN", "Screening", "Informed consent", "Start of lymphodepletion",
         f"P{screening_days}D" if screening_days else "", "SCREENING"),
        ("LD", f"Lymphodepletion ({agents})",
         f"First lymphodepletion dose (day {first_ld_day})", "Start of the CAR-T infusion",
         f"P{-first_ld_day}D", "LYMPHODEPLETION"),
        ("CART", "", "Start of the CAR-T infusion (day 0)", "End of the CAR-T infusion",
         "P1D", "TREATMENT"),
        ("FU", "Follow-up", "End of the CAR-T infusion", "End of study", "", "FOLLOW-UP"),
    ]  # fmt: skip


def te_dataset(studyid: str, protocol: ProtocolDefinition) -> Dataset:
    rows: list[Row] = []
    for etcd, element, start, end, duration, _epoch in _elements(protocol):
        if etcd == "CART":
            for level in protocol.escalation.dose_levels:
                rows.append(
                    {"STUDYID": studyid, "DOMAIN": "TE", "ETCD": _cart_element(level),
                     "ELEMENT": f"CAR-T {level.label}", "TESTRL": start, "TEENRL": end,
                     "TEDUR": duration}
                )  # fmt: skip
            continue
        rows.append(
            {"STUDYID": studyid, "DOMAIN": "TE", "ETCD": etcd, "ELEMENT": element,
             "TESTRL": start, "TEENRL": end, "TEDUR": duration}
        )  # fmt: skip
    return Dataset(TE_SPEC, rows)


def ta_dataset(studyid: str, protocol: ProtocolDefinition) -> Dataset:
    rows: list[Row] = []
    elements = _elements(protocol)
    for level in protocol.escalation.dose_levels:
        armcd, arm = planned_arm(level.level)
        for order, (etcd, element, *_rules, epoch) in enumerate(elements, start=1):
            if etcd == "CART":
                etcd, element = _cart_element(level), f"CAR-T {level.label}"
            rows.append(
                {"STUDYID": studyid, "DOMAIN": "TA", "ARMCD": armcd, "ARM": arm,
                 "TAETORD": order, "ETCD": etcd, "ELEMENT": element, "TABRANCH": "",
                 "TATRANS": "", "EPOCH": epoch}
            )  # fmt: skip
    return Dataset(TA_SPEC, rows)


# TV ------------------------------------------------------------------------------------------

TV_SPEC = DatasetSpec(
    name="TV",
    label="Trial Visits",
    structure="One record per planned Visit per Arm",
    dataset_class=TRIAL_DESIGN,
    variables=(
        STUDYID,
        DOMAIN_VARIABLE,
        Variable("VISITNUM", "Visit Number", DataType.FLOAT, Origin.PROTOCOL, key=True),
        _variable("VISIT", "Visit Name"),
        _variable("VISITDY", "Planned Study Day of Visit", DataType.INTEGER),
        _variable("ARMCD", "Planned Arm Code", key=True),
        _variable("TVSTRL", "Visit Start Rule"),
        _variable("TVENRL", "Visit End Rule"),
    ),
    comment="Every arm has the same visits (ARMCD blank). VISITDY counts from the CAR-T "
    "infusion, study day 1 (the EDC's day 0), with no day 0; the visit window is in TVSTRL.",
)


def planned_study_day(day: int) -> int:
    """The SDTM study day of the EDC's protocol day (day 0 is the infusion, SDTM day 1)."""
    return day + 1 if day >= 0 else day


def _visit_rule(visit: Visit) -> str:
    window = f"window -{visit.window_before_days}/+{visit.window_after_days} days"
    if visit.anchor == "consent":
        return f"From informed consent, {window}"
    return f"Day {visit.day} after the CAR-T infusion (study day {planned_study_day(visit.day)}), {window}"  # noqa: E501


def tv_dataset(studyid: str, protocol: ProtocolDefinition) -> Dataset:
    rows: list[Row] = [
        {
            "STUDYID": studyid,
            "DOMAIN": "TV",
            "VISITNUM": number,
            "VISIT": visit.code,
            "VISITDY": planned_study_day(visit.day) if visit.anchor == "day0" else None,
            "ARMCD": "",
            "TVSTRL": _visit_rule(visit),
            "TVENRL": "",
        }
        for number, visit in enumerate(protocol.visits, start=1)
    ]
    return Dataset(TV_SPEC, rows)


# TI ------------------------------------------------------------------------------------------

TI_SPEC = DatasetSpec(
    name="TI",
    label="Trial Inclusion/Exclusion Criteria",
    structure="One record per I/E criterion",
    dataset_class=TRIAL_DESIGN,
    variables=(
        STUDYID,
        DOMAIN_VARIABLE,
        _variable("IETESTCD", "Incl/Excl Criterion Short Name", key=True),
        _variable("IETEST", "Inclusion/Exclusion Criterion", free_text=True),
        _variable("IECAT", "Inclusion/Exclusion Category", codelist="IECAT"),
        _variable("IESCAT", "Inclusion/Exclusion Subcategory"),
        _variable("TIVERS", "Protocol Criteria Versions"),
    ),
    comment="IETESTCD is IN/EX, the stratum code for stratum-specific criteria, and the "
    "criterion number; IESCAT names the stratum. IETEST is the registered text, shortened at a "
    "word to 200 characters where longer; the full text is in the protocol.",
)


def criterion_code(criterion: Criterion) -> str:
    """IETESTCD of a criterion: IN10A (common), EXSLE3 (stratum sle); at most 8 characters."""
    prefix = "IN" if criterion.kind == "inclusion" else "EX"
    group = "" if criterion.group == "common" else criterion.group.upper()
    number = re.sub(r"[^A-Za-z0-9]", "", criterion.number).upper()
    code = f"{prefix}{group}{number}"
    if len(code) > MAX_NAME:
        raise ValueError(f"criterion {criterion.id}: IETESTCD {code} is over {MAX_NAME} characters")
    return code


def shorten(text: str, limit: int = MAX_CHAR_VALUE) -> str:
    """Text cut at the last word that fits, marked with '...', when over `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 3].rsplit(" ", 1)[0] + "..."


def ti_dataset(studyid: str, protocol: ProtocolDefinition) -> Dataset:
    rows: list[Row] = [
        {
            "STUDYID": studyid,
            "DOMAIN": "TI",
            "IETESTCD": criterion_code(criterion),
            "IETEST": shorten(criterion.text),
            "IECAT": criterion.kind.upper(),
            "IESCAT": "" if criterion.group == "common" else criterion.group.upper(),
            "TIVERS": protocol.protocol.version,
        }
        for criterion in protocol.eligibility
    ]
    return Dataset(TI_SPEC, rows)
