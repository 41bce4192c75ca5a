from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "followup"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from edc.crfs import register_crf_listener
        from edc.demo import register_demo_step
        from followup import crfs, demo, services

        crfs.register()
        register_demo_step(demo.demo_step)
        register_crf_listener("infusion", services.schedule_follow_day0)
