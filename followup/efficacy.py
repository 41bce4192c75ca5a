"""Response to treatment per subject and visit: the disease scores gathered from the CRFs, the
pure rules of `followup.domain.response` applied per the subject's disease (stratum), and the
verdicts kept as `ResponseAssessment` rows with their evidence.

`responses_recompute` is the one write: every contributing form (the disease scores, the
concomitant medications, the infusion that fixes Day 0) calls it in the transaction that saves
the form, and it writes only what changed, so an unchanged verdict adds no history row. Pages
and other apps read the rows (`subject_responses`, `latest_responses`) in one query.

Baseline is the last assessment before lymphodepletion (clinical-rules.md §13; before Day 0
when no lymphodepletion is recorded); the visits judged are those after Day 0 with the disease's
main score. The glucocorticoid dose and the drugs taken on the day of that score come from the
concomitant-medication log (followup.domain.treatment).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction

from dosing.models import LymphodepletionCourse
from edc.audit import audited_create, audited_update
from edc.domain.calculators import BILAG2004_SYSTEMS, SLEDAI2K_WEIGHTS
from edc.models import Study, Subject
from followup.domain import response as rules
from followup.domain.treatment import Medication, Treatment, treatment_on
from followup.models import ResponseAssessment
from screening.models import (
    Bilag2004,
    Bvas,
    ConcomitantMedication,
    Essdai,
    JointCounts,
    LupusSerology,
    Mrss,
    PulmonaryFunction,
    Sledai2k,
)

RECOMPUTED = "Recomputed from the saved forms"
NO_LONGER_ASSESSED = "visit_assessment"

# The definitions applied per disease, in the order the page lists them (clinical-rules.md §13).
DEFINITIONS: Mapping[str, tuple[str, ...]] = {
    "sle": ("doris_remission", "drug_free_remission", "lldas", "sri4", "serological_response"),
    "ssc": ("mrss_improvement", "acr_criss"),
    "pss": ("essdai_response",),
    "ra": ("eular_response", "boolean_remission", "cdai_remission", "sdai_remission"),
    "aav": ("aav_remission",),
}


@dataclass(frozen=True)
class Instrument:
    """A score CRF the rules read: its model, the field holding its date, and its chart value."""

    code: str
    model: type[models.Model]
    date_field: str


INSTRUMENTS: Mapping[str, Instrument] = {
    i.code: i
    for i in (
        Instrument("sledai2k", Sledai2k, "assessed_on"),
        Instrument("bilag2004", Bilag2004, "assessed_on"),
        Instrument("lupus_serology", LupusSerology, "tested_on"),
        Instrument("mrss", Mrss, "assessed_on"),
        Instrument("pulmonary_function", PulmonaryFunction, "performed_on"),
        Instrument("essdai", Essdai, "assessed_on"),
        Instrument("joint_counts", JointCounts, "assessed_on"),
        Instrument("bvas", Bvas, "assessed_on"),
    )
}
# Per disease: the main score (a visit with it after Day 0 is judged) and the others read.
STRATUM_INSTRUMENTS: Mapping[str, tuple[str, ...]] = {
    "sle": ("sledai2k", "bilag2004", "lupus_serology"),
    "ssc": ("mrss", "pulmonary_function"),
    "pss": ("essdai",),
    "ra": ("joint_counts",),
    "aav": ("bvas",),
}
# Every form whose save can change a verdict (listeners in followup.apps).
CONTRIBUTING_CRFS = (*INSTRUMENTS, "concomitant_medication", "infusion", "lymphodepletion")


@dataclass
class Scores:
    """A subject's score rows: the baseline row and the post-infusion rows per visit code."""

    baseline: dict[str, Any]
    by_visit: dict[str, dict[str, Any]]
    previous: dict[str, dict[str, Any]]  # visit code -> the rows of the assessment before it


def _date(row: Any, code: str) -> dt.date:
    return getattr(row, INSTRUMENTS[code].date_field)


def _reference_day(subject: Subject) -> dt.date | None:
    first = (
        LymphodepletionCourse.objects.filter(subject=subject)
        .values_list("first_day_on", flat=True)
        .first()
    )
    return first or subject.day0_date


