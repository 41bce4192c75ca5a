"""The scope a risk indicator is built for, in tests: every subject of the study, today."""

from django.utils import timezone

from edc.models import Subject
from edc.monitoring import MonitoringScope
from edc.selectors import protocol_definition


def scope_of(study, today=None) -> MonitoringScope:
    return MonitoringScope(
        study=study,
        definition=protocol_definition(study),
        subjects=Subject.objects.filter(study=study),
        today=today or timezone.now().date(),
        lang="en",
    )
