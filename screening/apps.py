from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "screening"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from edc.audit_reasons import register_system_reasons
        from edc.dashboards import register_dashboard_panel
        from edc.demo import register_demo_step
        from edc.sdtm import register_sdtm_mapper
        from screening import audit_reasons, crfs, dashboards, demo, sdtm, sdtm_history, sdtm_qs

        crfs.register()
        from screening import risk_indicators

        risk_indicators.register()
        register_system_reasons(audit_reasons.REASONS)
        register_demo_step(demo.demo_step)
        register_sdtm_mapper("LB", sdtm.lb_dataset)
        register_sdtm_mapper("VS", sdtm.vs_dataset)
        register_dashboard_panel("enrolment", dashboards.enrolment_panel, order=10)
        register_dashboard_panel("screen_failures", dashboards.screen_failure_panel, order=20)
        register_sdtm_mapper("IE", sdtm_history.ie_dataset)
        register_sdtm_mapper("MH", sdtm_history.mh_dataset)
        register_sdtm_mapper("CM", sdtm_history.cm_dataset)
        register_sdtm_mapper("QS", sdtm_qs.qs_dataset)