def _scores(subject: Subject, codes: Iterable[str], reference: dt.date) -> Scores:
    assert subject.day0_date is not None
    baseline: dict[str, Any] = {}
    by_visit: dict[str, dict[str, Any]] = {}
    for code in codes:
        rows = sorted(
            INSTRUMENTS[code].model.objects.filter(subject=subject),
            key=lambda r: (_date(r, code), r.created_at),
        )
        before = [r for r in rows if _date(r, code) < reference]
        if before:
            baseline[code] = before[-1]
        for row in rows:
            if _date(row, code) >= subject.day0_date:
                by_visit.setdefault(row.visit_code, {})[code] = row
    main = next(iter(codes))
    ordered = sorted(
        (v for v in by_visit if main in by_visit[v]), key=lambda v: _date(by_visit[v][main], main)
    )
    previous, last = {}, baseline
    for visit in ordered:
        previous[visit] = last
        last = by_visit[visit]
    return Scores(baseline, {v: by_visit[v] for v in ordered}, previous)


def _medications(subject: Subject) -> list[Medication]:
    return [
        Medication(
            name=m.drug_name,
            atc_code=m.atc_code,
            route=m.route,
            start=m.start_date,
            stop=m.stop_date,
            prednisone_mg_day=m.prednisone_equivalent_mg_day,
        )
        for m in ConcomitantMedication.objects.filter(subject=subject)
    ]


# ---------------------------------------------------------------------------------------------
# Inputs of the rules, read from the rows (None: not captured or not entered)
# ---------------------------------------------------------------------------------------------


def _present(row: Sledai2k | None) -> tuple[str, ...] | None:
    return None if row is None else tuple(c for c in SLEDAI2K_WEIGHTS if getattr(row, c))


def _letters(row: Bilag2004 | None) -> dict[str, str] | None:
    return None if row is None else {s: getattr(row, s) for s in BILAG2004_SYSTEMS}


def _attr(row: Any, name: str) -> Any:
    return None if row is None else getattr(row, name)


def _das28(before: JointCounts | None, now: JointCounts | None) -> tuple[Any, Any]:
    """DAS28 at baseline and now in one variant: ESR when both have it, else CRP."""
    for name in ("das28_esr", "das28_crp"):
        if _attr(before, name) is not None and _attr(now, name) is not None:
            return _attr(before, name), _attr(now, name)
    return _attr(before, "das28_esr"), _attr(now, "das28_esr")


def _crp_mg_dl(row: JointCounts | None) -> Decimal | None:
    value = _attr(row, "crp_mg_l")
    return None if value is None else value / 10


def _bvas(row: Bvas | None) -> int | None:
    """BVAS v3 for remission: 0 only when no item is ticked, new/worse or persistent."""
    if row is None:
        return None
    return row.total_new_worse or row.total_persistent


def _gi_activity(row: Bilag2004 | None) -> bool | None:
    """LLDAS "no gastrointestinal activity" read as BILAG-2004 gastrointestinal D or E."""
    return None if row is None else row.gastrointestinal in ("A", "B", "C")


def _new_activity(now: Sledai2k | None, before: Sledai2k | None) -> bool | None:
    """LLDAS "no new activity": a SLEDAI-2K descriptor present now and absent last time."""
    if now is None or before is None:
        return None
    return bool(set(_present(now) or ()) - set(_present(before) or ()))


Rule = Callable[[dict[str, Any], dict[str, Any], dict[str, Any], Treatment], dict[str, Any]]


