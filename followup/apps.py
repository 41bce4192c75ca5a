from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "followup"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from edc.audit_reasons import register_system_reasons
        from edc.casebook import register_visit_closures
        from edc.crfs import register_crf_listener, register_visit_provider
        from edc.demo import register_demo_step
        from edc.outbox import register_outbox_handler
        from edc.sdtm import register_sdtm_mapper
        from edc.subject_conditions import register_subject_condition
        from edc.tasks_inbox import TaskSource, register_task_source
        from followup import audit_reasons, crfs, demo, reminders, sdtm, selectors, services
        from followup.viral_load import HBV_DNA_MONITORING, hbv_dna_monitoring_condition

        crfs.register()
        register_system_reasons(audit_reasons.REASONS)
        register_crf_listener("lymphodepletion", services.schedule_follow_plan)
        register_crf_listener("infusion", services.schedule_follow_day0)
        register_outbox_handler(reminders.VISIT_REMINDER, reminders.visit_reminder_send)
        register_task_source(
            TaskSource(
                code="visit_reminders",
                count=reminders.visit_task_count,
                tasks=reminders.visit_tasks,
            )
        )
        register_crf_listener("end_of_study", services.schedule_follow_end_of_study)
        register_visit_provider(selectors.unscheduled_casebook_visits)
        register_visit_closures(selectors.closed_casebook_visits)
        register_subject_condition(HBV_DNA_MONITORING, hbv_dna_monitoring_condition)
        register_demo_step(demo.demo_step)
        register_sdtm_mapper("SV", sdtm.sv_dataset)
        register_sdtm_mapper("DS", sdtm.ds_dataset)
