"""Criterion labels: unique on every stratum's checklist, inclusion told from exclusion."""

from __future__ import annotations

import pytest

from screening.domain.eligibility import criterion_label
from tests.screening.domain.test_eligibility import DEFINITIONS

STRATA = [
    pytest.param(definition, stratum, id=f"{name}-{stratum}")
    for name, definition in DEFINITIONS.items()
    for stratum in definition.stratum_codes()
]


@pytest.mark.parametrize(("definition", "stratum"), STRATA)
def test_labels_are_unique_on_each_strata_checklist(definition, stratum):
    labels = [
        criterion_label(kind=c.kind, group=c.group, number=c.number)
        for c in definition.criteria_for(stratum)
    ]
    assert len(labels) == len(set(labels)), labels


@pytest.mark.parametrize(
    ("kind", "group", "number", "label"),
    [
        ("inclusion", "common", "2c", "I-2c"),
        ("exclusion", "common", "8", "E-8"),
        ("inclusion", "sle", "1", "I-SLE-1"),
        ("exclusion", "aav", "1", "E-AAV-1"),
    ],
)
def test_label_names_kind_group_and_number(kind, group, number, label):
    assert criterion_label(kind=kind, group=group, number=number) == label
