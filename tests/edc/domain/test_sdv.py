"""Which forms need source-data verification: the reproducible sample and the 100 % forms."""

import hashlib
import uuid
from pathlib import Path

import pytest
import yaml

from edc.domain.protocol import ProtocolDefinition
from edc.domain.sdv import (
    Progress,
    is_sampled,
    is_source_verified,
    requires_sdv,
    sample_draw,
)
from tests.edc.factories import minimal_definition

SUBJECTS = [str(uuid.UUID(int=i)) for i in range(4000)]


def test_the_draw_is_the_same_on_every_run():
    first = [sample_draw("NCT1", s, "vital_signs") for s in SUBJECTS[:50]]
    again = [sample_draw("NCT1", s, "vital_signs") for s in SUBJECTS[:50]]
    assert first == again


def test_the_draw_is_the_documented_hash():
    # SHA-256("NCT1|s1|vital_signs"), first 8 bytes big-endian, over 2**64.
    digest = hashlib.sha256(b"NCT1|s1|vital_signs").digest()
    assert sample_draw("NCT1", "s1", "vital_signs") == int.from_bytes(digest[:8], "big") / 2**64


def test_the_sample_holds_the_rate_of_the_forms():
    drawn = sum(is_sampled("NCT1", s, "vital_signs", 0.2) for s in SUBJECTS)
    assert 0.18 < drawn / len(SUBJECTS) < 0.22


def test_each_form_is_drawn_on_its_own():
    vitals = {s for s in SUBJECTS if is_sampled("NCT1", s, "vital_signs", 0.2)}
    labs = {s for s in SUBJECTS if is_sampled("NCT1", s, "lab_panel", 0.2)}
    assert vitals != labs


def test_raising_the_rate_only_adds_forms_to_the_sample():
    low = {s for s in SUBJECTS if is_sampled("NCT1", s, "vital_signs", 0.1)}
    high = {s for s in SUBJECTS if is_sampled("NCT1", s, "vital_signs", 0.3)}
    assert low < high


@pytest.mark.parametrize(("rate", "expected"), [(0.0, 0), (1.0, len(SUBJECTS))])
def test_rate_zero_draws_nothing_and_rate_one_everything(rate, expected):
    assert sum(is_sampled("NCT1", s, "vital_signs", rate) for s in SUBJECTS) == expected


def test_a_100_percent_form_is_required_for_every_subject_even_at_rate_zero():
    assert all(
        requires_sdv(
            full={"infusion"}, rate=0.0, registry_id="NCT1", subject_key=s, crf_code="infusion"
        )
        for s in SUBJECTS
    )


def test_a_form_is_verified_as_a_whole():
    assert is_source_verified(whole_form=True, fields=["a", "b"], verified_fields=set())


def test_a_form_is_verified_when_every_field_is():
    assert is_source_verified(whole_form=False, fields=["a", "b"], verified_fields={"a", "b"})


def test_a_form_with_a_field_left_is_not_verified():
    assert not is_source_verified(whole_form=False, fields=["a", "b"], verified_fields={"a"})


def test_progress_is_whole_per_cent_and_none_without_requirement():
    assert (Progress(3, 2).percent, Progress(0, 0).percent) == (66, None)


def test_the_plan_names_only_forms_of_the_protocol():
    definition = minimal_definition() | {"sdv": {"full": ["no_such_form"], "sampling_rate": 0.2}}
    with pytest.raises(ValueError, match=r"sdv\.full: unknown crfs"):
        ProtocolDefinition.model_validate(definition)


def test_without_a_plan_every_form_is_verified():
    assert ProtocolDefinition.model_validate(minimal_definition()).sdv.sampling_rate == 1.0


@pytest.mark.parametrize("path", sorted(Path("protocols").glob("*.yaml")), ids=lambda p: p.stem)
def test_both_protocols_verify_eligibility_dosing_safety_and_dlts_at_100_percent(path):
    definition = ProtocolDefinition.model_validate(yaml.safe_load(path.read_text()))
    assert set(definition.sdv.full) == {
        "eligibility",
        "lymphodepletion",
        "infusion",
        "adverse_event",
        "dlt_assessment",
    }
    assert 0 < definition.sdv.sampling_rate < 1
