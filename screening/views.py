"""The eligibility checklist (one form for all judgements, enrol, screen-fail), screening log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from edc import selectors as edc_selectors
from edc.casebook import crf_display_name
from edc.decorators import study_view
from edc.domain.protocol import ProtocolDefinition
from edc.forms import add_service_errors
from edc.models import Subject
from edc.pagination import paged
from edc.roles import Perm
from edc.sdv import record_sdv, verify_record
from screening.domain.eligibility import EligibilityAssessment, Outcome
from screening.forms.eligibility import JudgementsForm, ScreenFailForm
from screening.messages import evidence_line, merged, render_message
from screening.selectors import eligibility_assessment, eligibility_confirmations, screening_log
from screening.services.eligibility import (
    eligibility_confirm_all,
    subject_enrol_if_eligible,
    subject_screen_fail,
)
from screening.snapshot import SOURCE_CRF

OUTCOME_LABEL = {
    Outcome.MET: gettext_lazy("met"),
    Outcome.NOT_MET: gettext_lazy("not met"),
    Outcome.MISSING_DATA: gettext_lazy("missing data"),
    Outcome.NEEDS_CONFIRMATION: gettext_lazy("needs confirmation"),
}
OUTCOME_STYLE = {
    Outcome.MET: "success",
    Outcome.NOT_MET: "danger",
    Outcome.MISSING_DATA: "warning",
    Outcome.NEEDS_CONFIRMATION: "info",
}


# What a row says beyond its badge and evidence (the rule summary and "awaiting confirmation"
# repeat the badge; the form beside the row shows a saved judgement).
SHOWN_MESSAGES = frozenset(
    {"applicability.male", "applicability.not_childbearing", "applicability.unknown"}
)


CONFIRMATION_MESSAGES = frozenset({"confirmation.met", "confirmation.not_met"})


def _judgement_keys(assessment: EligibilityAssessment) -> list[tuple[str, bool]]:
    """Every key the investigator answers, in checklist order, and whether it judges a finding."""
    return [
        (key, "/judgement/" in key)
        for r in assessment.results
        if r.applicable
        for key in r.confirmation_keys
    ]


def _judgements_form(
    request: HttpRequest, subject: Subject, assessment: EligibilityAssessment
) -> JudgementsForm:
    bound = request.method == "POST" and request.POST.get("action") == "judgements"
    return JudgementsForm(
        request.POST if bound else None,
        keys=_judgement_keys(assessment),
        saved=eligibility_confirmations(subject),
    )


def _sections(
    assessment: EligibilityAssessment,
    definition: ProtocolDefinition,
    form: JudgementsForm | None,
    lang: str,
) -> list[dict]:
    """Criteria grouped as protocols print them: inclusion then exclusion, common then stratum."""
    sections: dict[tuple[str, str], list] = {}
    # Without the form (a reader, or screening has ended) the saved judgements show as text.
    shown_kinds = {"lab", "measure", "result"} | (set() if form else {"judgement"})
    shown_messages = SHOWN_MESSAGES | (set() if form else CONFIRMATION_MESSAGES)
    for r in assessment.results:
        forms_to_fix = sorted(
            {SOURCE_CRF.get(e.name, "lab_panel" if e.kind == "lab" else "") for e in r.evidence}
            - {""}
        )
        questions = []
        if form is not None and r.applicable:
            judged = {e.name: evidence_line(e).label for e in r.evidence if e.kind == "judgement"}
            questions = [
                (judged.get(key, ""), form[form.met_name(key)], form[form.note_name(key)])
                for key in r.confirmation_keys
            ]
        sections.setdefault((r.kind, r.group), []).append(
            {
                "result": r,
                "text": r.text_zh if lang.startswith("zh") and r.text_zh else r.text,
                "style": OUTCOME_STYLE[r.outcome],
                "label": OUTCOME_LABEL[r.outcome],
                "lines": merged([evidence_line(e) for e in r.evidence if e.kind in shown_kinds]),
                "messages": [render_message(m) for m in r.messages if m.code in shown_messages],
                "forms": (
                    [(code, crf_display_name(definition, code, lang)) for code in forms_to_fix]
                    if r.outcome == Outcome.MISSING_DATA
                    else []
                ),
                "questions": questions,
            }
        )
    order = sorted(sections, key=lambda k: (k[0] != "inclusion", k[1] != "common"))
    return [
        {"kind": kind, "group": group, "rows": sections[(kind, group)]} for kind, group in order
    ]


def _cleaned(form: forms.Form) -> dict[str, Any]:
    """The form's data, or its errors (each with its field's label) as the page's messages."""
    if not form.is_valid():
        raise ValidationError(
            [
                f"{form.fields[name].label}: {message}" if name in form.fields else message
                for name, messages in form.errors.items()
                for message in messages
            ]
        )
    return form.cleaned_data


