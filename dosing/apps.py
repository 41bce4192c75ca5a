from django.apps import AppConfig


class DosingConfig(AppConfig):
    name = "dosing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dosing import audit_reasons, crfs, demo, edit_check_references, sdtm
        from dosing.assignment import dose_assign
        from edc.audit_reasons import register_system_reasons
        from edc.demo import register_demo_step
        from edc.sdtm import register_sdtm_mapper
        from screening.services.eligibility import register_enrolment_hook

        crfs.register()
        edit_check_references.register()
        register_system_reasons(audit_reasons.REASONS)
        register_enrolment_hook(dose_assign)
        register_demo_step(demo.demo_step)
        register_sdtm_mapper("DM", sdtm.dm_dataset)
        register_sdtm_mapper("SUPPDM", sdtm.suppdm_dataset)
        register_sdtm_mapper("EX", sdtm.ex_dataset)
