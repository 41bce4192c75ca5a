"""A study whose vital signs carry the protocol's edit checks, vital signs to save, and a
monitor's query to raise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from edc.crfs import crf_spec
from edc.roles import Role
from edc.services.crfs import crf_create, crf_update
from edc.services.data_queries import query_raise
from tests.edc.factories import MembershipFactory, StudyFactory, UserFactory, minimal_definition

VITAL_SIGN_CHECKS = [
    {"id": "weight_change", "kind": "cross_form", "field": "weight_kg",
     "reference": "previous_visit", "max_change_pct": 10,
     "message": "Weight changed by more than 10 %.", "message_zh": "体重变化超过10%。"},
    {"id": "heart_rate_range", "kind": "range", "field": "heart_rate_bpm", "min": 40, "max": 150,
     "message": "Heart rate out of range.", "message_zh": "心率超出范围。"},
]  # fmt: skip


def checked_study():
    definition = minimal_definition()
    definition["crfs"][0]["checks"] = VITAL_SIGN_CHECKS
    return StudyFactory(protocol=definition)


def vitals(**changes):
    return {
        "measured_on": dt.date(2026, 3, 1),
        "height_cm": Decimal("170.0"),
        "weight_kg": Decimal("70.0"),
        "heart_rate_bpm": 70,
        **changes,
    }


def save_vitals(subject, actor, visit="SCR", **changes):
    return crf_create(
        spec=crf_spec("vital_signs"),
        subject=subject,
        visit_code=visit,
        data=vitals(**changes),
        actor=actor,
    )


def correct_vitals(row, actor, **changes):
    return crf_update(
        row,
        spec=crf_spec("vital_signs"),
        data=changes,
        reason="Transcription error",
        expected_version=row.row_version,
        actor=actor,
    )


def raise_query(subject, *, field_name="weight_kg"):
    """A monitor of the subject's site asks about one field of the screening vital signs."""
    monitor = UserFactory()
    MembershipFactory(
        user=monitor, study=subject.study, study_site=subject.study_site, role=Role.MONITOR
    )
    return query_raise(
        subject=subject,
        visit_code="SCR",
        crf_code="vital_signs",
        field_name=field_name,
        text="Please confirm.",
        actor=monitor,
    )
