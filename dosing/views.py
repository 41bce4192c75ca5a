"""The escalation dashboard: per dose level counts and the rule's recommendation, the BOIN table
as protocols print it, and the committee's signed decisions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dosing import selectors
from dosing.domain.escalation import boin_decision_table
from dosing.forms import EscalationDecisionForm
from dosing.messages import recommendation_label, why
from dosing.services import escalation_decision_record
from edc.decorators import study_view
from edc.forms import add_service_errors
from edc.pagination import paged
from edc.roles import Perm
from edc.selectors import protocol_definition


def _record(request: HttpRequest, form: EscalationDecisionForm, summary) -> bool:
    """Sign and save the committee's decision; False (errors on the form) if refused."""
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        escalation_decision_record(
            study=request.study,
            dose_level=summary.level,
            recommendation=summary.recommendation,
            basis={"counts": summary.rule_row, "reason": summary.reason},
            decision=data["decision"],
            next_dose_level=data["next_dose_level"],
            rationale=data["rationale"],
            meeting_on=data["meeting_on"],
            password=data["password"],
            actor=request.user,
            request=request,
            now=timezone.now(),
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


@study_view(Perm.VIEW_STUDY)
def escalation_dashboard(request: HttpRequest) -> HttpResponse:
    study = request.study
    escalation = protocol_definition(study).escalation
    summaries = selectors.escalation_overview(study, today=timezone.localdate())
    current = selectors.current_dose_level(study)
    summary = next(s for s in summaries if s.level == current)
    can_record = request.access.can_anywhere(Perm.RECORD_ESCALATION)
    initial = {"next_dose_level": summary.next_level, "meeting_on": timezone.localdate()}
    form = EscalationDecisionForm(
        request.POST or None, initial=initial, dose_levels=escalation.dose_levels
    )
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if _record(request, form, summary):
            messages.success(request, _("The committee's decision was signed and recorded."))
            return redirect("dosing:escalation", registry_id=study.registry_id)
    boin_table = None
    if escalation.design == "boin":
        boin_table = boin_decision_table(
            target=escalation.target_dlt_rate,
            n_max=min(escalation.max_sample_size, 12),
            elimination_cutoff=escalation.elimination_cutoff,
        )
    decisions = paged(request, selectors.escalation_decision_list(study))
    return render(
        request,
        "dosing/escalation_dashboard.html",
        {
            "escalation": escalation,
            "summaries": [
                (s, recommendation_label(s.recommendation), why(s.messages)) for s in summaries
            ],
            "current": current,
            "current_summary": summary,
            "current_recommendation": recommendation_label(summary.recommendation),
            "boin_table": boin_table,
            "decisions": decisions,
            "decision_rows": [(d, recommendation_label(d.recommendation)) for d in decisions],
            "form": form if can_record else None,
        },
    )
