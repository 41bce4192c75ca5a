"""The catalogue of the eligibility engine's message codes: every code the engine can emit has a
translated sentence, and every explanation renders in English and in Chinese."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import translation

import screening.domain.eligibility as engine
from edc.domain.protocol import CATEGORICAL_TESTS
from screening.domain.eligibility import MESSAGE_CODES, EligibilityAssessment, Message
from screening.messages import CATALOGUE, RESULT_LABELS, evidence_line, render_message
from tests.screening.domain.test_eligibility import (
    ENROLMENT,
    SCREENING_MORNING,
    confirm,
    ct_patient,
    lab,
    measure,
    nct_patient,
    result,
)

CODE_LITERAL = re.compile(r'"((?:window|missing|rule|confirmation|applicability)\.[a-z_]+)"')


def test_catalogue_translates_exactly_the_engines_codes():
    assert set(CATALOGUE) == MESSAGE_CODES


def test_every_categorical_result_the_protocols_may_name_has_a_label():
    values = {value for values in CATEGORICAL_TESTS.values() for value in values}
    assert values - set(RESULT_LABELS) == set()


def test_every_code_written_in_the_engine_is_declared():
    source = Path(engine.__file__).read_text(encoding="utf-8")
    assert set(CODE_LITERAL.findall(source)) == MESSAGE_CODES


def _assessments() -> list[EligibilityAssessment]:
    """Subjects that between them make the engine say everything it can say."""
    nct, ct = nct_patient(), ct_patient()
    empty = replace(nct, labs={}, measures={}, results={}, confirmations={})
    refused = nct.with_(*(confirm(key, met=False) for key in nct.confirmations))
    return [
        nct.assess(),
        ct.assess(),
        empty.assess(),
        refused.assess(),
        replace(nct, sex="M", childbearing_potential=False).assess(),
        replace(nct, childbearing_potential=False).assess(),
        replace(nct, childbearing_potential=None).assess(),
        nct.with_(lab("alt", "30", "U/L", uln=None)).assess(),  # no ULN
        nct.with_(
            result("pregnancy_serum_hcg", "negative", on=ENROLMENT - timedelta(days=9))
        ).assess(),
        replace(ct, now=SCREENING_MORNING)
        .with_(result("pregnancy_serum_hcg", "negative", on=date(2026, 3, 1)))
        .assess(),  # a date without the time the 48-hour window needs
        replace(ct, confirmations={}).with_(measure("sledai2k", "4")).assess(),  # inc-8 judgement
        nct.with_(measure("age_at_consent_years", "16"), result("hbsag", "positive")).assess(),
    ]


def _messages() -> list[Message]:
    found = []
    for assessment in _assessments():
        for r in assessment.results:
            found.extend(r.messages)
            for e in r.evidence:
                found.extend(e.windows)
                found.extend([e.problem] if e.problem else [])
    return found


def test_the_sample_subjects_make_the_engine_emit_every_code():
    assert {m.code for m in _messages()} == MESSAGE_CODES


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_emitted_message_renders_without_a_missing_parameter(language):
    with translation.override(language):
        rendered = {render_message(m) for m in _messages()}
    assert all("%(" not in text for text in rendered)


def test_chinese_renders_every_code_in_chinese():
    english = {code: str(text) for code, text in CATALOGUE.items()}
    with translation.override("zh-hans"):
        untranslated = [code for code, text in CATALOGUE.items() if str(text) == english[code]]
    assert untranslated == []


def test_evidence_line_names_the_value_its_unit_date_and_window():
    assessment = nct_patient().assess()
    neutrophils = next(e for r in assessment.results for e in r.evidence if e.name == "neutrophils")
    with translation.override("en"):
        line = evidence_line(neutrophils)
    assert (line.label, line.value, line.rule) == ("Neutrophils (ANC)", "2.5 ×10⁹/L", "≥ 1 ×10⁹/L")
    assert line.when == neutrophils.observed_on.isoformat()
    assert line.in_window is True
