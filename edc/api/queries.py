"""The study's data queries in the API, each with its thread of messages: the query pages' reads
(edc.query_selectors), so a user reads here the queries their query list shows them, filtered
as that list is."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from edc import query_selectors
from edc.api.views import REGISTRY_ID, StudyScoped
from edc.data_queries import Query, QueryMessage
from edc.dataset_files import usubjid
from edc.domain.query_workflow import QueryOrigin, QueryStatus
from edc.roles import Perm


class QueryMessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = QueryMessage
        fields = ["id", "created_at", "role", "action", "text", "text_zh"]


class QuerySerializer(serializers.ModelSerializer):
    usubjid = serializers.SerializerMethodField()
    site_number = serializers.CharField(source="subject.study_site.site_number", read_only=True)
    messages = QueryMessageSerializer(many=True, read_only=True)

    class Meta:
        model = Query
        fields = [
            "id",
            "subject",
            "usubjid",
            "site_number",
            "visit_code",
            "crf_code",
            "row_id",
            "field_name",
            "origin",
            "check_id",
            "raised_role",
            "status",
            "created_at",
            "updated_at",
            "messages",
        ]

    def get_usubjid(self, query: Query) -> str:
        return usubjid(self.context["access"].study, query.subject)


class QueryFilterSerializer(serializers.Serializer):
    """The query list page's filters (edc.query_selectors.query_search)."""

    status = serializers.ChoiceField(choices=[s.value for s in QueryStatus], required=False)
    origin = serializers.ChoiceField(choices=[o.value for o in QueryOrigin], required=False)
    site = serializers.UUIDField(required=False, help_text="A study site's id.")
    subject = serializers.CharField(
        required=False, max_length=40, help_text="Part of the screening number or subject id."
    )


@extend_schema(tags=["data queries"], parameters=[REGISTRY_ID])
@extend_schema_view(list=extend_schema(parameters=[QueryFilterSerializer]))
class QueryViewSet(StudyScoped, viewsets.ReadOnlyModelViewSet):
    """The study's data queries at the sites whose subjects the user sees (as the query pages),
    oldest first, each with its messages."""

    perm = Perm.VIEW_SUBJECTS
    serializer_class = QuerySerializer
    queryset = Query.objects.none()

    def get_queryset(self) -> QuerySet[Query]:
        if getattr(self, "swagger_fake_view", False):
            return Query.objects.none()
        qs = query_selectors.query_list_for_user(self.access).prefetch_related(
            Prefetch("messages", queryset=QueryMessage.objects.order_by("created_at", "pk"))
        )
        if self.action == "list":
            qs = self._searched(qs)
        return qs.order_by("created_at", "pk")

    def _searched(self, qs: QuerySet[Query]) -> QuerySet[Query]:
        parsed = QueryFilterSerializer(data=self.request.query_params.dict())
        if not parsed.is_valid():
            raise ValidationError(parsed.errors)
        data: dict[str, Any] = parsed.validated_data
        return query_selectors.query_search(
            qs,
            study_site_id=data.get("site"),
            subject=data.get("subject", "").strip(),
            status=data.get("status", ""),
            origin=data.get("origin", ""),
        )