def _sle(definition: str, now: dict, base: dict, prev: dict, t: Treatment) -> dict[str, Any]:
    s, sb = now.get("sledai2k"), base.get("sledai2k")
    pga = _attr(s, "physician_global_0_3")
    if definition == "doris_remission":
        return {"sledai_present": _present(s), "pga": pga, "prednisone_mg_day": t.prednisone_mg_day}
    if definition == "drug_free_remission":
        return {
            "sledai_present": _present(s),
            "pga": pga,
            "prednisone_mg_day": t.prednisone_mg_day,
            "on_immunosuppressant": t.on_immunosuppressant,
            "on_biologic": t.on_biologic,
        }
    if definition == "lldas":
        return {
            "sledai_present": _present(s),
            "pga": pga,
            "prednisone_mg_day": t.prednisone_mg_day,
            "new_activity": _new_activity(s, prev.get("sledai2k")),
            "haemolytic_anaemia": None,  # not captured by the CRFs
            "gi_activity": _gi_activity(now.get("bilag2004")),
            "maintenance_tolerated": None,  # not captured by the CRFs
        }
    if definition == "sri4":
        return {
            "sledai_baseline": _attr(sb, "total"),
            "sledai_now": _attr(s, "total"),
            "bilag_baseline": _letters(base.get("bilag2004")),
            "bilag_now": _letters(now.get("bilag2004")),
            "pga_baseline": _attr(sb, "physician_global_0_3"),
            "pga_now": pga,
        }
    serology = now.get("lupus_serology")
    dsdna = _attr(serology, "anti_dsdna")
    return {
        "anti_dsdna_negative": None if dsdna is None else dsdna == "negative",
        "c3_g_l": _attr(serology, "c3_g_l"),
        "c3_lln_g_l": None,  # the laboratory's lower limit is not captured on the form
        "c4_g_l": _attr(serology, "c4_g_l"),
        "c4_lln_g_l": None,
    }


def _ssc(definition: str, now: dict, base: dict, _prev: dict, _t: Treatment) -> dict[str, Any]:
    mrss = {"baseline": _attr(base.get("mrss"), "total"), "now": _attr(now.get("mrss"), "total")}
    if definition == "mrss_improvement":
        return mrss
    return {
        "mrss_baseline": mrss["baseline"],
        "mrss_now": mrss["now"],
        "fvc_baseline": _attr(base.get("pulmonary_function"), "fvc_pct_predicted"),
        "fvc_now": _attr(now.get("pulmonary_function"), "fvc_pct_predicted"),
    }  # the SSc globals, HAQ-DI and the step-1 events are not captured: reported missing


def _pss(_definition: str, now: dict, base: dict, _prev: dict, _t: Treatment) -> dict[str, Any]:
    return {
        "baseline": _attr(base.get("essdai"), "total"),
        "now": _attr(now.get("essdai"), "total"),
    }


def _ra(definition: str, now: dict, base: dict, _prev: dict, _t: Treatment) -> dict[str, Any]:
    j, jb = now.get("joint_counts"), base.get("joint_counts")
    if definition == "eular_response":
        before, after = _das28(jb, j)
        return {"das28_baseline": before, "das28_now": after}
    counts = {
        "tjc28": _attr(j, "tjc28"),
        "sjc28": _attr(j, "sjc28"),
        "patient_global_0_10": _attr(j, "patient_global_0_10"),
    }
    if definition == "boolean_remission":
        return {**counts, "crp_mg_dl": _crp_mg_dl(j)}
    counts["evaluator_global_0_10"] = _attr(j, "evaluator_global_0_10")
    if definition == "sdai_remission":
        return {**counts, "crp_mg_dl": _crp_mg_dl(j)}
    return counts


def _aav(_definition: str, now: dict, _base: dict, _prev: dict, t: Treatment) -> dict[str, Any]:
    return {"bvas": _bvas(now.get("bvas")), "prednisone_mg_day": t.prednisone_mg_day}


INPUTS: Mapping[str, Rule] = {"sle": _sle, "ssc": _ssc, "pss": _pss, "ra": _ra, "aav": _aav}


# ---------------------------------------------------------------------------------------------
# Verdicts
# ---------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A JSON value: Decimals as text (as typed), tuples as lists, maps kept."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _value(result: rules.Response) -> str:
    if isinstance(result, rules.EularResponse):
        return result.response or ""
    if isinstance(result, rules.EssdaiResponse):
        return result.activity or ""
    return ""


def _verdict(result: rules.Response) -> str:
    if result.met is None:
        return ResponseAssessment.Result.NOT_EVALUABLE
    return ResponseAssessment.Result.MET if result.met else ResponseAssessment.Result.NOT_MET


