"""The audit trail names every form and field in the reader's language.

The trail shows Django's verbose names; one not marked for translation (or a model without a
Meta verbose_name, named after its class) stays English on the Chinese pages. These tests walk
every subject-owned model, so a new model or field without a translated name fails here.
"""

import pytest
from django.utils import translation

from edc.audit_trail import field_choices, subject_owned_models

# Names that are the same in Chinese: the instruments' and tests' international acronyms, which
# Chinese clinicians use as written (the catalogue translates them to themselves).
SAME_IN_CHINESE = frozenset(
    {
        "BILAG-2004",
        "BVAS v3",
        "ESSDAI",
        "SLEDAI-2K",
        "MPO-ANCA",
        "PR3-ANCA",
        "DAS28-ESR",
        "DAS28-CRP",
        "CDAI",
        "HBsAg",
        "HBcAb",
        "HBV DNA",
        "HCV RNA",
    }
)

OWNED = sorted(subject_owned_models().items())


def _english(shown: dict[str, str]) -> dict[str, str]:
    """The names shown in Chinese that are still English (ASCII only) and not an acronym."""
    return {k: v for k, v in shown.items() if v.isascii() and v not in SAME_IN_CHINESE}


@pytest.mark.parametrize(("label", "owned"), OWNED, ids=[label for label, _o in OWNED])
def test_the_form_has_a_chinese_name(label, owned):
    meta = owned.model._meta
    with translation.override("zh-hans"):
        shown = {"singular": str(meta.verbose_name), "plural": str(meta.verbose_name_plural)}
    assert _english(shown) == {}


@pytest.mark.parametrize(("label", "owned"), OWNED, ids=[label for label, _o in OWNED])
def test_the_forms_plural_is_declared_not_made_up_by_appending_s(label, owned):
    meta = owned.model._meta
    with translation.override("zh-hans"):
        assert str(meta.verbose_name_plural) != f"{meta.verbose_name}s"


@pytest.mark.parametrize(("label", "owned"), OWNED, ids=[label for label, _o in OWNED])
def test_every_field_the_trail_shows_has_a_chinese_name(label, owned):
    with translation.override("zh-hans"):
        shown = dict(field_choices(label))
    assert shown
    assert _english(shown) == {}


def test_the_walk_covers_the_forms_of_every_clinical_app():
    apps = {owned.model._meta.app_label for _label, owned in OWNED}
    assert {"edc", "screening", "dosing", "adverse_events", "followup"} <= apps