def _act(request: HttpRequest, subject: Subject, now) -> None:
    action, today = request.POST.get("action"), edc_selectors.subject_local_date(subject, now)
    if action == "enrol":
        subject = subject_enrol_if_eligible(subject, actor=request.user, today=today, now=now)
        messages.success(request, _("Enrolled as %(id)s.") % {"id": subject.subject_identifier})
    elif action == "screen_fail":
        reason = _cleaned(ScreenFailForm(request.POST))["reason"]
        subject_screen_fail(subject, actor=request.user, today=today, now=now, reason=reason)
        messages.success(request, _("Screening ended as a screen failure."))


def _save_judgements(request: HttpRequest, subject: Subject, form: JudgementsForm) -> bool:
    """All the form's new and changed judgements in one transaction; False with errors shown."""
    if not form.is_valid():
        return False
    answers = form.judgements()
    try:
        eligibility_confirm_all(
            subject,
            judgements=[(j.key, j.met, j.note) for j in answers],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(
        request,
        ngettext("%(n)d judgement saved.", "%(n)d judgements saved.", len(answers))
        % {"n": len(answers)},
    )
    return True


def _here(request: HttpRequest, subject: Subject) -> HttpResponse:
    return redirect("screening:eligibility", registry_id=request.study.registry_id, pk=subject.pk)


@study_view(Perm.VIEW_SUBJECTS)
def eligibility_page(request: HttpRequest, pk) -> HttpResponse:
    try:
        subject = edc_selectors.subject_list_for_user(request.access).get(pk=pk)
    except Subject.DoesNotExist as exc:
        raise Http404 from exc
    can_decide = request.access.can(Perm.ENROL_SUBJECT, subject.study_site_id)
    now = timezone.now()
    if request.method == "POST" and not can_decide:
        raise PermissionDenied
    assessment = eligibility_assessment(
        subject, today=edc_selectors.subject_local_date(subject, now), now=now
    )
    can_judge = can_decide and subject.status == "screening"
    form = _judgements_form(request, subject, assessment) if can_judge else None
    if request.method == "POST":
        if form is None or not form.is_bound:
            try:
                _act(request, subject, now)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            return _here(request, subject)
        if _save_judgements(request, subject, form):
            return _here(request, subject)
    return render(
        request,
        "screening/eligibility.html",
        {
            "subject": subject,
            "assessment": assessment,
            "sections": _sections(
                assessment,
                edc_selectors.protocol_definition(request.study),
                form,
                translation.get_language() or "en",
            ),
            "form": form,
            "can_decide": can_judge,
            "screen_fail_form": ScreenFailForm(),
            "show_personal_data": request.access.can(
                Perm.VIEW_PERSONAL_DATA, subject.study_site_id
            ),
            "decisions": _decisions_with_sdv(request, subject),
            "can_verify": request.access.can(Perm.VERIFY_SOURCE, subject.study_site_id),
        },
    )


def _decisions_with_sdv(request: HttpRequest, subject: Subject):
    """The subject's decisions, each with the monitor's mark standing on it (or None)."""
    definition = edc_selectors.protocol_definition(request.study)
    marks = dict(record_sdv(definition, "eligibility", subject))
    return [(d, marks.get(d.pk)) for d in subject.eligibility_decisions.order_by("decided_at")]


@study_view(Perm.VERIFY_SOURCE)
@require_POST
def eligibility_verify(request: HttpRequest, pk, decision) -> HttpResponse:
    """The monitor verified the eligibility decision (criteria, evidence) against the source."""
    try:
        subject = edc_selectors.subject_list_for_user(request.access).get(pk=pk)
    except Subject.DoesNotExist as exc:
        raise Http404 from exc
    if not request.access.can(Perm.VERIFY_SOURCE, subject.study_site_id):
        raise PermissionDenied
    try:
        verify_record(
            edc_selectors.protocol_definition(request.study),
            "eligibility",
            subject,
            decision,
            actor=request.user,
            now=timezone.now(),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Source-data verification recorded."))
    return _here(request, subject)


@study_view(Perm.VIEW_SUBJECTS)
def screening_log_page(request: HttpRequest) -> HttpResponse:
    access = request.access
    sites = edc_selectors.study_site_list_for_user(access, Perm.VIEW_SUBJECTS)
    by_id = {str(site.pk): site for site in sites}
    site_id = request.GET.get("site", "")
    if site_id not in by_id:
        site_id = next(iter(by_id), "")
    subjects = edc_selectors.subject_list_for_user(access).filter(study_site_id=site_id or None)
    page = paged(request, subjects.order_by("consent_date", "screening_number", "pk"))
    page.object_list = screening_log(page.object_list)
    return render(
        request,
        "screening/screening_log.html",
        {"sites": sites, "site_id": site_id, "page": page},
    )
