from django.apps import AppConfig


class DosingConfig(AppConfig):
    name = "dosing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dosing import crfs

        crfs.register()
