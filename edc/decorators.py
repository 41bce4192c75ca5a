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
from edc.selectors import holds_in_any_study, study_access, study_get_for_user


def study_view(perm: Perm) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Resolve `registry_id` to a study the user belongs to (else 404) and require `perm` at some
    site (else 403). The view gets `request.study` and `request.access`; object-level scoping is
    then the selectors' job.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, registry_id: str, *args: Any, **kwargs: Any):
            try:
                study = study_get_for_user(request.user, registry_id)
            except Study.DoesNotExist as exc:
                raise Http404 from exc
            access = study_access(request.user, study)
            if not access.can_anywhere(perm):
                raise PermissionDenied
            request.study, request.access = study, access
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
