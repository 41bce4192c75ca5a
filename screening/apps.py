from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "screening"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from screening import crfs

        crfs.register()
