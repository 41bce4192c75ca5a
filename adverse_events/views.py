"""Safety pages: the subject's safety timeline, a CRS/ICANS episode, and the study's SAE list."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from adverse_events import selectors
from adverse_events.forms import (
    AssessmentForm,
    EpisodeOpenForm,
    LabToxicityDecisionForm,
    OverrideForm,
    SaeReportForm,
    SafetyContactDeactivateForm,
    SafetyContactForm,
    TreatmentForm,
)
from adverse_events.lab_toxicity import lab_toxicity_confirm, lab_toxicity_dismiss
from adverse_events.models import (
    AdverseEvent,
    EpisodeAssessment,
    EpisodeTreatment,
    LabToxicity,
    SafetyContact,
    ToxicityEpisode,
)
from adverse_events.sae import SAE_CLOCK, sae_list_overdue, sae_with_notification_states
from adverse_events.safety_contacts import (
    no_safety_contact,
    safety_contact_add,
    safety_contact_deactivate,
)
from adverse_events.services import (
    episode_assessment_record,
    episode_grade_override,
    episode_open,
    episode_treatment_record,
    sae_report_submit,
)
from dosing.selectors import dlt_candidate_list
from edc import selectors as edc_selectors
from edc.decorators import study_view
from edc.forms import add_service_errors
from edc.models import Subject
from edc.pagination import paged
from edc.roles import Perm
from edc.submissions import DuplicateSubmission
from edc.time_display import activate_site_zone

SAES_PER_PAGE = 25


def _subject(request: HttpRequest, pk) -> Subject:
    try:
        subject = edc_selectors.subject_list_for_user(request.access).get(pk=pk)
    except Subject.DoesNotExist as exc:
        raise Http404 from exc
    activate_site_zone(subject)
    return subject


def _can_enter(request: HttpRequest, subject: Subject) -> bool:
    return request.access.can(Perm.ENTER_DATA, subject.study_site_id)


def _lab_decision(request: HttpRequest, subject: Subject, form: LabToxicityDecisionForm) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    toxicity = LabToxicity.objects.filter(subject=subject, pk=data["toxicity"]).first()
    if toxicity is None:
        raise Http404
    try:
        if data["decision"] == "confirm":
            lab_toxicity_confirm(
                toxicity,
                relationship_cart=data["relationship_cart"],
                relationship_lymphodepletion=data["relationship_lymphodepletion"],
                action_taken=data["action_taken"],
                outcome=data["outcome"],
                actor=request.user,
            )
        else:
            lab_toxicity_dismiss(toxicity, reason=data["reason"], actor=request.user)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


@study_view(Perm.VIEW_SUBJECTS)
def safety_page(request: HttpRequest, pk) -> HttpResponse:
    subject = _subject(request, pk)
    # The blank rows know their subject, so a date is judged on its field before any service.
    form = EpisodeOpenForm(request.POST or None, instance=ToxicityEpisode(subject=subject))
    lab_form = LabToxicityDecisionForm(request.POST if "toxicity" in request.POST else None)
    if request.method == "POST":
        if not _can_enter(request, subject):
            raise PermissionDenied
        if "toxicity" in request.POST:
            if _lab_decision(request, subject, lab_form):
                messages.success(request, _("Saved."))
                return redirect("adverse_events:safety", request.study.registry_id, subject.pk)
            form = EpisodeOpenForm()
        elif form.is_valid():
            try:
                episode = episode_open(subject=subject, **form.cleaned_data, actor=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect(
                    "adverse_events:episode", request.study.registry_id, subject.pk, episode.pk
                )
    candidates = dlt_candidate_list(subject)
    return render(
        request,
        "adverse_events/safety.html",
        {
            "subject": subject,
            "episodes": paged(request, selectors.episode_list(subject), param="episodes"),
            "adverse_events": paged(
                request, selectors.adverse_event_list(subject), param="adverse_events"
            ),
            "dlt_candidates": candidates,
            "timeline": selectors.safety_timeline(subject, dlt_candidates=candidates),
            "icaht": selectors.early_icaht(subject),
            "iec_hs": selectors.iec_hs_labs(subject),
            "lab_toxicities": paged(
                request,
                subject.lab_toxicities.filter(grade__gte=1).order_by("collected_on", "term"),
                param="lab_toxicities",
            ),
            "lab_form": lab_form,
            "form": form if _can_enter(request, subject) else None,
            "show_personal_data": request.access.can(
                Perm.VIEW_PERSONAL_DATA, subject.study_site_id
            ),
        },
    )


def _episode_post(request: HttpRequest, episode: ToxicityEpisode, forms: dict) -> bool:
    action = request.POST.get("action")
    form = forms.get(action)
    if form is None or not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        if action == "assess":
            episode_assessment_record(episode, inputs=data, actor=request.user)
        elif action == "override":
            assessment = episode.assessments.filter(pk=data["assessment"]).first()
            if assessment is None:
                raise ValidationError(_("Choose an assessment of this episode."))
            episode_grade_override(
                assessment, grade=data["grade"], reason=data["reason"], actor=request.user
            )
        elif action == "treat":
            episode_treatment_record(episode, **data, actor=request.user)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


@study_view(Perm.VIEW_SUBJECTS)
def episode_page(request: HttpRequest, pk, episode_pk) -> HttpResponse:
    subject = _subject(request, pk)
    try:
        episode = ToxicityEpisode.objects.get(subject=subject, pk=episode_pk)
    except (ToxicityEpisode.DoesNotExist, ValidationError) as exc:
        raise Http404 from exc
    bound = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if bound else None
    forms = {
        "assess": AssessmentForm(
            bound if action == "assess" else None,
            kind=episode.kind,
            instance=EpisodeAssessment(episode=episode),
        ),
        "override": OverrideForm(bound if action == "override" else None),
        "treat": TreatmentForm(
            bound if action == "treat" else None, instance=EpisodeTreatment(episode=episode)
        ),
    }
    if bound:
        if not _can_enter(request, subject):
            raise PermissionDenied
        if _episode_post(request, episode, forms):
            messages.success(request, _("Saved."))
            return redirect("adverse_events:episode", request.study.registry_id, pk, episode.pk)
    episode.refresh_from_db()
    return render(
        request,
        "adverse_events/episode.html",
        {
            "subject": subject,
            "episode": episode,
            "forms": forms if _can_enter(request, subject) else None,
            "show_personal_data": request.access.can(
                Perm.VIEW_PERSONAL_DATA, subject.study_site_id
            ),
        },
    )


@study_view(Perm.VIEW_STUDY)
def sae_dashboard(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form = SaeReportForm(request.POST or None)
    if request.method == "POST" and not form.is_valid():
        # The report forms are rows of the list: a refusal comes back as a message above it.
        messages.error(request, "; ".join(m for errors in form.errors.values() for m in errors))
        return redirect("adverse_events:sae-dashboard", request.study.registry_id)
    if request.method == "POST":
        ae = AdverseEvent.objects.filter(
            pk=form.cleaned_data["adverse_event"],
            subject__in=edc_selectors.subject_list_for_user(request.access, Perm.ENTER_DATA),
        ).first()
        if ae is None:
            raise PermissionDenied
        try:
            sae_report_submit(
                ae,
                narrative=form.cleaned_data["narrative"],
                actor=request.user,
                now=now,
                submission_token=form.cleaned_data["submission_token"],
            )
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        except DuplicateSubmission:
            messages.info(
                request, _("This report had already been recorded; it was not recorded again.")
            )
        else:
            messages.success(request, _("SAE report recorded."))
        return redirect("adverse_events:sae-dashboard", request.study.registry_id)
    visible = edc_selectors.subject_list_for_user(request.access)
    serious = (
        AdverseEvent.objects.filter(subject__in=visible, is_serious=True)
        .select_related("subject__study_site__site", "sae_notification")
        .prefetch_related("sae_reports")
        .order_by("-site_aware_at", "pk")
    )
    page = paged(request, serious, per_page=SAES_PER_PAGE)
    page.object_list = sae_with_notification_states(page.object_list)
    for ae in page.object_list:
        ae.report_token = uuid.uuid4()  # each report form is submitted once
    return render(
        request,
        "adverse_events/sae_dashboard.html",
        {
            "overdue": paged(
                request,
                sae_list_overdue(request.study, now=now).filter(subject__in=visible),
                param="overdue",
            ),
            "page": page,
            "no_contact": no_safety_contact(request.study),
            "can_manage_contacts": request.access.can_anywhere(Perm.MANAGE_SAFETY_CONTACTS),
            "clock_hours": int(SAE_CLOCK.total_seconds() // 3600),
            "can_report": request.access.can_anywhere(Perm.ENTER_DATA),
            "report_form": SaeReportForm(),
        },
    )


@study_view(Perm.MANAGE_SAFETY_CONTACTS)
def safety_contacts(request: HttpRequest) -> HttpResponse:
    """The data manager's list of who is told of every SAE: add one, or deactivate with a reason."""
    add_form = SafetyContactForm(request.POST if "add" in request.POST else None)
    deactivate_form = SafetyContactDeactivateForm(
        request.POST if "deactivate" in request.POST else None
    )
    if add_form.is_bound and add_form.is_valid():
        try:
            safety_contact_add(study=request.study, actor=request.user, **add_form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(add_form, exc)
        else:
            messages.success(request, _("Safety contact added."))
            return redirect("adverse_events:safety-contacts", request.study.registry_id)
    if deactivate_form.is_bound and not deactivate_form.is_valid():
        # The form is a row of the list: say what is missing above it (a reason, mostly).
        messages.error(
            request, "; ".join(m for errors in deactivate_form.errors.values() for m in errors)
        )
        return redirect("adverse_events:safety-contacts", request.study.registry_id)
    if deactivate_form.is_bound:
        data = deactivate_form.cleaned_data
        contact = SafetyContact.objects.filter(study=request.study, pk=data["contact"]).first()
        if contact is None:
            raise Http404
        try:
            safety_contact_deactivate(
                contact,
                reason=data["reason"],
                expected_version=data["row_version"],
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("Safety contact deactivated."))
        return redirect("adverse_events:safety-contacts", request.study.registry_id)
    contacts = SafetyContact.objects.filter(study=request.study).order_by(
        "-is_active", "name", "pk"
    )
    return render(
        request,
        "adverse_events/safety_contacts.html",
        {
            "page": paged(request, contacts),
            "add_form": add_form,
            "no_contact": no_safety_contact(request.study),
        },
    )
