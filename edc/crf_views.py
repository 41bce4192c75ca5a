"""The one page for every case report form: view, enter, or correct it with a reason."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from edc import selectors
from edc.audit import StaleEdit
from edc.casebook import crf_display_name
from edc.crfs import CrfSpec, crf_spec
from edc.decorators import study_view
from edc.derived import derived_values
from edc.domain.crf_status import CrfStatus
from edc.domain.locks import RecordPlace
from edc.forms import add_service_errors
from edc.input_rules import ReasonField, StrictIntegerField
from edc.locking import DataLocked, covering_lock, subject_locks
from edc.models import CrfModel, Subject
from edc.pagination import paged
from edc.query_selectors import unresolved_by_field
from edc.roles import Perm
from edc.sdv import form_sdv
from edc.services.crfs import check_crf_at_visit, crf_create, crf_update
from edc.signatures import form_signatures
from edc.submissions import (
    DuplicateSubmission,
    SubmissionTokenForm,
    parse_token,
    submission_claimed,
)
from edc.time_display import activate_site_zone


class ChangeReasonForm(forms.Form):
    """Asked on every correction of a saved form; the version guards against stale saves."""

    row_version = StrictIntegerField(widget=forms.HiddenInput)
    reason = ReasonField()


def _resolve(request: HttpRequest, pk, visit_code: str, crf_code: str) -> tuple[Subject, CrfSpec]:
    """The subject (in the user's scope) and the form's spec, or 404."""
    spec = crf_spec(crf_code)
    try:
        subject = selectors.subject_list_for_user(request.access).get(pk=pk)
        definition = selectors.protocol_definition(request.study)
        check_crf_at_visit(definition, visit_code=visit_code, crf_code=crf_code, subject=subject)
    except (Subject.DoesNotExist, ValidationError) as exc:
        raise Http404 from exc
    if spec is None:
        raise Http404
    activate_site_zone(subject)
    return subject, spec


def resolve_form(
    request: HttpRequest, pk, visit_code: str, crf_code: str, row
) -> tuple[Subject, CrfSpec, CrfModel]:
    """A saved form row of a subject in the user's scope, or 404 (the verify page's)."""
    subject, spec = _resolve(request, pk, visit_code, crf_code)
    try:
        instance = spec.model.objects.get(subject=subject, visit_code=visit_code, pk=row)
    except (spec.model.DoesNotExist, ValidationError) as exc:
        raise Http404 from exc
    return subject, spec, instance


def _label_site_time(form: forms.Form) -> None:
    """Say in which zone a date-time field is read (the site's), with its offset."""
    zone = timezone.get_current_timezone()
    offset = timezone.localtime(timezone.now(), zone).strftime("%z")
    note = _("Time at the site (%(zone)s, UTC%(offset)s).") % {
        "zone": zone,
        "offset": f"{offset[:3]}:{offset[3:]}",
    }
    for field in form.fields.values():
        if isinstance(field, forms.DateTimeField):
            field.help_text = f"{field.help_text} {note}".strip()


def _save(request, spec, subject, visit_code, instance, form, reason_form, token) -> CrfModel:
    data = {name: form.cleaned_data[name] for name in form._meta.fields}
    # A form that owns rows besides its own (a lab panel's results) hands them over here.
    children = form.children() if hasattr(form, "children") else None
    if instance is None:
        return crf_create(
            spec=spec,
            subject=subject,
            visit_code=visit_code,
            data=data,
            actor=request.user,
            children=children,
            submission_token=token,
        )
    return crf_update(
        instance,
        spec=spec,
        data=data,
        reason=reason_form.cleaned_data["reason"],
        expected_version=reason_form.cleaned_data["row_version"],
        actor=request.user,
        children=children,
    )


def _lock_message(subject: Subject, spec: CrfSpec, visit_code: str) -> str:
    """Why the form is read-only when a lock covers it ("" when none does)."""
    place = RecordPlace(subject.study_site_id, subject.pk, visit_code, spec.code)
    lock = covering_lock(subject_locks(subject), place)
    return DataLocked(lock).messages[0] if lock is not None else ""


def _context(request, subject, spec, visit_code, **extra) -> dict:
    definition = selectors.protocol_definition(request.study)
    return {
        "subject": subject,
        "spec": spec,
        "visit_code": visit_code,
        "crf_name": crf_display_name(definition, spec.code, translation.get_language() or "en"),
        "show_personal_data": request.access.can(Perm.VIEW_PERSONAL_DATA, subject.study_site_id),
        **extra,
    }


def _form_page(request, subject, spec, visit_code, instance, token=None) -> HttpResponse:
    """Show, enter or correct one form row; a correction asks for the reason and the version."""
    lock_message = _lock_message(subject, spec, visit_code)
    can_edit = (
        request.access.can(Perm.ENTER_DATA, subject.study_site_id)
        and not lock_message
        and (instance is None or instance.status != CrfStatus.LOCKED)
    )
    if request.method == "POST" and not can_edit:
        if lock_message and request.access.can(Perm.ENTER_DATA, subject.study_site_id):
            # Locked after the user opened the page: nothing is saved, the page says why.
            messages.error(request, lock_message)
            return redirect(request.get_full_path())
        raise PermissionDenied
    bound = request.POST if request.method == "POST" else None
    form = spec.form(bound, instance=instance or spec.model(subject=subject, visit_code=visit_code))
    reason_form = (
        ChangeReasonForm(bound, initial={"row_version": instance.row_version})
        if (instance and can_edit)
        else None
    )
    token_form = SubmissionTokenForm(bound, token=token) if instance is None else None
    if instance is not None and bound and submission_claimed(bound.get("submission_token")):
        # The entry page sent again (back button) after its record was saved.
        messages.info(request, _("This form had already been saved; it was not saved again."))
        return _after_save_redirect(request, spec, subject, visit_code)
    for field in form.fields.values():
        field.disabled = not can_edit
    _label_site_time(form)
    if bound and instance is not None and not bound.get("row_version"):
        # Opened as an empty form, saved by someone else before this user's save arrived.
        form.add_error(None, StaleEdit())
    if bound and form.is_valid() and (reason_form is None or reason_form.is_valid()):
        token = token_form.token() if token_form else None
        try:
            saved = _save(request, spec, subject, visit_code, instance, form, reason_form, token)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DuplicateSubmission:
            messages.info(request, _("This form had already been saved; it was not saved again."))
            return _after_save_redirect(request, spec, subject, visit_code)
        else:
            messages.success(request, _("Form saved."))
            if spec.saved_message is not None and (note := spec.saved_message(saved)):
                messages.info(request, note)
            return _after_save_redirect(request, spec, subject, visit_code)
    context = _context(
        request, subject, spec, visit_code, instance=instance, lock_message=lock_message
    )
    context["derived"] = derived_values(spec, instance)
    context["field_queries"] = _flag_queried_fields(
        request, subject, spec, visit_code, instance, form
    )
    if instance is not None:
        context["review"] = _review(request, subject, spec, instance)
    context |= {
        "form": form, "reason_form": reason_form, "token_form": token_form, "can_edit": can_edit
    }  # fmt: skip
    return render(request, "edc/crf_form.html", context)


def _flag_queried_fields(request, subject, spec, visit_code, instance, form) -> list[dict]:
    """Flag each field with unresolved queries on the form, and list every field with its
    queries and (for monitors and data managers) the address to raise one on it."""
    if instance is None:
        return []
    flags = unresolved_by_field(subject, visit_code, spec.code, instance.pk)
    can_raise = request.access.can(Perm.RAISE_QUERY, subject.study_site_id)
    rows = []
    for name, field in form.fields.items():
        queries = flags.get(name, [])
        if queries:
            note = ngettext(
                "%(n)d open query on this field.", "%(n)d open queries on this field.", len(queries)
            ) % {"n": len(queries)}
            field.help_text = f"{field.help_text} {note}".strip()
            field.widget.attrs["data-open-queries"] = str(len(queries))
        if queries or can_raise:
            raise_url = None
            if can_raise:
                raise_url = (
                    reverse(
                        "edc:query-raise",
                        args=[request.study.registry_id, subject.pk, visit_code, spec.code],
                    )
                    + "?"
                    + urlencode({"field": name, "row": instance.pk})
                )
            rows.append(
                {"name": name, "label": field.label, "queries": queries, "raise_url": raise_url}
            )
    return rows


def _review(request, subject, spec, instance) -> dict:
    """The form's verification and signatures, and who may add them (edc/sdv.py,
    edc/signatures.py)."""
    site = subject.study_site_id
    return {
        "sdv": form_sdv(selectors.protocol_definition(request.study), spec, instance),
        "signatures": form_signatures(instance),
        "can_verify": request.access.can(Perm.VERIFY_SOURCE, site),
        "can_sign": request.access.can(Perm.SIGN_CASEBOOK, site)
        and instance.status != CrfStatus.LOCKED,
    }


def _after_save_redirect(request, spec, subject, visit_code) -> HttpResponse:
    if spec.repeating:
        return redirect("edc:crf", request.study.registry_id, subject.pk, visit_code, spec.code)
    return redirect("edc:subject-detail", registry_id=request.study.registry_id, pk=subject.pk)


@study_view(Perm.VIEW_SUBJECTS)
def crf_page(request: HttpRequest, pk, visit_code: str, crf_code: str) -> HttpResponse:
    """A form of a visit; for a repeating form (prior therapies), the list of its rows."""
    subject, spec = _resolve(request, pk, visit_code, crf_code)
    rows = spec.model.objects.filter(subject=subject, visit_code=visit_code)
    if not spec.repeating:
        return _form_page(request, subject, spec, visit_code, rows.first())
    page = paged(request, rows.order_by("created_at", "pk"))
    lock_message = _lock_message(subject, spec, visit_code)
    context = _context(request, subject, spec, visit_code, page=page, lock_message=lock_message)
    context["can_edit"] = (
        request.access.can(Perm.ENTER_DATA, subject.study_site_id) and not lock_message
    )
    return render(request, "edc/crf_rows.html", context)


@study_view(Perm.VIEW_SUBJECTS)
def crf_row_page(request: HttpRequest, pk, visit_code: str, crf_code: str, row) -> HttpResponse:
    """One row of a repeating form; `row` is "new" for an addition."""
    subject, spec = _resolve(request, pk, visit_code, crf_code)
    if not spec.repeating:
        raise Http404
    if row == "new" and request.method == "GET":
        token = parse_token(request.GET.get("t"))
        if token is None:  # give the page an address of its own (see edc/submissions.py)
            return redirect(f"{request.path}?t={uuid.uuid4()}")
        if submission_claimed(token):
            messages.info(request, _("This form had already been saved; it was not saved again."))
            return _after_save_redirect(request, spec, subject, visit_code)
        return _form_page(request, subject, spec, visit_code, None, token=token)
    instance = None
    if row != "new":
        try:
            instance = spec.model.objects.get(subject=subject, visit_code=visit_code, pk=row)
        except (spec.model.DoesNotExist, ValidationError) as exc:
            raise Http404 from exc
    return _form_page(request, subject, spec, visit_code, instance)
