"""The monitor's and the principal investigator's pages: source-data verification (work list,
progress, the verify page of a form) and signing a form, a visit or the casebook."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from edc import selectors
from edc.casebook import crf_display_name
from edc.crf_views import resolve_form
from edc.decorators import study_view
from edc.forms import add_service_errors
from edc.input_rules import StrictIntegerField
from edc.models import Subject
from edc.pagination import paged
from edc.roles import Perm, permissions_for
from edc.sdv import form_sdv, sdv_items, sdv_progress, verify_form
from edc.signatures import MEANINGS, Scope, casebook_sign, scope_forms
from edc.time_display import activate_site_zone


class VerifyForm(forms.Form):
    """The fields the monitor checked against the source; none ticked: the whole form."""

    row_version = StrictIntegerField(widget=forms.HiddenInput)
    fields = forms.MultipleChoiceField(
        label=gettext_lazy("Fields verified against the source"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Leave all unticked and choose “Verify whole form” to verify it all."
        ),
    )

    def __init__(self, *args, choices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fields"].choices = choices


class SignForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password (electronic signature)"),
        widget=forms.PasswordInput,
        strip=False,
    )


def _site_filter(request: HttpRequest, perm: Perm):
    """The study sites the user may see, and the one chosen with ?site= (site number)."""
    sites = list(selectors.study_site_list_for_user(request.access, perm))
    chosen = next((s for s in sites if s.site_number == request.GET.get("site")), None)
    return sites, chosen


def _items(request: HttpRequest, perm: Perm, chosen):
    subjects = selectors.subject_list_for_user(request.access, perm).select_related("study")
    if chosen is not None:
        subjects = subjects.filter(study_site=chosen)
    definition = selectors.protocol_definition(request.study)
    return sdv_items(definition, subjects, translation.get_language() or "en")


@study_view(Perm.VERIFY_SOURCE)
def sdv_worklist(request: HttpRequest) -> HttpResponse:
    """Saved forms the protocol asks to verify that are not verified yet, per site."""
    sites, chosen = _site_filter(request, Perm.VERIFY_SOURCE)
    items = _items(request, Perm.VERIFY_SOURCE, chosen)
    page = paged(request, [i for i in items if i.required and not i.verified])
    return render(
        request, "edc/sdv_worklist.html", {"page": page, "sites": sites, "chosen": chosen}
    )


@study_view(Perm.VIEW_SUBJECTS)
def sdv_progress_page(request: HttpRequest) -> HttpResponse:
    """Required against verified forms, per site and per subject."""
    sites, chosen = _site_filter(request, Perm.VIEW_SUBJECTS)
    items = _items(request, Perm.VIEW_SUBJECTS, chosen)
    by_site, by_subject = sdv_progress(items)
    return render(
        request,
        "edc/sdv_progress.html",
        {
            "by_site": by_site,
            "page": paged(request, by_subject),
            "sites": sites,
            "chosen": chosen,
            "can_verify": request.access.can_anywhere(Perm.VERIFY_SOURCE),
        },
    )


@study_view(Perm.VERIFY_SOURCE)
def crf_verify(request: HttpRequest, pk, visit_code: str, crf_code: str, row) -> HttpResponse:
    """Verify one saved form against the source: as a whole or field by field."""
    subject, spec, instance = resolve_form(request, pk, visit_code, crf_code, row)
    if not request.access.can(Perm.VERIFY_SOURCE, subject.study_site_id):
        raise PermissionDenied
    definition = selectors.protocol_definition(request.study)
    state = form_sdv(definition, spec, instance)
    choices = [(n, label) for n, label, mark in state.field_rows if mark is None]
    form = VerifyForm(
        request.POST or None, choices=choices, initial={"row_version": instance.row_version}
    )
    whole = "whole" in request.POST
    if request.method == "POST" and form.is_valid():
        if not whole and not form.cleaned_data["fields"]:
            form.add_error("fields", _("Tick the fields you verified."))
        else:
            try:
                verify_form(
                    spec,
                    instance,
                    fields=() if whole else form.cleaned_data["fields"],
                    expected_version=form.cleaned_data["row_version"],
                    actor=request.user,
                    now=timezone.now(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Source-data verification recorded."))
                return redirect(request.path)
    lang = translation.get_language() or "en"
    return render(
        request,
        "edc/crf_verify.html",
        {
            "subject": subject,
            "spec": spec,
            "instance": instance,
            "visit_code": visit_code,
            "crf_name": crf_display_name(definition, spec.code, lang),
            "sdv": state,
            "form": form,
            "rows": [
                (name, label, _shown(instance, name), mark)
                for name, label, mark in state.field_rows
            ],
            "show_personal_data": request.access.can(
                Perm.VIEW_PERSONAL_DATA, subject.study_site_id
            ),
        },
    )


def _shown(instance, name: str):
    """A field's value as the form shows it (a choice by its label)."""
    if instance._meta.get_field(name).choices:
        return getattr(instance, f"get_{name}_display")()
    return getattr(instance, name)


@study_view(Perm.SIGN_CASEBOOK)
def sign_page(
    request: HttpRequest, pk, visit_code: str = "", crf_code: str = "", row=None
) -> HttpResponse:
    """Sign the casebook, one visit or one form by re-entering the password."""
    try:
        subject = selectors.subject_list_for_user(request.access).get(pk=pk)
    except (Subject.DoesNotExist, ValidationError) as exc:
        raise Http404 from exc
    if not request.access.can(Perm.SIGN_CASEBOOK, subject.study_site_id):
        raise PermissionDenied
    activate_site_zone(subject)
    scope = Scope.FORM if row else Scope.VISIT if visit_code else Scope.CASEBOOK
    try:
        covered = scope_forms(subject, scope, visit_code=visit_code, crf_code=crf_code, form_id=row)
    except ValidationError as exc:
        raise Http404 from exc
    if scope == Scope.FORM and not covered:
        raise Http404
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        role = next(
            r for r in sorted(request.access.roles) if Perm.SIGN_CASEBOOK in permissions_for(r)
        )
        try:
            casebook_sign(
                subject,
                scope=scope,
                visit_code=visit_code,
                crf_code=crf_code,
                form_id=row,
                password=form.cleaned_data["password"],
                role=role,
                actor=request.user,
                request=request,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Signed."))
            return redirect(
                "edc:subject-detail", registry_id=request.study.registry_id, pk=subject.pk
            )
    definition = selectors.protocol_definition(request.study)
    lang = translation.get_language() or "en"
    return render(
        request,
        "edc/sign.html",
        {
            "subject": subject,
            "scope": scope,
            "scope_label": Scope(scope).label,
            "visit_code": visit_code,
            "meaning": MEANINGS[scope],
            "covered": [
                (
                    crf_display_name(definition, spec.code, lang),
                    r.visit_code,
                    r.get_status_display(),
                )
                for spec, r in covered
            ],
            "form": form,
            "show_personal_data": request.access.can(
                Perm.VIEW_PERSONAL_DATA, subject.study_site_id
            ),
        },
    )
