"""Admin for administrators and audit review: reference data editable, subjects read-only.

Every edit here goes through the audited path (edc/audit.py), as a service's would: a change
needs a typed reason and the row version the user saw (a stale edit is refused and nothing is
saved), an addition records "Initial entry", and audited rows are never deleted here. Granting
a membership is a change to who may see clinical data: it needs a reason too, and nobody may
grant or change their own. Subjects change only through services (reason, version, lifecycle),
so the admin shows them and their history but cannot edit them; revert is disabled in settings.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, UserChangeForm
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from edc.audit import INITIAL_ENTRY, ReasonRequired, StaleEdit, audited_create, audited_update
from edc.input_rules import STRICT_NUMBER_FIELDS
from edc.models import Membership, ProtocolVersion, Site, Stratum, Study, StudySite, Subject

PASSWORD_SET = "Password set by an administrator"


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason for change"),
        required=False,  # required on a change, checked in clean() with the trail's own message
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AuditedAdminForm(forms.ModelForm):
    """A change form that asks why and carries the row version the user opened."""

    reason = _reason_field()
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # Set by AuditedAdmin.get_form to the user saving the form.
    actor: ClassVar[AbstractBaseUser | None] = None
    # An addition normally records "Initial entry"; some (a membership grant) need a reason.
    reason_required_on_add: ClassVar[bool] = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self._adding and not self.reason_required_on_add:
            self.fields["reason"].widget = forms.HiddenInput()
        elif not self._adding:
            self.fields["expected_version"].initial = self.instance.row_version

    @property
    def _adding(self) -> bool:
        return self.instance._state.adding

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (not self._adding or self.reason_required_on_add) and not (
            cleaned.get("reason") or ""
        ).strip():
            self.add_error(None, ReasonRequired())
        if not self._adding and cleaned.get("expected_version") != self.instance.row_version:
            raise StaleEdit()
        return cleaned


class AuditedAdmin(SimpleHistoryAdmin):
    """Reference data edited here still carries who, why and which version was changed."""

    form = AuditedAdminForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def get_object(self, request, object_id, from_field=None):
        """On a save, lock the row as it is read: the version check and the save see one state."""
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST":
            obj = type(obj).objects.select_for_update().get(pk=obj.pk)
        return obj

    # Numbers in ASCII digits only, as on every page (the text rules apply in the model).
    formfield_overrides = {m: {"form_class": f} for m, f in STRICT_NUMBER_FIELDS.items()}

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("reason", "").strip()
        if not change:
            audited_create(obj, actor=request.user, reason=reason or INITIAL_ENTRY)
            return
        fields = {f.name for f in obj._meta.concrete_fields}
        audited_update(
            obj,
            actor=request.user,
            reason=reason,
            changes={name: getattr(obj, name) for name in form.changed_data if name in fields},
            expected_version=form.cleaned_data["expected_version"],
        )

    def has_delete_permission(self, request, obj=None):
        """Audited rows are corrected or deactivated, never deleted from the admin."""
        return False


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


class MembershipAdminForm(AuditedAdminForm):
    """A grant of access: always with a reason, and never by the user it grants access to."""

    reason_required_on_add = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        grantee = cleaned.get("user")
        if self.actor is not None and self.actor.pk in {
            getattr(grantee, "pk", None),
            self.instance.user_id,
        }:
            raise ValidationError(
                _(
                    "You cannot grant or change your own membership: another administrator "
                    "must do it."
                ),
                code="own_membership",
            )
        return cleaned


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    form = MembershipAdminForm
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


class UserReasonForm(UserChangeForm):
    reason = _reason_field()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not (cleaned.get("reason") or "").strip():
            self.add_error(None, ReasonRequired())
        return cleaned


class PasswordSetForm(AdminPasswordChangeForm):
    """Django's password form (its template shows no extra field): the event names itself."""

    def save(self, commit: bool = True) -> AbstractBaseUser:
        self.user._change_reason = PASSWORD_SET
        return super().save(commit)


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class AuditedUserAdmin(UserAdmin, SimpleHistoryAdmin):
    """Accounts are history-tracked (edc/models.py): a change says why; nobody is deleted."""

    form = UserReasonForm
    change_password_form = PasswordSetForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return (*fieldsets, (_("Reason for change"), {"fields": ("reason",)}))

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        obj._change_reason = form.cleaned_data["reason"].strip() if change else INITIAL_ENTRY
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        """Users are deactivated, never deleted: the trail names them (and refuses the delete)."""
        return False
