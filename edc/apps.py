from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils import timezone


def _protect_audit_trail(sender, using, **kwargs):
    from edc.audit_indexes import install_trail_indexes
    from edc.audit_sql import grant_app_role, install_append_only_triggers

    grant_app_role(using)  # first: it explains a migrate run as the application role
    install_append_only_triggers(using)
    install_trail_indexes(using)


def _record_login_time(sender, user, **kwargs):
    """Django's update_last_login, minus the history row: a login is no change to the account."""
    user.last_login = timezone.now()
    user.save_without_historical_record(update_fields=["last_login"])


class EdcConfig(AppConfig):
    name = "edc"
    verbose_name = "EDC core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.models import update_last_login

        from edc import (
            checks,  # noqa: F401 - registers the system checks
            query_dashboards,
            query_tasks,
            sdtm_trial_design,
        )
        from edc.audit import register_write_guard
        from edc.audit_reasons import register_system_reasons
        from edc.dashboards import register_dashboard_panel
        from edc.datasets import REASONS as DATASET_REASONS
        from edc.locking import refuse_locked_write
        from edc.services import data_queries

        register_system_reasons(DATASET_REASONS)

        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(_record_login_time, dispatch_uid="edc_record_login_time")
        post_migrate.connect(
            _protect_audit_trail, sender=self, dispatch_uid="edc_audit_append_only"
        )
        _connect_account_signals()
        sdtm_trial_design.register()
        query_tasks.register()
        register_system_reasons(data_queries.REASONS)
        register_write_guard(refuse_locked_write)
        register_dashboard_panel("query_ageing", query_dashboards.query_ageing_panel, order=60)
        _register_risk_indicators()


def _register_risk_indicators() -> None:
    from django.utils.translation import gettext_lazy as _

    from edc import monitoring as m
    from edc.domain.risk_indicators import Kind

    m.register_risk_indicator(
        "queries_per_subject",
        _("Queries per subject"),
        m.queries_per_subject,
        kind=Kind.RATE,
        order=10,
        events=_("queries"),
    )
    m.register_risk_indicator(
        "queries_per_form",
        _("Queries per saved form"),
        m.queries_per_form,
        kind=Kind.RATE,
        order=20,
        events=_("queries"),
    )
    m.register_risk_indicator(
        "open_query_age",
        _("Median days an unresolved query has been open"),
        m.open_query_age,
        kind=Kind.MEDIAN,
        order=30,
        events=_("unresolved queries"),
    )
    m.register_risk_indicator(
        "sdv_backlog",
        _("Forms requiring SDV not yet verified"),
        m.sdv_backlog,
        kind=Kind.RATE,
        order=90,
        events=_("forms awaiting SDV"),
        percent=True,
    )


def _connect_account_signals() -> None:
    """Authentication events to the access log, and the log-in time to the session.

    Django's auth signals (and axes' lockout signal) are the framework's only hook into log-in
    and log-out; the house rule against signals concerns our own apps reacting to each other.
    """
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    from edc import access_log, middleware

    user_logged_in.connect(access_log.on_logged_in, dispatch_uid="edc_access_login")
    user_logged_in.connect(middleware.stamp_login_time, dispatch_uid="edc_session_login_time")
    user_logged_out.connect(access_log.on_logged_out, dispatch_uid="edc_access_logout")
    user_login_failed.connect(access_log.on_login_failed, dispatch_uid="edc_access_failed")
    user_locked_out.connect(access_log.on_locked_out, dispatch_uid="edc_access_locked_out")
