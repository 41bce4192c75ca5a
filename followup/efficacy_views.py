"""The subject's efficacy page: per visit each response definition of the subject's disease with
its verdict, the evidence per criterion and the inputs missing, and the disease score over the
visits as a chart. Read-only, for every role that sees the subject's casebook (de-identified for
those without personal data, as the casebook)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from edc import selectors as edc_selectors
from edc.casebook import VisitNote, localised
from edc.decorators import study_view
from edc.models import Subject
from edc.roles import Perm
from followup.domain.response import AavCourse, Change
from followup.efficacy import (
    DEFINITIONS,
    TONES,
    aav_course_of,
    score_changes,
    score_course,
    subject_responses,
)
from followup.efficacy_labels import (
    CRITERION_LABELS,
    DEFINITION_LABELS,
    INPUT_LABELS,
    INSTRUMENT_LABELS,
    VALUE_LABELS,
)
from followup.models import ResponseAssessment

MET_COLOUR, OTHER_COLOUR = "#198754", "#6c757d"


@dataclass(frozen=True)
class CriterionLine:
    label: str
    met: bool | None
    evidence: str


@dataclass(frozen=True)
class ResponseLine:
    definition: str
    label: str
    result: str
    result_label: str
    tone: str
    value: str
    criteria: tuple[CriterionLine, ...]
    missing: tuple[str, ...]
    source: str


@dataclass
class VisitResponses:
    visit_code: str
    visit_name: str
    study_day: int
    lines: list[ResponseLine] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # each score's change from baseline


def _label(catalogue: dict, code: str) -> str:
    return str(catalogue.get(code, code))


def response_line(row: ResponseAssessment) -> ResponseLine:
    return ResponseLine(
        definition=row.definition,
        label=_label(DEFINITION_LABELS, row.definition),
        result=row.result,
        result_label=row.get_result_display(),
        tone=TONES[row.result],
        value=_label(VALUE_LABELS, row.value) if row.value else "",
        criteria=tuple(
            CriterionLine(_label(CRITERION_LABELS, c["code"]), c["met"], c["evidence"])
            for c in row.criteria
        ),
        missing=tuple(_label(INPUT_LABELS, name) for name in row.missing),
        source=row.source,
    )


def _visit_names(subject: Subject, lang: str) -> dict[str, str]:
    definition = edc_selectors.protocol_definition(subject.study)
    return {v.code: localised(v.name, v.name_zh, lang) for v in definition.visits}


def _show(number: object) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def change_text(change: Change) -> str:
    """`SLEDAI-2K 12 → 4 (change -8, -66.7 %)` in the reader's language."""
    label = str(INSTRUMENT_LABELS.get(change.instrument, change.instrument))
    if change.change is None:
        missing = [_("baseline") if m == "baseline" else _("this visit") for m in change.missing]
        return _("%(score)s: no change computable (no value at %(missing)s)") % {
            "score": label,
            "missing": ", ".join(missing),
        }
    percent = "" if change.percent is None else f", {_show(change.percent)} %"
    return _("%(score)s %(baseline)s → %(now)s (change %(change)s%(percent)s)") % {
        "score": label,
        "baseline": _show(change.baseline),
        "now": _show(change.now),
        "change": f"{'+' if change.change > 0 else ''}{_show(change.change)}",
        "percent": percent,
    }


def course_lines(course: AavCourse | None) -> list[str]:
    """The AAV course over the visits: first remission, sustained remission, first relapse."""
    if course is None:
        return []
    lines = [
        _("Remission (BVAS v3 0, prednisone at most 7.5 mg/day) first on day %(day)s")
        % {"day": course.remission_day}
        if course.remission_day is not None
        else _("No remission yet"),
        _("Sustained remission (6 months or more) from day %(day)s")
        % {"day": course.sustained_from_day}
        if course.sustained_remission
        else _("Remission not (yet) sustained for 6 months"),
    ]
    if course.relapse_day is not None:
        lines.append(_("Relapse on day %(day)s") % {"day": course.relapse_day})
    elif course.remission_day is not None:
        lines.append(_("No relapse since the remission"))
    return lines


