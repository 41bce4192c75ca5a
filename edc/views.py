"""Core pages: studies, subject list, registration, casebook, corrections and audit trail."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from edc import audit_trail, selectors
from edc.casebook import CELL_STATE_LABELS, casebook_grid, casebook_lock, casebook_notes
from edc.casebook_document import casebook_document
from edc.casebook_pdf import casebook_pdf
from edc.configuration import configuration_problems
from edc.csv_export import csv_response
from edc.dashboards import DashboardScope, dashboard_panels
from edc.decorators import study_view
from edc.forms import (
    AuditTrailFilterForm,
    StudySiteFilterForm,
    SubjectCorrectionForm,
    SubjectRegistrationForm,
    SubjectSearchForm,
    add_service_errors,
)
from edc.locking import subject_locks
from edc.models import Subject, UserPreference
from edc.pagination import paged, trail_paged
from edc.roles import Perm
from edc.services.subjects import CORRECTABLE_FIELDS, subject_correct, subject_register
from edc.signatures import subject_signatures

SUBJECTS_PER_PAGE = 25
# The application icon (static/edc/), linked from templates/base.html.
FAVICON = "edc/favicon.svg"


@login_required
def study_list(request: HttpRequest) -> HttpResponse:
    studies = list(selectors.study_list_for_user(request.user))
    if len(studies) == 1:
        return redirect("edc:study-home", registry_id=studies[0].registry_id)
    return render(request, "edc/study_list.html", {"studies": studies})


@study_view(Perm.VIEW_STUDY)
def study_home(request: HttpRequest) -> HttpResponse:
    access = request.access
    return render(
        request,
        "edc/study_home.html",
        {
            "by_site": selectors.enrolment_by_site(access),
            "by_stratum": selectors.enrolment_by_stratum(access),
            "protocol": selectors.protocol_current(request.study),
            "problems": configuration_problems(request.study, can=access.can_anywhere),
        },
    )


@study_view(Perm.VIEW_SUBJECTS)
def study_dashboard(request: HttpRequest) -> HttpResponse:
    """The study's figures for sponsors, data managers, PIs and monitors; a site team sees its
    own sites. A site filter is offered when the user sees more than one site."""
    access = request.access
    sites = selectors.study_site_list_for_user(access, Perm.VIEW_SUBJECTS)
    form = StudySiteFilterForm(request.GET or None, study_sites=sites)
    site = form.cleaned_data["site"] if form.is_valid() else None
    subjects = selectors.subject_list_for_user(access)
    if site is not None:
        subjects = subjects.filter(study_site=site)
    scope = DashboardScope(
        study=request.study,
        access=access,
        subjects=subjects,
        study_site=site,
        lang=translation.get_language() or "en",
        target=selectors.enrolment_target(access, site),
    )
    return render(
        request,
        "edc/study_dashboard.html",
        {"form": form, "show_filter": len(sites) > 1, "panels": dashboard_panels(scope)},
    )


@study_view(Perm.VIEW_SUBJECTS)
def subject_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    sites = selectors.study_site_list_for_user(access, Perm.VIEW_SUBJECTS)
    form = SubjectSearchForm(request.GET or None, study=request.study, study_sites=sites)
    subjects = selectors.subject_list_for_user(access)
    if form.is_valid():
        data = form.cleaned_data
        subjects = selectors.subject_search(
            subjects,
            text=data["q"].strip(),
            study_site_id=data["site"].pk if data["site"] else "",
            status=data["status"],
            stratum_id=data["stratum"].pk if data["stratum"] else "",
        )
    page = paged(request, subjects, per_page=SUBJECTS_PER_PAGE)
    return render(
        request,
        "edc/subject_list.html",
        {
            "form": form,
            "page": page,
            "can_register": access.can_anywhere(Perm.REGISTER_SUBJECT),
        },
    )


@study_view(Perm.REGISTER_SUBJECT)
def subject_register_view(request: HttpRequest) -> HttpResponse:
    sites = selectors.study_site_list_for_user(request.access, Perm.REGISTER_SUBJECT)
    form = SubjectRegistrationForm(request.POST or None, study=request.study, study_sites=sites)
    if request.method == "POST" and form.is_valid():
        try:
            subject = subject_register(
                study=request.study,
                **form.cleaned_data,
                today=timezone.localdate(),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Registered %(number)s.") % {"number": subject.screening_number}
            )
            return redirect(
                "edc:subject-detail", registry_id=request.study.registry_id, pk=subject.pk
            )
    return render(request, "edc/subject_register.html", {"form": form})


def _subject_or_404(request: HttpRequest, pk, perm: Perm = Perm.VIEW_SUBJECTS) -> Subject:
    try:
        return selectors.subject_list_for_user(request.access, perm).get(pk=pk)
    except Subject.DoesNotExist as exc:
        raise Http404 from exc


@study_view(Perm.VIEW_SUBJECTS)
def subject_detail(request: HttpRequest, pk) -> HttpResponse:
    subject = _subject_or_404(request, pk)
    access = request.access
    definition = selectors.protocol_definition(request.study)
    lang = translation.get_language() or "en"
    locks = subject_locks(subject)
    return render(
        request,
        "edc/subject_detail.html",
        {
            "subject": subject,
            "grid": casebook_grid(
                subject,
                definition,
                lang,
                today=selectors.subject_local_date(subject, timezone.now()),
                locks=locks,
            ),
            "notes": casebook_notes(subject, definition, lang),
            "casebook_lock": casebook_lock(locks),
            "legend": CELL_STATE_LABELS.items(),
            "show_personal_data": access.can(Perm.VIEW_PERSONAL_DATA, subject.study_site_id),
            "can_correct": access.can(Perm.ENTER_DATA, subject.study_site_id),
            "can_audit": access.can(Perm.VIEW_AUDIT_TRAIL, subject.study_site_id),
            "signatures": paged(
                request, subject_signatures(subject), per_page=10, param="signatures_page"
            ),
            "can_sign": access.can(Perm.SIGN_CASEBOOK, subject.study_site_id),
        },
    )


@study_view(Perm.ENTER_DATA)
def subject_correct_view(request: HttpRequest, pk) -> HttpResponse:
    subject = _subject_or_404(request, pk, Perm.ENTER_DATA)
    initial = {f: getattr(subject, f) for f in CORRECTABLE_FIELDS}
    initial["version"] = subject.row_version
    form = SubjectCorrectionForm(request.POST or None, initial=initial, study=request.study)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason, version = data.pop("reason"), data.pop("version")
        changes = {k: v for k, v in data.items() if getattr(subject, k) != v}
        if not changes:
            form.add_error(None, _("Nothing was changed."))
        else:
            try:
                subject_correct(
                    subject,
                    changes=changes,
                    reason=reason,
                    expected_version=version,
                    today=timezone.localdate(),
                    actor=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Correction saved."))
                return redirect(
                    "edc:subject-detail", registry_id=request.study.registry_id, pk=subject.pk
                )
    return render(request, "edc/subject_correct.html", {"form": form, "subject": subject})


@study_view(Perm.VIEW_AUDIT_TRAIL)
def subject_history(request: HttpRequest, pk) -> HttpResponse:
    subject = _subject_or_404(request, pk, Perm.VIEW_AUDIT_TRAIL)
    show_pd = request.access.can(Perm.VIEW_PERSONAL_DATA, subject.study_site_id)
    page = trail_paged(request, audit_trail.subject_trail(subject))
    page.object_list = audit_trail.trail_entries(
        subject.study_id, page.rows, show_personal_data=show_pd
    )
    return render(request, "edc/subject_history.html", {"subject": subject, "page": page})


@study_view(Perm.VIEW_SUBJECTS)
def subject_casebook_pdf(request: HttpRequest, pk) -> HttpResponse:
    """The subject's casebook as a PDF in the reader's language; the audit-trail appendix only
    for those who may read the trail, personal data only for those who may see them."""
    subject = _subject_or_404(request, pk)
    access = request.access
    lang = translation.get_language() or "en"
    document = casebook_document(
        subject,
        selectors.protocol_definition(request.study),
        lang=lang,
        show_personal_data=access.can(Perm.VIEW_PERSONAL_DATA, subject.study_site_id),
        show_trail=access.can(Perm.VIEW_AUDIT_TRAIL, subject.study_site_id),
        printed_by=request.user.get_full_name() or request.user.get_username(),
    )
    number = subject.subject_identifier or subject.screening_number
    response = HttpResponse(casebook_pdf(document, lang=lang), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="casebook-{number}.pdf"'
    return response


def _filtered_trail(request: HttpRequest) -> tuple[AuditTrailFilterForm, object]:
    """The browser's filter form and the trail rows it selects, within the sites the user may
    audit; an invalid filter selects nothing (its errors are shown)."""
    access = request.access
    ids = access.study_site_ids(Perm.VIEW_AUDIT_TRAIL)
    # Entries of no site (the access log of the study's members, dataset exports) are for
    # those who audit the whole study; the access log only with its own permission.
    sources = {"with_access_log": access.can(Perm.VIEW_ACCESS_LOG), "with_exports": ids is None}
    form = AuditTrailFilterForm(
        request.GET or None,
        study=request.study,
        study_sites=selectors.study_site_list_for_user(access, Perm.VIEW_AUDIT_TRAIL),
        forms_=audit_trail.form_choices(**sources),
        fields_for=audit_trail.field_choices,
        actions=audit_trail.action_choices(with_access_log=sources["with_access_log"]),
    )
    scope = audit_trail.TrailFilter(
        study_site_ids=None if ids is None else frozenset(ids), **sources
    )
    if form.is_bound and not form.is_valid():
        return form, audit_trail.TrailRows([])
    data = form.cleaned_data if form.is_bound else {}
    if data.get("site"):  # the form offers only the sites the user may audit
        scope = replace(scope, study_site_ids=frozenset({data["site"].pk}))
    scope = replace(
        scope,
        subject_number=(data.get("subject") or "").strip(),
        form=data.get("form") or "",
        field=data.get("field") or "",
        user_id=data["user"].pk if data.get("user") else None,
        action=data.get("action") or "",
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )
    return form, audit_trail.trail_rows(request.study.pk, scope)


def _sees_personal_data(request: HttpRequest) -> bool:
    """Study-wide, personal data show only to whom they show at every site of the study."""
    return request.access.can(Perm.VIEW_PERSONAL_DATA)


@study_view(Perm.VIEW_AUDIT_TRAIL)
def audit_trail_browser(request: HttpRequest) -> HttpResponse:
    form, rows = _filtered_trail(request)
    page = trail_paged(request, rows)
    page.object_list = audit_trail.trail_entries(
        request.study.pk, page.rows, show_personal_data=_sees_personal_data(request)
    )
    return render(request, "edc/audit_trail.html", {"form": form, "page": page})


@study_view(Perm.VIEW_AUDIT_TRAIL)
def audit_trail_csv(request: HttpRequest) -> HttpResponse:
    _form, rows = _filtered_trail(request)
    lines = audit_trail.export_lines(
        request.study.pk, rows, show_personal_data=_sees_personal_data(request)
    )
    return csv_response("audit-trail.csv", audit_trail.export_header(), lines)


@login_required
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    if language in dict(UserPreference._meta.get_field("language").choices):
        UserPreference.objects.update_or_create(user=request.user, defaults={"language": language})
    next_url = request.POST.get("next", "")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = "/"
    return redirect(next_url)


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> FileResponse:
    """/favicon.ico, which browsers ask for whatever a page links: the linked icon itself."""
    return FileResponse(open(finders.find(FAVICON), "rb"), content_type="image/svg+xml")
