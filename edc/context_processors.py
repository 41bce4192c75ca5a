"""What the navigation bar needs on every page."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from edc.roles import Perm
from edc.selectors import holds_in_any_study


def account_menu(request: HttpRequest) -> dict[str, object]:
    """Whether the account menu offers the access log; asked only when a page shows the menu."""
    user = getattr(request, "user", None)
    return {
        "can_view_access_log": SimpleLazyObject(
            lambda: (
                user is not None
                and (user.is_staff or holds_in_any_study(user, Perm.VIEW_ACCESS_LOG))
            )
        )
    }
