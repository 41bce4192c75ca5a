"""The one gate every study view passes: membership, then a permission, then the view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from edc.models import Study
from edc.roles import Perm
from edc.selectors import StudyAccess, holds_in_any_study, study_access, study_get_for_user


def study_gate(user, registry_id: str, perm: Perm) -> tuple[Study, StudyAccess]:
    """The study if the user is a member (else Http404) and their grants in it, if `perm` holds
    at some site (else PermissionDenied): the pages and the API (edc/api/) pass this one gate."""
    try:
        study = study_get_for_user(user, registry_id)
    except Study.DoesNotExist as exc:
        raise Http404 from exc
    access = study_access(user, study)
    if not access.can_anywhere(perm):
        raise PermissionDenied
    return study, access


def study_view(perm: Perm) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Resolve `registry_id` to a study the user belongs to (else 404) and require `perm` at some
    site (else 403). The view gets `request.study` and `request.access`; object-level scoping is
    then the selectors' job.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, registry_id: str, *args: Any, **kwargs: Any):
            request.study, request.access = study_gate(request.user, registry_id, perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def system_view(perm: Perm) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """The gate of a page about the whole system, not one study (the access log): `perm` in any
    study, or staff (who manage the system in the admin); else 403.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any):
            if not (request.user.is_staff or holds_in_any_study(request.user, perm)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
