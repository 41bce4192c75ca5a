from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "screening"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from edc.demo import register_demo_step
        from screening import crfs, demo

        crfs.register()
        register_demo_step(demo.demo_step)
