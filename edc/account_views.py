"""Account pages: the access log (and its CSV), two-factor enrolment and verification, the
user's tasks, notification settings and API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from edc import two_factor
from edc.access_log import AccessLog, access_log_search
from edc.account_forms import (
    AccessLogFilterForm,
    ApiTokenForm,
    NotificationSettingsForm,
    TokenForm,
)
from edc.api_tokens import api_token_issue, api_token_revoke, api_tokens_of
from edc.csv_export import csv_response
from edc.decorators import system_view
from edc.models import UserPreference
from edc.pagination import paged
from edc.roles import Perm
from edc.tasks_inbox import TaskList

ACCESS_LOG_PER_PAGE = 50
TASKS_PER_PAGE = 25
API_TOKENS_PER_PAGE = 25


def _filtered_access_log(request: HttpRequest) -> tuple[AccessLogFilterForm, QuerySet[AccessLog]]:
    """The filter form and what it selects; an invalid filter selects nothing (errors shown)."""
    form = AccessLogFilterForm(request.GET or None)
    if form.is_valid():
        return form, access_log_search(**form.cleaned_data)
    return form, AccessLog.objects.none() if form.is_bound else access_log_search()


@system_view(Perm.VIEW_ACCESS_LOG)
def access_log_page(request: HttpRequest) -> HttpResponse:
    form, entries = _filtered_access_log(request)
    page = paged(request, entries, per_page=ACCESS_LOG_PER_PAGE)
    return render(request, "edc/access_log.html", {"form": form, "page": page})


@system_view(Perm.VIEW_ACCESS_LOG)
def access_log_csv(request: HttpRequest) -> HttpResponse:
    _form, entries = _filtered_access_log(request)
    rows = (
        (e.at.isoformat(), e.kind, e.username, e.user_id or "", e.ip_address or "", e.user_agent)
        for e in entries.iterator(chunk_size=2000)
    )
    header = ("time_utc", "event", "username", "user_id", "ip_address", "user_agent")
    return csv_response("access-log.csv", header, rows)


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return "/"


@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Show a new device's QR code and secret; its first correct code confirms it."""
    if user_has_device(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('edc:two-factor-verify')}?{request.GET.urlencode()}")
    device = two_factor.device_for_enrolment(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.device_confirm(device, form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on for your account."))
            return redirect(_next_url(request))
        form.add_error("token", _("That code is not correct or has been used; try the next one."))
    return render(
        request,
        "registration/two_factor_enrol.html",
        {
            "form": form,
            "qr_code": two_factor.qr_code_svg(device),
            "secret": two_factor.secret_text(device),
            "next": _next_url(request),
            "required": two_factor.required_for(request.user),
        },
    )


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("That code is not correct or has been used; try the next one."))
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    """The user's open tasks from every registered source (visit reminders first)."""
    tasks = TaskList(request.user, lang=get_language() or "en")
    page = paged(request, tasks, per_page=TASKS_PER_PAGE)
    return render(request, "edc/my_tasks.html", {"page": page})


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Whether the user's reminders also come by e-mail (their own choice, not audited)."""
    preference = UserPreference.objects.filter(user=request.user).first()
    current = preference.email_reminders if preference else True
    # An unticked box posts nothing: the form is bound on POST even when the POST is empty.
    data = request.POST if request.method == "POST" else None
    form = NotificationSettingsForm(data, initial={"email_reminders": current})
    if request.method == "POST" and form.is_valid():
        UserPreference.objects.update_or_create(
            user=request.user, defaults={"email_reminders": form.cleaned_data["email_reminders"]}
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("edc:notification-settings")
    return render(request, "edc/notification_settings.html", {"form": form})


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens; a new one is shown on this response only (never stored in clear).
    Behind TwoFactorRequiredMiddleware: a role that needs a second factor issues tokens only from
    a verified session."""
    form = ApiTokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        _token, issued = api_token_issue(user=request.user, name=form.cleaned_data["name"])
        messages.success(request, _("Token issued. Copy it now: it is not shown again."))
        form = ApiTokenForm()
    page = paged(request, api_tokens_of(request.user), per_page=API_TOKENS_PER_PAGE)
    return render(
        request,
        "edc/api_tokens.html",
        {
            "form": form,
            "page": page,
            "issued": issued,
            "days": settings.EDC_API_TOKEN_DAYS,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, pk) -> HttpResponse:
    token = get_object_or_404(api_tokens_of(request.user), pk=pk)
    api_token_revoke(token, actor=request.user)
    messages.success(request, _("Token revoked: it no longer works."))
    return redirect("edc:api-tokens")
