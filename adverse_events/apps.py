from django.apps import AppConfig


class AdverseEventsConfig(AppConfig):
    name = "adverse_events"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from adverse_events import (
            api,
            audit_reasons,
            crfs,
            dashboards,
            demo,
            pregnancies,
            sdtm,
            sdtm_episodes,
            selectors,
            services,
        )
        from adverse_events.lab_toxicity import lab_panel_grades, lab_toxicities_grade
        from adverse_events.sae import SAE_NOTIFICATION, sae_notification_send
        from adverse_events.safety_contacts import no_safety_contact
        from edc.audit_reasons import register_system_reasons
        from edc.casebook import register_casebook_notes
        from edc.configuration import register_configuration_check
        from edc.crfs import register_crf_listener
        from edc.dashboards import register_dashboard_panel
        from edc.demo import register_demo_step
        from edc.derived import register_derived_values
        from edc.episodes import register_episode_source
        from edc.outbox import register_outbox_handler
        from edc.sdtm import register_sdtm_mapper
        from edc.tasks_inbox import TaskSource, register_task_source

        crfs.register()
        from adverse_events import risk_indicators

        risk_indicators.register()
        api.register()
        register_system_reasons(audit_reasons.REASONS)
        register_crf_listener("lab_panel", lab_toxicities_grade)
        register_derived_values("lab_panel", lab_panel_grades)
        register_crf_listener("infusion", services.study_days_follow_day0)
        register_outbox_handler(SAE_NOTIFICATION, sae_notification_send)
        register_configuration_check(no_safety_contact)
        register_demo_step(demo.demo_step)
        register_sdtm_mapper("AE", sdtm.ae_dataset)
        register_sdtm_mapper("SUPPAE", sdtm.suppae_dataset)
        register_dashboard_panel("dose_levels", dashboards.dose_level_panel, order=30)
        register_dashboard_panel("crs_timing", dashboards.crs_timing_panel, order=40)
        register_sdtm_mapper("CE", sdtm_episodes.ce_dataset)
        register_sdtm_mapper("FA", sdtm_episodes.fa_dataset)
        register_casebook_notes(pregnancies.contraception_notes)
        register_task_source(
            TaskSource(
                code="open_pregnancies",
                count=pregnancies.pregnancy_task_count,
                tasks=pregnancies.pregnancy_tasks,
            )
        )
        register_episode_source(selectors.episodes_of)