def subject_verdicts(subject: Subject) -> dict[tuple[str, str], dict[str, Any]]:
    """(visit code, definition) -> the fields of its ResponseAssessment, computed from the CRFs
    now; empty before the infusion or for a disease without definitions."""
    stratum = subject.stratum.code
    reference = _reference_day(subject)
    if subject.day0_date is None or reference is None or stratum not in DEFINITIONS:
        return {}
    scores = _scores(subject, STRATUM_INSTRUMENTS[stratum], reference)
    medications = _medications(subject)
    main = STRATUM_INSTRUMENTS[stratum][0]
    verdicts = {}
    for visit, now in scores.by_visit.items():
        on = _date(now[main], main)
        treatment = treatment_on(medications=medications, on=on)
        for definition in DEFINITIONS[stratum]:
            inputs = INPUTS[stratum](
                definition, now, scores.baseline, scores.previous[visit], treatment
            )
            result = getattr(rules, definition)(**inputs)
            evidence_inputs = {**inputs, "assessed_on": on.isoformat()}
            if "prednisone_mg_day" in inputs:
                evidence_inputs["glucocorticoids"] = treatment.glucocorticoids
                evidence_inputs["dose_unknown"] = treatment.dose_unknown
            verdicts[(visit, definition)] = {
                "study_day": (on - subject.day0_date).days,
                "result": _verdict(result),
                "value": _value(result),
                "criteria": [
                    {"code": c.code, "met": c.met, "evidence": c.evidence} for c in result.criteria
                ],
                "missing": list(result.missing),
                "inputs": _plain(evidence_inputs),
                "source": result.source,
            }
    return verdicts


@transaction.atomic
def responses_recompute(subject: Subject, *, actor: AbstractBaseUser) -> None:
    """Bring the subject's ResponseAssessment rows in line with its forms; a verdict no longer
    computable from them (its score moved to another visit) becomes not evaluable."""
    verdicts = subject_verdicts(subject)
    existing = {
        (row.visit_code, row.definition): row
        for row in ResponseAssessment.objects.select_for_update().filter(subject=subject)
    }
    for key, row in existing.items():
        if key not in verdicts:
            verdicts[key] = {
                "study_day": row.study_day,
                "result": ResponseAssessment.Result.NOT_EVALUABLE,
                "value": "",
                "criteria": [],
                "missing": [NO_LONGER_ASSESSED],
                "inputs": {},
                "source": row.source,
            }
    for (visit, definition), fields in verdicts.items():
        row = existing.get((visit, definition))
        if row is None:
            audited_create(
                ResponseAssessment(
                    subject=subject, visit_code=visit, definition=definition, **fields
                ),
                actor=actor,
            )
            continue
        changes = {k: v for k, v in fields.items() if getattr(row, k) != v}
        if changes:
            audited_update(
                row, actor=actor, reason=RECOMPUTED, changes=changes, expected_version=None
            )


def recompute_after_form(instance: Any, *, actor: AbstractBaseUser) -> None:
    """The CRF listener: a contributing form was saved (followup.apps)."""
    responses_recompute(instance.subject, actor=actor)


# ---------------------------------------------------------------------------------------------
# Reads
# ---------------------------------------------------------------------------------------------


def subject_responses(subject: Subject) -> list[ResponseAssessment]:
    """The subject's verdicts by study day, in one query."""
    return list(
        ResponseAssessment.objects.filter(subject=subject).order_by("study_day", "definition")
    )


# The score changes from baseline shown per visit (clinical-rules.md §13): (instrument of the
# change rule, reader of (baseline row, now row) -> (baseline, now)) per disease.
def _total(code: str, field: str = "total") -> Callable[[dict, dict], tuple[Any, Any]]:
    return lambda base, now: (_attr(base.get(code), field), _attr(now.get(code), field))


