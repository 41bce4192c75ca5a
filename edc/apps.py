from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils import timezone


def _protect_audit_trail(sender, using, **kwargs):
    from edc.audit_sql import grant_app_role, install_append_only_triggers

    grant_app_role(using)  # first: it explains a migrate run as the application role
    install_append_only_triggers(using)


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

        from edc import checks  # noqa: F401 - registers the system checks

        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(_record_login_time, dispatch_uid="edc_record_login_time")
        post_migrate.connect(
            _protect_audit_trail, sender=self, dispatch_uid="edc_audit_append_only"
        )
