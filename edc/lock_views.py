"""The data manager's locking page: lock a form, a visit, a casebook or a site; lift a lock."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from edc.casebook import localised
from edc.decorators import study_view
from edc.forms import add_service_errors
from edc.input_rules import ReasonField
from edc.locking import LOCK_SCOPE_LABELS, DataLock
from edc.models import StudySite, Subject
from edc.pagination import paged
from edc.roles import Perm
from edc.selectors import protocol_definition
from edc.services.locks import data_lock, data_unlock

LOCKS_PER_PAGE = 25


class LockForm(forms.Form):
    """What to lock: the site always; the subject, visit and form as far as the scope goes."""

    scope = forms.ChoiceField(
        label=gettext_lazy("What to lock"), choices=list(LOCK_SCOPE_LABELS.items())
    )
    study_site = forms.ModelChoiceField(label=gettext_lazy("Site"), queryset=StudySite.objects)
    subject_number = forms.CharField(
        label=gettext_lazy("Subject (subject or screening number)"), max_length=40, required=False
    )
    visit_code = forms.ChoiceField(label=gettext_lazy("Visit"), required=False)
    crf_code = forms.ChoiceField(label=gettext_lazy("Form"), required=False)
    reason = ReasonField(label=gettext_lazy("Reason for locking"))

    def __init__(self, *args: Any, study: Any, lang: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.study = study
        definition = protocol_definition(study)
        self.fields["study_site"].queryset = StudySite.objects.filter(study=study).select_related(
            "site"
        )
        blank = [("", "—")]
        self.fields["visit_code"].choices = blank + [
            (v.code, f"{v.code} · {localised(v.name, v.name_zh, lang)}") for v in definition.visits
        ]
        self.fields["crf_code"].choices = blank + [
            (c.code, localised(c.name, c.name_zh, lang)) for c in definition.crfs
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        number = (cleaned.get("subject_number") or "").strip()
        cleaned["subject"] = None
        if number and cleaned.get("study_site") is not None:
            subjects = Subject.objects.filter(study=self.study, study_site=cleaned["study_site"])
            cleaned["subject"] = (
                subjects.filter(subject_identifier=number).first()
                or subjects.filter(screening_number=number).first()
            )
            if cleaned["subject"] is None:
                self.add_error("subject_number", _("No subject with this number at this site."))
        return cleaned


class UnlockForm(forms.Form):
    reason = ReasonField(label=gettext_lazy("Reason for unlocking"))


def _require_site(request: HttpRequest, study_site: StudySite) -> None:
    if not request.access.can(Perm.LOCK_DATA, study_site.pk):
        raise PermissionDenied


@study_view(Perm.LOCK_DATA)
def data_locks(request: HttpRequest) -> HttpResponse:
    """Lock with a reason, and the locks in force (paginated), each with its unlock form."""
    lang = request.LANGUAGE_CODE
    form = LockForm(request.POST or None, study=request.study, lang=lang)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _require_site(request, data["study_site"])
        try:
            lock = data_lock(
                study=request.study,
                scope=data["scope"],
                study_site=data["study_site"],
                subject=data["subject"],
                visit_code=data["visit_code"] if data["scope"] in ("form", "visit") else "",
                crf_code=data["crf_code"] if data["scope"] == "form" else "",
                reason=data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Locked: %(what)s.") % {"what": lock.target_text()})
            return redirect("edc:data-locks", request.study.registry_id)
    locks = (
        DataLock.objects.active()
        .filter(study=request.study)
        .select_related("locked_by", "subject", "study_site")
        .order_by("-locked_at", "pk")
    )
    page = paged(request, locks, per_page=LOCKS_PER_PAGE)
    return render(request, "edc/data_locks.html", {"form": form, "page": page})


@study_view(Perm.LOCK_DATA)
def data_unlock_page(request: HttpRequest, pk) -> HttpResponse:
    """Lift a lock with a reason (a POST from the locking page; GET shows the same form)."""
    lock = get_object_or_404(
        DataLock.objects.active().select_related("locked_by", "subject", "study_site"),
        pk=pk,
        study=request.study,
    )
    _require_site(request, lock.study_site)
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data_unlock(lock, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Unlocked: %(what)s.") % {"what": lock.target_text()})
            return redirect("edc:data-locks", request.study.registry_id)
    return render(request, "edc/data_unlock.html", {"form": form, "lock": lock})
