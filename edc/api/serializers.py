"""How the API shows the core's rows. Personal data (initials, date of birth, screening number)
and the free-text fields a protocol marks identifying appear only to users who may see personal
data at the subject's site, as on the pages; everyone else reads the dataset exports'
de-identified view: USUBJID and the age at consent."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db import models
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from edc.dataset_files import usubjid
from edc.datasets import DatasetExport
from edc.domain.calculators import age_years
from edc.models import CrfModel, Study, Subject
from edc.roles import Perm

# Columns every CRF row has, shown as the row's own keys rather than among its fields.
CRF_BASE_FIELDS = frozenset(
    {"id", "created_at", "updated_at", "row_version", "subject", "visit_code", "status"}
)


class StudySerializer(serializers.ModelSerializer):
    protocol_version = serializers.SerializerMethodField()

    class Meta:
        model = Study
        fields = [
            "registry_id",
            "study_code",
            "title",
            "short_title",
            "title_zh",
            "short_title_zh",
            "phase",
            "sponsor",
            "product",
            "target_enrolment",
            "status",
            "protocol_version",
        ]

    def get_protocol_version(self, study: Study) -> str | None:
        current = [v for v in study.protocol_versions.all() if v.is_current]
        return current[0].version if current else None


def _sees_personal_data(context: dict[str, Any], subject: Subject) -> bool:
    return context["access"].can(Perm.VIEW_PERSONAL_DATA, subject.study_site_id)


class SubjectRowSerializer(serializers.Serializer):
    """The subject a row belongs to, by key and by USUBJID; the base of every subject-owned row
    (the resources apps register inherit it)."""

    subject = serializers.UUIDField(source="subject_id", read_only=True)
    usubjid = serializers.SerializerMethodField()

    def get_usubjid(self, row: Any) -> str:
        return usubjid(self.context["access"].study, row.subject)

    def hidden_fields(self, row: Any) -> frozenset[str]:
        """The fields of `row` this user may not read: the protocol's identifying free text of
        the form, unless they may see personal data at the subject's site."""
        if _sees_personal_data(self.context, row.subject):
            return frozenset()
        return self.context.get("identifying_fields", frozenset())

    def to_representation(self, row: Any) -> dict[str, Any]:
        data = super().to_representation(row)
        for name in self.hidden_fields(row):
            data.pop(name, None)
        return data


class SubjectSerializer(serializers.ModelSerializer):
    usubjid = serializers.SerializerMethodField()
    site_number = serializers.CharField(source="study_site.site_number", read_only=True)
    stratum = serializers.CharField(source="stratum.code", read_only=True)
    age_at_consent_years = serializers.SerializerMethodField()
    # Not read-only, so that the schema marks them optional: they are left out for users who may
    # not see personal data (the API has no writes, so nothing is ever written through them).
    screening_number = serializers.CharField(
        required=False, help_text="Only for roles that see personal data at the subject's site."
    )
    subject_identifier = serializers.CharField(
        required=False, allow_null=True, help_text="As screening_number."
    )
    initials = serializers.CharField(required=False, help_text="As screening_number.")
    date_of_birth = serializers.DateField(required=False, help_text="As screening_number.")

    PERSONAL = ("screening_number", "subject_identifier", *sorted(Subject.PERSONAL_DATA_FIELDS))

    class Meta:
        model = Subject
        fields = [
            "id",
            "usubjid",
            "site_number",
            "stratum",
            "sex",
            "age_at_consent_years",
            "consent_date",
            "consent_version",
            "status",
            "day0_date",
            "screening_number",
            "subject_identifier",
            "initials",
            "date_of_birth",
        ]

    def get_usubjid(self, subject: Subject) -> str:
        return usubjid(self.context["access"].study, subject)

    def get_age_at_consent_years(self, subject: Subject) -> int:
        return age_years(born=subject.date_of_birth, on=subject.consent_date)

    def to_representation(self, subject: Subject) -> dict[str, Any]:
        data = super().to_representation(subject)
        if not _sees_personal_data(self.context, subject):
            for name in self.PERSONAL:
                data.pop(name, None)
        return data


def plain_value(value: object) -> object:
    """A stored value as JSON: dates ISO, decimals as text (exactly as stored), keys as text."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


class FieldValueSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField(help_text="The field's label in the request's language.")
    value = serializers.JSONField(allow_null=True)
    display = serializers.CharField(allow_null=True, help_text="A coded value's label.")


def crf_data_fields(model: type[CrfModel], hidden: frozenset[str]) -> list[models.Field]:
    """A form's own fields in its order: not the base columns, not those hidden from the user."""
    return [f for f in model._meta.concrete_fields if f.name not in CRF_BASE_FIELDS | hidden]


class CrfRowSerializer(SubjectRowSerializer):
    """One saved row of any registered CRF, generic from its model: every field with its label;
    identifying free text (the protocol's `identifying_fields`) left out for users who may not see
    personal data, as in the dataset exports."""

    id = serializers.UUIDField(read_only=True)
    visit_code = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    row_version = serializers.IntegerField(read_only=True)
    values = serializers.SerializerMethodField()

    @extend_schema_field(FieldValueSerializer(many=True))
    def get_values(self, row: CrfModel) -> list[dict[str, Any]]:
        out = []
        for field in crf_data_fields(type(row), self.hidden_fields(row)):
            value = getattr(row, field.attname)
            display = None
            if field.choices and value not in (None, ""):
                display = str(dict(field.flatchoices).get(value, value))
            out.append(
                {
                    "name": field.attname,
                    "label": str(field.verbose_name),
                    "value": plain_value(value),
                    "display": display,
                }
            )
        return out


class CrfSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    repeating = serializers.BooleanField()


class AuditEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    when = serializers.CharField(help_text="The time at the subject's site, labelled.")
    subject = serializers.CharField(help_text="Screening number.")
    form = serializers.CharField()
    user = serializers.CharField()
    role = serializers.CharField()
    action = serializers.CharField()
    reason = serializers.CharField()
    changes = serializers.SerializerMethodField()

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "old": {"type": "string"},
                    "new": {"type": "string"},
                },
                "required": ["field", "old", "new"],
            },
        }
    )
    def get_changes(self, entry: Any) -> list[dict[str, str]]:
        return [{"field": f, "old": old, "new": new} for f, old, new in entry.changes]


class DatasetExportSerializer(serializers.ModelSerializer):
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DatasetExport
        fields = [
            "id",
            "kind",
            "as_of",
            "status",
            "files_done",
            "files_total",
            "files",
            "sha256",
            "error",
            "requested_by",
            "created_at",
            "finished_at",
            "download_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, export: DatasetExport) -> str | None:
        if export.status != DatasetExport.Status.DONE or not export.file:
            return None
        study = self.context["access"].study
        path = reverse("api:dataset-export-download", args=[study.registry_id, export.pk])
        return self.context["request"].build_absolute_uri(path)
