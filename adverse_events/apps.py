from django.apps import AppConfig


class AdverseEventsConfig(AppConfig):
    name = "adverse_events"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from adverse_events import crfs

        crfs.register()
