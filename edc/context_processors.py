"""What the navigation bar needs on every page."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from edc.monitoring import may_monitor
from edc.query_selectors import open_query_count
from edc.roles import Perm
from edc.selectors import holds_in_any_study


def account_menu(request: HttpRequest) -> dict[str, object]:
    """Which navigation links this user may follow: the study's subject pages, its audit trail,
    its datasets, the access log, the read API (asked only when a page shows the menu)."""
    user = getattr(request, "user", None)
    access = getattr(request, "access", None)  # set on study pages by edc.decorators.study_view
    return {
        # The study's subject pages are offered only to those they answer (not the administrator).
        "can_view_subjects": access is not None and access.can_anywhere(Perm.VIEW_SUBJECTS),
        "can_export_datasets": access is not None and access.can(Perm.EXPORT_DATASETS),
        # Queries awaiting an answer at the user's sites (counted only when the bar is drawn).
        "open_query_count": SimpleLazyObject(
            lambda: open_query_count(access) if access.can_anywhere(Perm.VIEW_SUBJECTS) else 0
        )
        if access is not None
        else 0,
        "can_lock_data": access is not None and access.can_anywhere(Perm.LOCK_DATA),
        "can_monitor": access is not None and may_monitor(access),
        "can_verify_source": access is not None and access.can_anywhere(Perm.VERIFY_SOURCE),
        "can_view_audit_trail": access is not None and access.can_anywhere(Perm.VIEW_AUDIT_TRAIL),
        "can_view_access_log": SimpleLazyObject(
            lambda: (
                user is not None
                and (user.is_staff or holds_in_any_study(user, Perm.VIEW_ACCESS_LOG))
            )
        ),
        # Every role reads something through the API (at least its studies).
        "has_api_access": SimpleLazyObject(
            lambda: user is not None and holds_in_any_study(user, Perm.VIEW_STUDY)
        ),
    }