SCORE_CHANGES: Mapping[str, tuple[tuple[str, Callable[[dict, dict], tuple[Any, Any]]], ...]] = {
    "sle": (("sledai2k", _total("sledai2k")),),
    "ssc": (
        ("mrss", _total("mrss")),
        ("fvc_pct_predicted", _total("pulmonary_function", "fvc_pct_predicted")),
    ),
    "pss": (("essdai", _total("essdai")),),
    "ra": (("das28", lambda base, now: _das28(base.get("joint_counts"), now.get("joint_counts"))),),
    "aav": (("bvas", lambda base, now: (_bvas(base.get("bvas")), _bvas(now.get("bvas")))),),
}


def score_changes(subject: Subject) -> dict[str, list[rules.Change]]:
    """Visit code -> each score of the subject's disease as a change from baseline (SLEDAI-2K,
    mRSS and FVC % predicted, ESSDAI, DAS28, BVAS v3), read from the forms now."""
    stratum = subject.stratum.code
    reference = _reference_day(subject)
    if subject.day0_date is None or reference is None or stratum not in SCORE_CHANGES:
        return {}
    scores = _scores(subject, STRATUM_INSTRUMENTS[stratum], reference)
    changes: dict[str, list[rules.Change]] = {}
    for visit, now in scores.by_visit.items():
        for code, read in SCORE_CHANGES[stratum]:
            baseline, current = read(scores.baseline, now)
            changes.setdefault(visit, []).append(
                rules.change_from_baseline(instrument=code, baseline=baseline, now=current)
            )
    return changes


def aav_course_of(rows: Iterable[ResponseAssessment]) -> rules.AavCourse | None:
    """Sustained remission and relapse over the stored AAV remission verdicts (their inputs are
    the BVAS v3 and prednisone dose each was judged on); None without any."""
    by_day = {
        row.study_day: rules.AavAssessment(
            day=row.study_day,
            bvas=row.inputs.get("bvas"),
            prednisone_mg_day=None
            if row.inputs.get("prednisone_mg_day") is None
            else Decimal(row.inputs["prednisone_mg_day"]),
        )
        for row in rows
        if row.definition == "aav_remission"
    }  # one assessment a day (the later row of a day wins)
    return rules.aav_course(assessments=list(by_day.values())) if by_day else None


def latest_responses(study: Study) -> dict[Any, list[ResponseAssessment]]:
    """Subject id -> the latest verdict of each definition (the assessment furthest from Day 0),
    for every subject of the study with one; one query whatever the study's size."""
    rows = ResponseAssessment.objects.filter(subject__study_site__study=study).order_by(
        "subject_id", "definition", "-study_day"
    )
    latest: dict[Any, list[ResponseAssessment]] = {}
    seen: set[tuple[Any, str]] = set()
    for row in rows:
        if (row.subject_id, row.definition) not in seen:
            seen.add((row.subject_id, row.definition))
            latest.setdefault(row.subject_id, []).append(row)
    return latest


def score_course(subject: Subject) -> tuple[str, list[tuple[str, int, Decimal]]]:
    """The disease's main score over the subject's assessments: (instrument code, [(visit code,
    study day, value)]) by date, baseline included; for the chart of the efficacy page."""
    stratum = subject.stratum.code
    code = {
        "sle": "sledai2k",
        "ssc": "mrss",
        "pss": "essdai",
        "ra": "joint_counts",
        "aav": "bvas",
    }.get(stratum)
    if code is None:
        return "", []
    instrument = INSTRUMENTS[code]
    rows = instrument.model.objects.filter(subject=subject).order_by(instrument.date_field)
    anchor = subject.day0_date
    points = []
    for row in rows:
        value = _course_value(code, row)
        if value is None:
            continue
        day = (_date(row, code) - anchor).days if anchor else 0
        points.append((row.visit_code, day, Decimal(value)))
    return code, points


def _course_value(code: str, row: Any) -> Any:
    if code == "joint_counts":
        return row.das28_esr if row.das28_esr is not None else row.das28_crp
    if code == "bvas":
        return row.total_new_worse
    return row.total


# ---------------------------------------------------------------------------------------------
# What the pages show
# ---------------------------------------------------------------------------------------------

TONES = {
    ResponseAssessment.Result.MET: "success",
    ResponseAssessment.Result.NOT_MET: "secondary",
    ResponseAssessment.Result.NOT_EVALUABLE: "warning",
}
