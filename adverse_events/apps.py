from django.apps import AppConfig


class AdverseEventsConfig(AppConfig):
    name = "adverse_events"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from adverse_events import crfs, services
        from adverse_events.lab_toxicity import lab_toxicities_grade
        from edc.crfs import register_crf_listener

        crfs.register()
        register_crf_listener("lab_panel", lab_toxicities_grade)
        register_crf_listener("infusion", services.study_days_follow_day0)
