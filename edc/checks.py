"""System checks that keep the audit trail switched on (ICH E6(R3): it must not be disabled)."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def audit_trail_enabled(app_configs, **kwargs):
    problems = []
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        problems.append(
            Error(
                "SIMPLE_HISTORY_ENABLED is False: the audit trail cannot be switched off.",
                id="edc.E001",
            )
        )
    if not getattr(settings, "SIMPLE_HISTORY_REVERT_DISABLED", False):
        problems.append(
            Error(
                "SIMPLE_HISTORY_REVERT_DISABLED must be True: records are corrected, "
                "never reverted.",
                id="edc.E002",
            )
        )
    return problems
