"""Admin for administrators and audit review: reference data editable, subjects read-only.

Subjects change only through services (reason, version, lifecycle), so the admin shows them and
their history but cannot edit them; revert is disabled in settings.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from edc.audit import INITIAL_ENTRY
from edc.input_rules import STRICT_NUMBER_FIELDS
from edc.models import Membership, ProtocolVersion, Site, Stratum, Study, StudySite, Subject


class AuditedAdmin(SimpleHistoryAdmin):
    """Reference data edited here still carries who and why."""

    # Numbers in ASCII digits only, as on every page (the text rules apply in the model).
    formfield_overrides = {m: {"form_class": f} for m, f in STRICT_NUMBER_FIELDS.items()}

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        obj._change_reason = (
            f"Changed in admin: {', '.join(form.changed_data)}" if change else (INITIAL_ENTRY)
        )
        if change:
            obj.row_version += 1
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Study)
class StudyAdmin(AuditedAdmin):
    list_display = ("registry_id", "short_title", "phase", "status", "target_enrolment")


@admin.register(Site)
class SiteAdmin(AuditedAdmin):
    list_display = ("code", "name", "city", "timezone")


@admin.register(StudySite)
class StudySiteAdmin(AuditedAdmin):
    list_display = ("study", "site_number", "site", "target_enrolment", "is_active")


@admin.register(Stratum)
class StratumAdmin(AuditedAdmin):
    list_display = ("study", "code", "name", "target_enrolment")


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "study", "study_site", "role", "is_active")
    list_filter = ("study", "role", "is_active")


@admin.register(ProtocolVersion)
class ProtocolVersionAdmin(ReadOnlyAdmin):
    list_display = ("study", "version", "effective_date", "is_current", "source_file")


@admin.register(Subject)
class SubjectAdmin(ReadOnlyAdmin):
    list_display = ("screening_number", "subject_identifier", "study", "study_site", "status")
    list_filter = ("study", "status")
    exclude = ("initials", "date_of_birth")
