from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _protect_audit_trail(sender, using, **kwargs):
    from edc.audit_sql import grant_app_role, install_append_only_triggers

    grant_app_role(using)  # first: it explains a migrate run as the application role
    install_append_only_triggers(using)


class EdcConfig(AppConfig):
    name = "edc"
    verbose_name = "EDC core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from edc import checks  # noqa: F401 - registers the system checks

        post_migrate.connect(
            _protect_audit_trail, sender=self, dispatch_uid="edc_audit_append_only"
        )
