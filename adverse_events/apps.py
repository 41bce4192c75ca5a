from django.apps import AppConfig


class AdverseEventsConfig(AppConfig):
    name = "adverse_events"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from adverse_events import audit_reasons, crfs, demo, sdtm, selectors, services
        from adverse_events.lab_toxicity import lab_panel_grades, lab_toxicities_grade
        from adverse_events.sae import SAE_NOTIFICATION, sae_notification_send
        from adverse_events.safety_contacts import no_safety_contact
        from edc.audit_reasons import register_system_reasons
        from edc.configuration import register_configuration_check
        from edc.crfs import register_crf_listener
        from edc.demo import register_demo_step
        from edc.derived import register_derived_values
        from edc.episodes import register_episode_source
        from edc.outbox import register_outbox_handler
        from edc.sdtm import register_sdtm_mapper

        crfs.register()
        register_system_reasons(audit_reasons.REASONS)
        register_crf_listener("lab_panel", lab_toxicities_grade)
        register_derived_values("lab_panel", lab_panel_grades)
        register_crf_listener("infusion", services.study_days_follow_day0)
        register_outbox_handler(SAE_NOTIFICATION, sae_notification_send)
        register_configuration_check(no_safety_contact)
        register_demo_step(demo.demo_step)
        register_sdtm_mapper("AE", sdtm.ae_dataset)
        register_sdtm_mapper("SUPPAE", sdtm.suppae_dataset)
        register_episode_source(selectors.episodes_of)
