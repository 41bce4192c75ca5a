"""The protocol's DLT rules applied to adverse events (CT1192's rules as stated there)."""

from decimal import Decimal
from pathlib import Path

import pytest

from adverse_events.domain.dlt import ToxicityEvent, dlt_candidates
from edc.domain.protocol import load_protocol_file

ESCALATION = load_protocol_file(Path(__file__).resolve().parents[3] / "protocols" / "ct1192.yaml")[
    0
].escalation


def _rules_hit(**event) -> list[str]:
    fields = {"ref": "ae-1", "onset_day": 3, **event}
    found = dlt_candidates(
        rules=ESCALATION.dlt_rules,
        window_days=ESCALATION.dlt_window_days,
        events=[ToxicityEvent(**fields)],
    )
    return [c.rule_id for c in found if not c.pending]


@pytest.mark.parametrize(("hours", "expected"), [(Decimal(72), []), (Decimal("72.5"), ["dlt-crs"])])
def test_grade_3_crs_is_a_dlt_only_when_it_lasts_over_72_hours(hours, expected):
    assert _rules_hit(category="crs", grade=3, duration_hours=hours) == expected


def test_grade_4_crs_is_also_a_non_haematological_dlt():
    hit = _rules_hit(category="crs", grade=4, duration_hours=Decimal(10))
    assert hit == ["dlt-non-hematologic"]


@pytest.mark.parametrize(("grade", "expected"), [(2, []), (3, ["dlt-icans"])])
def test_icans_is_a_dlt_from_grade_3(grade, expected):
    assert _rules_hit(category="icans", grade=grade) == expected


def test_ongoing_crs_below_72_hours_is_pending():
    found = dlt_candidates(
        rules=ESCALATION.dlt_rules,
        window_days=28,
        events=[ToxicityEvent("ae-1", "crs", 3, 2, None, Decimal(30))],
    )
    assert [(c.rule_id, c.pending) for c in found] == [("dlt-crs", True)]


def test_ongoing_crs_past_72_hours_is_a_dlt():
    assert _rules_hit(category="crs", grade=3, hours_so_far=Decimal(80)) == ["dlt-crs"]


@pytest.mark.parametrize(("day", "expected"), [(28, ["dlt-icans"]), (29, []), (-1, [])])
def test_only_events_starting_inside_the_window_count(day, expected):
    assert _rules_hit(category="icans", grade=3, onset_day=day) == expected


@pytest.mark.parametrize(
    ("hours", "expected"), [(Decimal(672), []), (Decimal(673), ["dlt-hematologic"])]
)
def test_grade_4_cytopenia_counts_after_28_days(hours, expected):
    assert _rules_hit(category="hematologic", grade=4, duration_hours=hours) == expected


def test_grade_4_cytopenia_is_not_a_non_haematological_dlt():
    assert _rules_hit(category="hematologic", grade=4, duration_hours=Decimal(1)) == []


def test_death_from_any_cause_in_the_window_is_a_dlt():
    hit = _rules_hit(category="infection", grade=5)
    assert hit == ["dlt-non-hematologic", "dlt-death"]


def test_grade_3_gvhd_is_a_dlt():
    assert _rules_hit(category="gvhd", grade=3) == ["dlt-gvhd"]


def test_unknown_category_is_refused():
    with pytest.raises(ValueError, match="category"):
        _rules_hit(category="mood", grade=3)


def test_grade_outside_1_to_5_is_refused():
    with pytest.raises(ValueError, match="grade"):
        _rules_hit(category="crs", grade=6)
