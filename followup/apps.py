from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "followup"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from edc.audit_reasons import register_system_reasons
        from edc.casebook import register_visit_closures, register_visit_notes
        from edc.crfs import register_crf_listener, register_visit_provider
        from edc.dashboards import register_dashboard_panel
        from edc.demo import register_demo_step
        from edc.outbox import register_outbox_handler
        from edc.sdtm import register_sdtm_mapper, register_sdtm_rows
        from edc.subject_conditions import register_subject_condition
        from edc.tasks_inbox import TaskSource, register_task_source
        from followup import (
            api,
            audit_reasons,
            crfs,
            dashboards,
            demo,
            efficacy,
            efficacy_views,
            kinetics_dashboard,
            reminders,
            sdtm,
            sdtm_kinetics,
            selectors,
            services,
            swimmer_dashboard,
        )
        from followup.viral_load import HBV_DNA_MONITORING, hbv_dna_monitoring_condition

        crfs.register()
        from followup import risk_indicators

        risk_indicators.register()
        api.register()
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
        # Response verdicts follow every form they read, in the form's transaction.
        for code in efficacy.CONTRIBUTING_CRFS:
            register_crf_listener(code, efficacy.recompute_after_form)
        register_visit_notes(efficacy_views.casebook_notes)
        register_subject_condition(HBV_DNA_MONITORING, hbv_dna_monitoring_condition)
        register_demo_step(demo.demo_step)
        register_sdtm_mapper("SV", sdtm.sv_dataset)
        register_sdtm_mapper("DS", sdtm.ds_dataset)
        register_dashboard_panel("visit_compliance", dashboards.visit_compliance_panel, order=50)
        register_dashboard_panel("swimmer", swimmer_dashboard.swimmer_panel, order=55)
        register_dashboard_panel("kinetics", kinetics_dashboard.kinetics_panel, order=56)
        register_sdtm_mapper("PC", sdtm_kinetics.pc_dataset)
        register_sdtm_rows("LB", sdtm_kinetics.immune_reconstitution_lb_rows)
