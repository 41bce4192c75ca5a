"""The query pages: the study's list, a subject's list, one query's thread, raising a query."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from edc import query_selectors, selectors
from edc.crf_views import _resolve
from edc.data_queries import Query
from edc.decorators import study_view
from edc.domain.query_workflow import QueryAction, QueryOrigin, QueryStatus, allowed_actions
from edc.forms import add_service_errors
from edc.models import Subject
from edc.pagination import paged
from edc.query_forms import QueryFilterForm, QueryRaiseForm, QueryStepForm
from edc.roles import Perm, permissions_for
from edc.services.data_queries import query_raise, query_step, site_roles


@study_view(Perm.VIEW_SUBJECTS)
def query_list(request: HttpRequest) -> HttpResponse:
    """Every query at the user's sites, filtered by site, subject, status, origin and age."""
    sites = selectors.study_site_list_for_user(request.access, Perm.VIEW_SUBJECTS)
    form = QueryFilterForm(request.GET or None, study_sites=sites)
    qs = query_selectors.query_list_for_user(request.access)
    if form.is_valid():
        data = form.cleaned_data
        qs = query_selectors.query_search(
            qs,
            study_site_id=data["study_site"].pk if data["study_site"] else None,
            subject=data["subject"],
            status=data["status"],
            origin=data["origin"],
            older_than_days=data["older_than_days"],
        )
    page = paged(request, qs.order_by("-created_at", "pk"))
    return render(request, "edc/query_list.html", {"form": form, "page": page})


@study_view(Perm.VIEW_SUBJECTS)
def subject_queries(request: HttpRequest, pk) -> HttpResponse:
    try:
        subject = selectors.subject_list_for_user(request.access).get(pk=pk)
    except Subject.DoesNotExist as exc:
        raise Http404 from exc
    qs = query_selectors.query_list_for_user(request.access).filter(subject=subject)
    page = paged(request, qs.order_by("-created_at", "pk"))
    return render(request, "edc/subject_queries.html", {"subject": subject, "page": page})


@study_view(Perm.VIEW_SUBJECTS)
def query_detail(request: HttpRequest, pk, query_pk) -> HttpResponse:
    """One query's thread, and the step the user may take in it."""
    try:
        query = query_selectors.query_list_for_user(request.access).get(pk=query_pk, subject_id=pk)
    except Query.DoesNotExist as exc:
        raise Http404 from exc
    roles = site_roles(request.user, query.subject)
    actions = allowed_actions(
        status=QueryStatus(query.status),
        origin=QueryOrigin(query.origin),
        raised_role=query.raised_role,
        actor_roles=roles,
        actor_answers=any(Perm.ENTER_DATA in permissions_for(r) for r in roles),
    )
    if request.method == "POST" and not actions:
        raise PermissionDenied
    form = QueryStepForm(request.POST or None, actions=actions) if actions else None
    if request.method == "POST" and form.is_valid():
        try:
            query_step(
                query,
                action=QueryAction(form.cleaned_data["action"]),
                text=form.cleaned_data["text"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved in the query's thread."))
            return redirect("edc:query-detail", request.study.registry_id, pk, query.pk)
    thread = paged(request, query.messages.select_related("author"), per_page=50)
    context = {"query": query, "subject": query.subject, "form": form, "thread": thread}
    return render(request, "edc/query_detail.html", context)


@study_view(Perm.RAISE_QUERY)
def query_raise_page(request: HttpRequest, pk, visit_code: str, crf_code: str) -> HttpResponse:
    """Raise a query on a field of a form (`?field=` preselects it, `?row=` names the row)."""
    subject, spec = _resolve(request, pk, visit_code, crf_code)
    if not request.access.can(Perm.RAISE_QUERY, subject.study_site_id):
        raise PermissionDenied
    row_id = _row_id(request.GET.get("row"))
    rows = spec.model.objects.filter(subject=subject, visit_code=visit_code)
    row = rows.filter(pk=row_id).first() if row_id else rows.first()
    if row is None:
        raise Http404
    entry_form = spec.form(instance=row)
    fields = [(name, str(entry_form[name].label)) for name in entry_form.fields]
    form = QueryRaiseForm(
        request.POST or None, fields=fields, initial={"field_name": request.GET.get("field")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            query = query_raise(
                subject=subject,
                visit_code=visit_code,
                crf_code=crf_code,
                row_id=row.pk,
                field_name=form.cleaned_data["field_name"],
                text=form.cleaned_data["text"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Query raised."))
            return redirect("edc:query-detail", request.study.registry_id, subject.pk, query.pk)
    context = {"subject": subject, "spec": spec, "visit_code": visit_code, "form": form}
    return render(request, "edc/query_raise.html", context)


def _row_id(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError as exc:
        raise Http404 from exc