def _by_visit(subject: Subject, rows: list[ResponseAssessment], lang: str) -> list[VisitResponses]:
    names = _visit_names(subject, lang)
    changes = score_changes(subject)
    order = {code: i for i, code in enumerate(DEFINITIONS.get(subject.stratum.code, ()))}
    visits: dict[str, VisitResponses] = {}
    for row in rows:
        visit = visits.setdefault(
            row.visit_code,
            VisitResponses(
                row.visit_code, names.get(row.visit_code, row.visit_code), row.study_day
            ),
        )
        visit.lines.append(response_line(row))
    for visit in visits.values():
        visit.lines.sort(key=lambda line: order.get(line.definition, len(order)))
        visit.changes = [change_text(c) for c in changes.get(visit.visit_code, ())]
    return sorted(visits.values(), key=lambda v: v.study_day)


def score_chart(subject: Subject, rows: list[ResponseAssessment]) -> dict[str, Any] | None:
    """A complete Chart.js line config of the disease's main score by visit; a point is green
    where the disease's first definition (DORIS, mRSS improvement, ...) is met."""
    code, points = score_course(subject)
    if not points:
        return None
    first = DEFINITIONS[subject.stratum.code][0]
    met = {r.visit_code for r in rows if r.definition == first and r.result == r.Result.MET}
    colours = [MET_COLOUR if visit in met else OTHER_COLOUR for visit, _day, _v in points]
    label = str(INSTRUMENT_LABELS[code])
    return {
        "type": "line",
        "data": {
            "labels": [f"{visit} ({_('day')} {day})" for visit, day, _v in points],
            "datasets": [
                {
                    "label": label,
                    "data": [float(value) for _visit, _day, value in points],
                    "borderColor": OTHER_COLOUR,
                    "pointBackgroundColor": colours,
                    "pointBorderColor": colours,
                    "pointRadius": 5,
                }
            ],
        },
        "options": {
            "plugins": {
                "title": {
                    "display": True,
                    "text": _("%(score)s over the visits; green: %(definition)s met")
                    % {"score": label, "definition": DEFINITION_LABELS[first]},
                }
            },
            "scales": {"y": {"beginAtZero": True, "title": {"display": True, "text": label}}},
        },
    }


@study_view(Perm.VIEW_SUBJECTS)
def efficacy_page(request: HttpRequest, pk) -> HttpResponse:
    subject = get_object_or_404(
        edc_selectors.subject_list_for_user(request.access).select_related(
            "stratum", "study_site__site", "study_site__study"
        ),
        pk=pk,
    )
    rows = subject_responses(subject)
    return render(
        request,
        "followup/efficacy.html",
        {
            "subject": subject,
            "visits": _by_visit(subject, rows, get_language() or "en"),
            "definitions": [
                DEFINITION_LABELS[d] for d in DEFINITIONS.get(subject.stratum.code, ())
            ],
            "chart": score_chart(subject, rows),
            "course": course_lines(aav_course_of(rows)),
            "show_personal_data": request.access.can(
                Perm.VIEW_PERSONAL_DATA, subject.study_site_id
            ),
        },
    )


def casebook_notes(subject: Subject, lang: str = "en") -> dict[str, list[VisitNote]]:
    """Per visit of the casebook: each definition met, or one line saying none was met (and how
    many could not be evaluated); each links to the efficacy page."""
    url = reverse("followup:efficacy", args=[subject.study.registry_id, subject.pk])
    by_visit: dict[str, list[ResponseAssessment]] = {}
    for row in subject_responses(subject):
        by_visit.setdefault(row.visit_code, []).append(row)
    order = {code: i for i, code in enumerate(DEFINITIONS.get(subject.stratum.code, ()))}
    notes = {}
    for visit, rows in by_visit.items():
        met = sorted(
            (r for r in rows if r.result == r.Result.MET),
            key=lambda r: order.get(r.definition, len(order)),
        )
        if met:
            notes[visit] = [
                VisitNote(
                    _("%(definition)s: met") % {"definition": DEFINITION_LABELS[r.definition]},
                    "success",
                    url,
                )
                for r in met
            ]
            continue
        pending = sum(r.result == r.Result.NOT_EVALUABLE for r in rows)
        text = _("No response definition met")
        if pending:
            text = _("No response definition met (%(n)s not evaluable)") % {"n": pending}
        notes[visit] = [VisitNote(text, "secondary", url)]
    return notes
