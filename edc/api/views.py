"""The API's views: read-only, each through the pages' gate (edc.decorators.study_gate) and the
pages' selectors, so a user reads here exactly what their pages show them."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from edc import audit_trail, selectors
from edc.api import serializers as out
from edc.api.pagination import TrailPagination
from edc.api.resources import ApiResource
from edc.casebook import crf_display_name
from edc.crfs import crf_spec, registered_specs
from edc.dataset_views import require_all_sites
from edc.datasets import DatasetExport
from edc.decorators import study_gate
from edc.models import ProtocolVersion, Study, Subject
from edc.roles import Perm

REGISTRY_ID = OpenApiParameter("registry_id", str, OpenApiParameter.PATH)


class StudyScoped(viewsets.GenericViewSet):
    """A view of one study's data: `perm` at some site of it, else 403 (404 for a non-member)."""

    perm: Perm = Perm.VIEW_STUDY
    lookup_value_regex = "[^/]+"
    filters: dict[str, tuple[str, serializers.Field]] = {}

    def initial(self, request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.study, self.access = study_gate(request.user, kwargs["registry_id"], self.perm)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if hasattr(self, "access"):
            context["access"] = self.access
        return context

    def filtered(self, qs: QuerySet) -> QuerySet:
        """`qs` narrowed by the query's filters (each parsed by its field; a bad one is a 400)."""
        if self.action != "list" or not self.filters:
            return qs
        parsed = _filter_serializer(self.filters)(data=self.request.query_params.dict())
        if not parsed.is_valid():
            raise ValidationError(parsed.errors)
        for name, value in parsed.validated_data.items():
            lookup = self.filters[name][0]
            if lookup and value is not None and value != "":
                qs = qs.filter(**{lookup: value})
        return qs

    def subjects(self) -> QuerySet[Subject]:
        return selectors.subject_list_for_user(self.access)

    def identifying_fields(self, crf_code: str) -> frozenset[str]:
        """The protocol's identifying free-text fields of a form (edc/dataset_files.py)."""
        for crf in selectors.protocol_definition(self.study).crfs:
            if crf.code == crf_code:
                return frozenset(crf.identifying_fields)
        return frozenset()


def _filter_serializer(filters: dict[str, tuple[str, serializers.Field]]) -> type:
    fields = {name: field for name, (_lookup, field) in filters.items()}
    return type("Filters", (serializers.Serializer,), fields)


def _with_filters(filters: dict[str, tuple[str, serializers.Field]]):
    """Document a list's filters as its query parameters."""
    return extend_schema_view(list=extend_schema(parameters=[_filter_serializer(filters)]))


@extend_schema(tags=["studies"])
class StudyViewSet(viewsets.ReadOnlyModelViewSet):
    """The studies the user is a member of."""

    serializer_class = out.StudySerializer
    lookup_field = "registry_id"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[Study]:
        current = ProtocolVersion.objects.filter(is_current=True)
        return (
            selectors.study_list_for_user(self.request.user)
            .prefetch_related(Prefetch("protocol_versions", queryset=current))
            .order_by("registry_id")
        )


SUBJECT_FILTERS = {
    "q": ("", serializers.CharField(required=False, max_length=40)),
    "site": ("study_site_id", serializers.UUIDField(required=False)),
    "status": ("status", serializers.CharField(required=False, max_length=30)),
    "stratum": ("stratum__code", serializers.CharField(required=False, max_length=20)),
}


@extend_schema(tags=["subjects"], parameters=[REGISTRY_ID])
@_with_filters(SUBJECT_FILTERS)
class SubjectViewSet(StudyScoped, viewsets.ReadOnlyModelViewSet):
    """Subjects at the sites the user may see; personal data only to those who may see it."""

    perm = Perm.VIEW_SUBJECTS
    serializer_class = out.SubjectSerializer
    filters = SUBJECT_FILTERS
    queryset = Subject.objects.none()

    def get_queryset(self) -> QuerySet[Subject]:
        qs = self.filtered(self.subjects())
        if self.action == "list":  # the list page's search: screening number or subject id
            qs = selectors.subject_search(qs, text=self.request.query_params.get("q", "").strip())
        return qs.order_by("study_site__site_number", "screening_number", "pk")


CRF_FILTERS = {
    "subject": ("subject_id", serializers.UUIDField(required=False)),
    "visit_code": ("visit_code", serializers.CharField(required=False, max_length=20)),
}
CRF_CODE = OpenApiParameter("crf_code", str, OpenApiParameter.PATH)


@extend_schema(tags=["crf data"], parameters=[REGISTRY_ID])
class CrfViewSet(StudyScoped, viewsets.ReadOnlyModelViewSet):
    """The forms of the study's protocol that the product implements (the CRF registry)."""

    perm = Perm.VIEW_SUBJECTS
    serializer_class = out.CrfSerializer
    lookup_field = "code"
    pagination_class = None

    def _forms(self) -> list[dict[str, Any]]:
        definition = selectors.protocol_definition(self.study)
        lang = translation.get_language() or "en"
        registered = {spec.code: spec for spec in registered_specs()}
        return [
            {
                "code": crf.code,
                "name": crf_display_name(definition, crf.code, lang),
                "repeating": registered[crf.code].repeating,
            }
            for crf in definition.crfs
            if crf.code in registered
        ]

    def list(self, request, *args: Any, **kwargs: Any) -> Response:
        return Response(self.get_serializer(self._forms(), many=True).data)

    def retrieve(self, request, *args: Any, **kwargs: Any) -> Response:
        found = [f for f in self._forms() if f["code"] == kwargs["code"]]
        if not found:
            raise NotFound
        return Response(self.get_serializer(found[0]).data)


@extend_schema(tags=["crf data"], parameters=[REGISTRY_ID, CRF_CODE])
@_with_filters(CRF_FILTERS)
class CrfRowViewSet(StudyScoped, viewsets.ReadOnlyModelViewSet):
    """The saved rows of one form, of the subjects the user may see: every field with its label
    (generic from the CRF registry; a new form needs no code here)."""

    perm = Perm.VIEW_SUBJECTS
    serializer_class = out.CrfRowSerializer
    filters = CRF_FILTERS

    def _spec(self):
        spec = crf_spec(self.kwargs["crf_code"])
        codes = {crf.code for crf in selectors.protocol_definition(self.study).crfs}
        if spec is None or spec.code not in codes:
            raise NotFound
        return spec

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return Subject.objects.none()
        spec = self._spec()
        rows = spec.model.objects.filter(subject__in=self.subjects()).select_related("subject")
        return self.filtered(rows).order_by("subject_id", "visit_code", "created_at", "pk")

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if hasattr(self, "study"):
            context["identifying_fields"] = self.identifying_fields(self.kwargs["crf_code"])
        return context


class AuditFilterSerializer(serializers.Serializer):
    subject = serializers.CharField(required=False, max_length=40, help_text="Screening number.")
    site = serializers.UUIDField(required=False)
    form = serializers.CharField(required=False, max_length=100, help_text="A model label.")
    action = serializers.ChoiceField(choices=list(audit_trail.ACTIONS), required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


@extend_schema(tags=["audit trail"], parameters=[REGISTRY_ID, AuditFilterSerializer])
class AuditTrailViewSet(StudyScoped, mixins.ListModelMixin):
    """The study's audit trail within the sites the user may audit, newest first, with personal
    data masked for those who may not see it at every site (as the audit-trail page)."""

    perm = Perm.VIEW_AUDIT_TRAIL
    serializer_class = out.AuditEntrySerializer
    pagination_class = TrailPagination

    def list(self, request, *args: Any, **kwargs: Any) -> Response:
        parsed = AuditFilterSerializer(data=request.query_params.dict())
        if not parsed.is_valid():
            raise ValidationError(parsed.errors)
        data = parsed.validated_data
        if data.get("form") and data["form"] not in audit_trail.subject_owned_models():
            raise ValidationError({"form": ["Not a form of the audit trail."]})
        ids = self.access.study_site_ids(Perm.VIEW_AUDIT_TRAIL)
        sites = None if ids is None else frozenset(ids)
        if data.get("site"):
            sites = frozenset({data["site"]} if sites is None else {data["site"]} & sites)
        scope = audit_trail.TrailFilter(
            study_site_ids=sites,
            subject_number=data.get("subject", "").strip(),
            form=data.get("form", ""),
            action=data.get("action", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        rows = audit_trail.trail_rows(self.study.pk, scope)
        page = self.paginate_queryset(rows)
        entries = audit_trail.trail_entries(
            self.study.pk, page, show_personal_data=self.access.can(Perm.VIEW_PERSONAL_DATA)
        )
        return self.get_paginated_response(self.get_serializer(entries, many=True).data)


@extend_schema(tags=["dataset exports"], parameters=[REGISTRY_ID])
class DatasetExportViewSet(StudyScoped, viewsets.ReadOnlyModelViewSet):
    """The study's dataset exports (who asked, as of when, each file's rows and SHA-256) and the
    zip of a finished one: for those who may export at every site, as the Datasets page."""

    perm = Perm.EXPORT_DATASETS
    serializer_class = out.DatasetExportSerializer
    queryset = DatasetExport.objects.none()

    def initial(self, request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        require_all_sites(self.access)

    def get_queryset(self) -> QuerySet[DatasetExport]:
        return DatasetExport.objects.filter(study=self.study).select_related("requested_by")

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, "The stored zip.")
        }
    )
    @action(detail=True)
    def download(self, request, *args: Any, **kwargs: Any) -> FileResponse:
        export = self.get_object()
        if export.status != DatasetExport.Status.DONE or not export.file:
            raise Http404
        return FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=export.download_name,
            content_type="application/zip",
        )


def resource_viewset(resource: ApiResource) -> type:
    """A list and detail view of a resource an app registered, over the subjects the user may
    see (edc.selectors.subject_list_for_user)."""

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return resource.model.objects.none()
        return self.filtered(resource.rows(self.subjects()))

    def get_serializer_context(self) -> dict[str, Any]:
        context = StudyScoped.get_serializer_context(self)
        if hasattr(self, "study") and resource.crf_code:
            context["identifying_fields"] = self.identifying_fields(resource.crf_code)
        return context

    viewset = type(
        f"{resource.model.__name__}ViewSet",
        (StudyScoped, viewsets.ReadOnlyModelViewSet),
        {
            "perm": Perm.VIEW_SUBJECTS,
            "serializer_class": resource.serializer,
            "filters": resource.filters,
            "queryset": resource.model.objects.none(),
            "get_queryset": get_queryset,
            "get_serializer_context": get_serializer_context,
            "__doc__": resource.description,
        },
    )
    if resource.filters:
        viewset = _with_filters(resource.filters)(viewset)
    return extend_schema(tags=[resource.path], parameters=[REGISTRY_ID])(viewset)
