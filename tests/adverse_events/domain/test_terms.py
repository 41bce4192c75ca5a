from adverse_events.domain.ctcae import TERMS
from adverse_events.domain.dlt import CATEGORIES
from adverse_events.domain.terms import ctcae_terms


def test_every_term_belongs_to_a_dlt_category():
    assert {t.category for t in ctcae_terms().values()} <= CATEGORIES


def test_crs_and_icans_terms_are_in_their_categories():
    terms = ctcae_terms()
    assert (terms["cytokine_release_syndrome"].category, terms["icans"].category) == (
        "crs",
        "icans",
    )


def test_every_term_has_a_system_organ_class():
    assert all(t.soc for t in ctcae_terms().values())


def test_every_computed_lab_grade_term_is_in_the_ae_term_list():
    assert set(TERMS) <= set(ctcae_terms())
