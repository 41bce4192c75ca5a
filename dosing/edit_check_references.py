"""The values of dosing forms that the protocol's cross-form edit checks compare with
(edc/edit_checks.py): the last lymphodepletion day, and the CAR+ cells the subject's assigned
dose level plans for the infused weight."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dosing.domain.infusion import planned_cells
from dosing.models import DoseAssignment
from dosing.services import last_lymphodepletion_date
from edc.domain.protocol import ProtocolDefinition
from edc.edit_checks import register_check_reference
from edc.models import CrfModel


def lymphodepletion_last_day(
    instance: CrfModel, definition: ProtocolDefinition, field: str
) -> dt.date | None:
    return last_lymphodepletion_date(instance.subject)


def assigned_dose_cells(
    instance: CrfModel, definition: ProtocolDefinition, field: str
) -> Decimal | None:
    """The planned CAR+ cells of the assigned level, for the weight recorded on the form."""
    assignment = DoseAssignment.objects.filter(subject_id=instance.subject_id).first()
    weight = getattr(instance, "weight_kg", None)
    if assignment is None or weight is None:
        return None
    level = next(
        (d for d in definition.escalation.dose_levels if d.level == assignment.dose_level), None
    )
    return None if level is None else planned_cells(level=level, weight_kg=weight)


def register() -> None:
    register_check_reference("lymphodepletion_last_day", lymphodepletion_last_day)
    register_check_reference("assigned_dose_cells", assigned_dose_cells)
