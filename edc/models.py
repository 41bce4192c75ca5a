"""Core records: studies and their protocol versions, sites, strata, memberships and subjects."""

from __future__ import annotations

import zoneinfo
from typing import Any

import simple_history
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from edc.audit import AuditedModel, system_user
from edc.clinical_dates import ClinicalDates, DateRule
from edc.domain.crf_status import CrfLocked, CrfStatus, status_after_edit
from edc.domain.subject_status import SubjectStatus
from edc.roles import SITE_ROLES, Role


def _localised(name: str, name_zh: str) -> str:
    """The Chinese name when the page is in Chinese and the protocol gives one."""
    language = get_language() or ""
    return name_zh if language.startswith("zh") and name_zh else name


class Study(AuditedModel):
    class Status(models.TextChoices):
        PLANNING = "planning", _("Planning")
        RECRUITING = "recruiting", _("Recruiting")
        CLOSED = "closed", _("Closed to enrolment")
        LOCKED = "locked", _("Locked")

    registry_id = models.CharField(_("registry id"), max_length=40, unique=True)
    study_code = models.CharField(_("study code"), max_length=20, unique=True)
    title = models.TextField(_("title"))
    short_title = models.CharField(_("short title"), max_length=200)
    title_zh = models.TextField(_("title (Chinese)"), blank=True)
    short_title_zh = models.CharField(_("short title (Chinese)"), max_length=200, blank=True)
    phase = models.CharField(_("phase"), max_length=40)
    sponsor = models.CharField(_("sponsor"), max_length=200)
    product = models.CharField(_("product"), max_length=200)
    target_enrolment = models.PositiveIntegerField(_("target enrolment"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECRUITING
    )

    class Meta:
        ordering = ["registry_id"]
        verbose_name = _("study")
        verbose_name_plural = _("studies")

    def __str__(self) -> str:
        return f"{self.registry_id} {self.display_short_title}"

    @property
    def display_title(self) -> str:
        return _localised(self.title, self.title_zh)

    @property
    def display_short_title(self) -> str:
        return _localised(self.short_title, self.short_title_zh)


class ProtocolVersion(AuditedModel):
    """One loaded version of a protocol definition file; older versions are kept as amendments."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="protocol_versions")
    version = models.CharField(_("version"), max_length=20)
    effective_date = models.DateField(_("effective date"))
    definition = models.JSONField(_("definition"))
    sha256 = models.CharField(max_length=64)
    source_file = models.CharField(max_length=255)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["study", "effective_date", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["study", "version"], name="uniq_protocol_version"),
            models.UniqueConstraint(
                fields=["study"], condition=Q(is_current=True), name="one_current_protocol"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.study.registry_id} v{self.version}"


class Site(AuditedModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2)
    timezone = models.CharField(_("timezone"), max_length=64)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return _localised(self.name, self.name_zh)

    def clean(self) -> None:
        if self.timezone not in zoneinfo.available_timezones():
            raise ValidationError({"timezone": _("Unknown timezone.")})


class StudySite(AuditedModel):
    """A site taking part in a study, with its site number there."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="study_sites")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="study_sites")
    site_number = models.CharField(_("site number"), max_length=3)
    target_enrolment = models.PositiveIntegerField(_("target enrolment"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["study", "site_number"]
        constraints = [
            models.UniqueConstraint(fields=["study", "site"], name="uniq_study_site"),
            models.UniqueConstraint(fields=["study", "site_number"], name="uniq_study_site_number"),
        ]

    def __str__(self) -> str:
        return f"{self.site_number} {self.site}"


class Stratum(AuditedModel):
    """A disease cohort of a study (e.g. SLE, systemic sclerosis)."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="strata")
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    target_enrolment = models.PositiveIntegerField(_("target enrolment"), null=True, blank=True)

    class Meta:
        ordering = ["study", "code"]
        verbose_name_plural = _("strata")
        constraints = [models.UniqueConstraint(fields=["study", "code"], name="uniq_stratum")]

    def __str__(self) -> str:
        return _localised(self.name, self.name_zh)


class Membership(AuditedModel):
    """A user's role in a study, at one site or (site empty) at all sites."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="memberships")
    study_site = models.ForeignKey(
        StudySite, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "study", "study_site", "role"], name="uniq_membership_at_site"
            ),
            models.UniqueConstraint(
                fields=["user", "study", "role"],
                condition=Q(study_site__isnull=True),
                name="uniq_membership_all_sites",
            ),
        ]

    def __str__(self) -> str:
        where = self.study_site or _("all sites")
        return f"{self.user} {self.get_role_display()} @ {where}"

    def clean(self) -> None:
        if self.role in SITE_ROLES and self.study_site_id is None:
            raise ValidationError({"study_site": _("This role works at a site: choose one.")})
        if self.study_site_id and self.study_site.study_id != self.study_id:
            raise ValidationError({"study_site": _("The site does not take part in this study.")})


# Accounts belong to the trail (who could act, and since when): every change to a user is
# history-tracked with actor and reason. The password hash is a secret, not an audit fact, and an
# append-only table could never purge it; last_login changes at every login, which the access log
# records, and is saved without a history row (edc/apps.py).
simple_history.register(get_user_model(), app="edc", excluded_fields=["password", "last_login"])


class UserPreference(models.Model):
    """Per-user display and notification choices (not clinical data, so not audited)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference"
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    # Visit reminders (and later task mail) by e-mail; the in-app task list shows them regardless.
    email_reminders = models.BooleanField(_("send me reminders by e-mail"), default=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"


class SiteSequence(models.Model):
    """The last number handed out per study site and kind; locked while a number is allocated.

    Allocation happens in the same transaction as the subject row, so numbers are gap-free and
    unique even when two investigators register at the same moment.
    """

    class Kind(models.TextChoices):
        SCREENING = "screening"
        SUBJECT = "subject"

    study_site = models.ForeignKey(StudySite, on_delete=models.PROTECT, related_name="sequences")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["study_site", "kind"], name="uniq_site_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.study_site} {self.kind} {self.last_value}"


SUBJECT_STATUS_LABELS = {
    SubjectStatus.SCREENING: _("Screening"),
    SubjectStatus.SCREEN_FAILED: _("Screen failed"),
    SubjectStatus.ENROLLED: _("Enrolled"),
    SubjectStatus.LYMPHODEPLETED: _("Lymphodepleted"),
    SubjectStatus.INFUSED: _("Infused"),
    SubjectStatus.IN_FOLLOW_UP: _("In follow-up"),
    SubjectStatus.COMPLETED: _("Completed"),
    SubjectStatus.WITHDRAWN: _("Withdrawn"),
    SubjectStatus.DIED: _("Died"),
}


class Subject(ClinicalDates, AuditedModel):
    """A person screened for a study. Initials and date of birth are personal data."""

    PERSONAL_DATA_FIELDS = frozenset({"initials", "date_of_birth"})
    subject_path = ""
    date_rules = {"date_of_birth": DateRule.BIRTH, "consent_date": DateRule.SINCE_BIRTH}

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    study = models.ForeignKey(
        Study, on_delete=models.PROTECT, related_name="subjects", verbose_name=_("study")
    )
    study_site = models.ForeignKey(
        StudySite, on_delete=models.PROTECT, related_name="subjects", verbose_name=_("study site")
    )
    stratum = models.ForeignKey(
        Stratum, on_delete=models.PROTECT, related_name="subjects", verbose_name=_("stratum")
    )
    screening_number = models.CharField(_("screening number"), max_length=40)
    # NULL until enrolment; unique among the enrolled (an empty string could not be).
    subject_identifier = models.CharField(  # noqa: DJ001
        _("subject id"), max_length=40, null=True, blank=True, editable=False
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    date_of_birth = models.DateField(_("date of birth"))
    initials = models.CharField(_("initials"), max_length=4)
    consent_date = models.DateField(_("consent date"))
    consent_version = models.CharField(_("consent version"), max_length=40)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=list(SUBJECT_STATUS_LABELS.items()),
        default=SubjectStatus.SCREENING,
        editable=False,
    )
    day0_date = models.DateField(_("Day 0 (infusion)"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["study_site__site_number", "screening_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "screening_number"], name="uniq_screening_number"
            ),
            models.UniqueConstraint(
                fields=["study", "subject_identifier"],
                condition=Q(subject_identifier__isnull=False),
                name="uniq_subject_identifier",
            ),
        ]

    def __str__(self) -> str:
        return self.subject_identifier or self.screening_number

    def clean(self) -> None:
        errors = {}
        if self.initials and not self.initials.replace("-", "").isalpha():
            errors["initials"] = _("Initials are letters only (use - for a missing middle).")
        if self.stratum_id and self.study_id and self.stratum.study_id != self.study_id:
            errors["stratum"] = _("This stratum belongs to another study.")
        if errors:
            raise ValidationError(errors)


CRF_STATUS_LABELS = {
    CrfStatus.DRAFT: _("Draft"),
    CrfStatus.COMPLETE: _("Complete"),
    CrfStatus.VERIFIED: _("Verified"),
    CrfStatus.SIGNED: _("Signed"),
    CrfStatus.LOCKED: _("Locked"),
}


class CrfModel(ClinicalDates, AuditedModel):
    """Base of every case report form: a subject's visit, a status, the audited, versioned row.

    One form per subject and visit; a repeating form (prior therapies, adverse events) declares
    its own Meta without the constraint. Its dates follow the visit's anchor unless it declares
    `date_rules` (edc/clinical_dates.py).
    """

    visit_anchored = True

    subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
        verbose_name=_("subject"),
    )
    visit_code = models.CharField(_("visit"), max_length=20)
    status = models.CharField(
        _("form status"),
        max_length=20,
        choices=list(CRF_STATUS_LABELS.items()),
        default=CrfStatus.COMPLETE,
        editable=False,
    )

    # What a save may change without changing the form's data: its review goes on.
    REVIEW_NEUTRAL_FIELDS = frozenset({"status", "row_version", "created_at", "updated_at"})

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "visit_code"], name="%(app_label)s_%(class)s_one_per_visit"
            )
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A change to the data of a saved form undoes its review, whatever path saves it (a
        service, a derived date re-computed, the admin, a task, the shell): the form goes back
        to complete and, in the same transaction, the monitor's marks on what changed and the
        signatures covering it are undone (edc/form_review.py). A locked form refuses."""
        changed = (
            set() if self._state.adding else self.changed_fields() - self.REVIEW_NEUTRAL_FIELDS
        )
        if not changed:
            super().save(*args, **kwargs)
            return
        try:
            self.status = status_after_edit(self.status).value
        except CrfLocked as exc:
            raise ValidationError(
                _("This form is locked; ask the data manager to unlock it.")
            ) from exc
        actor = getattr(self, "_history_user", None) or system_user()
        reason = getattr(self, "_change_reason", "") or ""
        with transaction.atomic():
            super().save(*args, **kwargs)
            undo_review(self, changed_fields=changed, actor=actor, reason=reason)


# Models kept in modules of their own, named after what they do; imported here so Django sees them.
from edc.access_log import AccessLog  # noqa: E402, F401
from edc.api_tokens import ApiToken  # noqa: E402, F401
from edc.audit_chain import AuditChainLink  # noqa: E402, F401
from edc.data_queries import Query, QueryMessage  # noqa: E402, F401
from edc.datasets import DatasetExport  # noqa: E402, F401
from edc.form_review import undo_review  # noqa: E402
from edc.locking import DataLock  # noqa: E402, F401
from edc.outbox import OutboxMessage  # noqa: E402, F401
from edc.sdv import SourceVerification  # noqa: E402, F401
from edc.signatures import Signature, SignedForm  # noqa: E402, F401
from edc.submissions import FormSubmission  # noqa: E402, F401
