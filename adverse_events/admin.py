"""Safety contacts in the admin too (the data manager's page is adverse_events:safety-contacts):
with a reason and the row version like every audited row, and releasing the SAE notifications
that waited for a contact."""

from django.contrib import admin

from adverse_events.models import SafetyContact
from adverse_events.sae import SAE_NOTIFICATION
from edc.admin import AuditedAdmin
from edc.outbox import outbox_release


@admin.register(SafetyContact)
class SafetyContactAdmin(AuditedAdmin):
    list_display = ("study", "name", "email", "is_active")
    list_filter = ("study", "is_active")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.is_active:
            outbox_release(kind=SAE_NOTIFICATION, study=obj.study)
