"""The adverse-event log in the read API (/api/v1/studies/<id>/adverse-events/), registered with
the core's API resources; the core scopes it to the subjects the user may see."""

from django.db.models import QuerySet
from rest_framework import serializers

from adverse_events.models import AdverseEvent
from edc.api.resources import ApiResource, register_api_resource
from edc.api.serializers import SubjectRowSerializer
from edc.models import Subject


class AdverseEventSerializer(SubjectRowSerializer, serializers.ModelSerializer):
    class Meta:
        model = AdverseEvent
        fields = [
            "id",
            "subject",
            "usubjid",
            "visit_code",
            "status",
            "verbatim_term",
            "ctcae_term",
            "soc",
            "ctcae_version",
            "onset_date",
            "resolution_date",
            "study_day",
            "grade",
            "is_serious",
            "serious_death",
            "serious_life_threatening",
            "serious_hospitalisation",
            "serious_disability",
            "serious_congenital",
            "serious_important_medical",
            "relationship_cart",
            "relationship_lymphodepletion",
            "action_taken",
            "outcome",
            "aesi",
            "created_at",
            "updated_at",
            "row_version",
        ]


def _rows(subjects: QuerySet[Subject]) -> QuerySet[AdverseEvent]:
    return (
        AdverseEvent.objects.filter(subject__in=subjects)
        .select_related("subject")
        .order_by("subject_id", "onset_date", "created_at", "pk")
    )


def register() -> None:
    register_api_resource(
        ApiResource(
            path="adverse-events",
            model=AdverseEvent,
            serializer=AdverseEventSerializer,
            rows=_rows,
            filters={
                "subject": ("subject_id", serializers.UUIDField(required=False)),
                "grade": ("grade", serializers.IntegerField(required=False, min_value=1)),
                "serious": (
                    "is_serious",
                    serializers.BooleanField(required=False, allow_null=True),
                ),
            },
            description="The adverse events of the subjects the user may see, by onset.",
            crf_code="adverse_event",
        )
    )
