from django.apps import AppConfig


class DosingConfig(AppConfig):
    name = "dosing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dosing import crfs, demo
        from dosing.assignment import dose_assign
        from edc.demo import register_demo_step
        from screening.services.eligibility import register_enrolment_hook

        crfs.register()
        register_enrolment_hook(dose_assign)
        register_demo_step(demo.demo_step)
