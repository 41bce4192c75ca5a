"""CTCAE terms carry their Chinese names; a Chinese reader sees them, others the English term."""

from django.utils import translation

from adverse_events.domain.terms import ctcae_terms
from adverse_events.models import ctcae_term_label


def test_every_term_of_the_list_has_a_chinese_name():
    assert [t.code for t in ctcae_terms().values() if not t.term_zh] == []


def test_a_chinese_reader_sees_the_chinese_name():
    with translation.override("zh-hans"):
        assert str(ctcae_term_label("cytokine_release_syndrome")) == "细胞因子释放综合征"


def test_an_english_reader_sees_the_ctcae_term():
    with translation.override("en"):
        assert str(ctcae_term_label("cytokine_release_syndrome")) == "Cytokine release syndrome"
