"""The follow-up schedule in the read API (/api/v1/studies/<id>/visits/), registered with the
core's API resources; the core scopes it to the subjects the user may see."""

from django.db.models import QuerySet
from rest_framework import serializers

from edc.api.resources import ApiResource, register_api_resource
from edc.api.serializers import SubjectRowSerializer
from edc.models import Subject
from followup.models import VisitInstance


class VisitSerializer(SubjectRowSerializer, serializers.ModelSerializer):
    class Meta:
        model = VisitInstance
        fields = [
            "id",
            "subject",
            "usubjid",
            "visit_code",
            "target_date",
            "window_start",
            "window_end",
            "state",
            "done_on",
            "deviation_days",
            "missed_reason",
            "not_applicable_reason",
            "row_version",
        ]


def _rows(subjects: QuerySet[Subject]) -> QuerySet[VisitInstance]:
    return (
        VisitInstance.objects.filter(subject__in=subjects)
        .select_related("subject")
        .order_by("subject_id", "target_date", "pk")
    )


def register() -> None:
    register_api_resource(
        ApiResource(
            path="visits",
            model=VisitInstance,
            serializer=VisitSerializer,
            rows=_rows,
            filters={
                "subject": ("subject_id", serializers.UUIDField(required=False)),
                "visit_code": ("visit_code", serializers.CharField(required=False, max_length=32)),
                "state": (
                    "state",
                    serializers.ChoiceField(choices=VisitInstance.State.choices, required=False),
                ),
                "target_from": ("target_date__gte", serializers.DateField(required=False)),
                "target_to": ("target_date__lte", serializers.DateField(required=False)),
            },
            description="The follow-up visits of the subjects the user may see: target date, "
            "window and what the site recorded.",
        )
    )
