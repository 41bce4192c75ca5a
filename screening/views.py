"""The eligibility checklist (confirm, enrol, screen-fail) and the screening log."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from edc import selectors as edc_selectors
from edc.casebook import crf_display_name
from edc.decorators import study_view
from edc.domain.protocol import ProtocolDefinition
from edc.models import Subject
from edc.roles import Perm
from screening.domain.eligibility import EligibilityAssessment, Outcome
from screening.evidence_labels import EVIDENCE_LABELS
from screening.forms.eligibility import ConfirmationForm, ScreenFailForm
from screening.selectors import eligibility_assessment, screening_log
from screening.services.eligibility import (
    eligibility_confirm,
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


def _shown(value: object) -> object:
    """An evidence value for display: "none recorded" stands for the engine's NEVER (infinity)."""
    if isinstance(value, Decimal) and not value.is_finite():
        return _("none recorded")
    return value


def _sections(
    assessment: EligibilityAssessment, definition: ProtocolDefinition, lang: str
) -> list[dict]:
    """Criteria grouped as protocols print them: inclusion then exclusion, common then stratum."""
    sections: dict[tuple[str, str], list] = {}
    for r in assessment.results:
        forms_to_fix = sorted(
            {SOURCE_CRF.get(e.name, "lab_panel" if e.kind == "lab" else "") for e in r.evidence}
            - {""}
        )
        sections.setdefault((r.kind, r.group), []).append(
            {
                "result": r,
                "text": r.text_zh if lang.startswith("zh") and r.text_zh else r.text,
                "style": OUTCOME_STYLE[r.outcome],
                "label": OUTCOME_LABEL[r.outcome],
                "evidence": [
                    (e, EVIDENCE_LABELS.get(e.name, e.name), _shown(e.value)) for e in r.evidence
                ],
                "forms": [
                    (code, crf_display_name(definition, code, lang)) for code in forms_to_fix
                ],
                "confirm": [ConfirmationForm(initial={"key": k}) for k in r.unconfirmed_keys],
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
    if action == "confirm":
        eligibility_confirm(subject, **_cleaned(ConfirmationForm(request.POST)), actor=request.user)
    elif action == "enrol":
        subject = subject_enrol_if_eligible(subject, actor=request.user, today=today, now=now)
        messages.success(request, _("Enrolled as %(id)s.") % {"id": subject.subject_identifier})
    elif action == "screen_fail":
        reason = _cleaned(ScreenFailForm(request.POST))["reason"]
        subject_screen_fail(subject, actor=request.user, today=today, now=now, reason=reason)
        messages.success(request, _("Screening ended as a screen failure."))


@study_view(Perm.VIEW_SUBJECTS)
def eligibility_page(request: HttpRequest, pk) -> HttpResponse:
    try:
        subject = edc_selectors.subject_list_for_user(request.access).get(pk=pk)
    except Subject.DoesNotExist as exc:
        raise Http404 from exc
    can_decide = request.access.can(Perm.ENROL_SUBJECT, subject.study_site_id)
    now = timezone.now()
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        try:
            _act(request, subject, now)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect(
            "screening:eligibility", registry_id=request.study.registry_id, pk=subject.pk
        )
    today = edc_selectors.subject_local_date(subject, now)
    assessment = eligibility_assessment(subject, today=today, now=now)
    return render(
        request,
        "screening/eligibility.html",
        {
            "subject": subject,
            "assessment": assessment,
            "sections": _sections(
                assessment,
                edc_selectors.protocol_definition(request.study),
                translation.get_language() or "en",
            ),
            "can_decide": can_decide and subject.status == "screening",
            # The rules explain themselves in English; other languages get the evidence only.
            "show_explanations": (translation.get_language() or "en").startswith("en"),
            "screen_fail_form": ScreenFailForm(),
            "show_personal_data": request.access.can(
                Perm.VIEW_PERSONAL_DATA, subject.study_site_id
            ),
        },
    )


@study_view(Perm.VIEW_SUBJECTS)
def screening_log_page(request: HttpRequest) -> HttpResponse:
    access = request.access
    sites = edc_selectors.study_site_list_for_user(access, Perm.VIEW_SUBJECTS)
    by_id = {str(site.pk): site for site in sites}
    site_id = request.GET.get("site", "")
    if site_id not in by_id:
        site_id = next(iter(by_id), "")
    subjects = edc_selectors.subject_list_for_user(access).filter(study_site_id=site_id or None)
    return render(
        request,
        "screening/screening_log.html",
        {"sites": sites, "site_id": site_id, "rows": screening_log(subjects)},
    )
