"""The escalation dashboard's catalogue covers every code the cohort rules can emit."""

import re
from pathlib import Path

from django.utils import translation

import dosing.domain.cohorts as cohorts
from dosing.domain.cohorts import LEVEL_MESSAGE_CODES
from dosing.messages import CATALOGUE, RECOMMENDATION_LABELS

CODE_LITERAL = re.compile(r'"(level\.[a-z_]+)"')


def test_catalogue_translates_exactly_the_cohort_rules_codes():
    assert set(CATALOGUE) == LEVEL_MESSAGE_CODES


def test_every_code_written_in_the_cohort_rules_is_declared():
    source = Path(cohorts.__file__).read_text(encoding="utf-8")
    assert set(CODE_LITERAL.findall(source)) == LEVEL_MESSAGE_CODES


def test_every_sentence_and_recommendation_has_its_chinese():
    texts = {**CATALOGUE, **RECOMMENDATION_LABELS}
    english = {code: str(text) for code, text in texts.items()}
    with translation.override("zh-hans"):
        untranslated = [code for code, text in texts.items() if str(text) == english[code]]
    assert untranslated == []
