from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "followup"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from edc.audit_reasons import register_system_reasons
        from edc.crfs import register_crf_listener
        from followup import audit_reasons, crfs, services

        crfs.register()
        register_system_reasons(audit_reasons.REASONS)
        register_crf_listener("infusion", services.schedule_follow_day0)
