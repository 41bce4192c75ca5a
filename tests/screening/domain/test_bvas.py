"""BVAS v3 scoring from items: systems capped at their maxima, persistent-only systems."""

import pytest

from screening.domain.bvas import MAX_NEW_WORSE, MAX_PERSISTENT, SYSTEMS, bvas_items, bvas_v3_score
from tests.vectors import resolve, vector_params


def test_the_form_has_56_items_in_9_systems():
    items = bvas_items()
    assert (len(items), len({i.system for i in items.values()})) == (56, len(SYSTEMS))


def test_section_maxima_add_up_to_the_published_totals():
    assert (MAX_NEW_WORSE, MAX_PERSISTENT) == (63, 33)


def test_no_items_score_zero():
    assert (bvas_v3_score(items={}).new_worse, bvas_v3_score(items={}).persistent) == (0, 0)


def test_a_system_is_capped_at_its_maximum():
    renal = {code: "new_worse" for code, i in bvas_items().items() if i.system == "renal"}
    renal.pop("creatinine_250_499"), renal.pop("creatinine_500")
    assert bvas_v3_score(items=renal).new_worse == 12


def test_every_item_ticked_new_reaches_the_maximum_of_63():
    everything = dict.fromkeys(bvas_items(), "new_worse")
    everything.pop("creatinine_250_499"), everything.pop("creatinine_500")
    assert bvas_v3_score(items=everything).new_worse == 63


def test_a_system_with_only_persistent_items_scores_in_the_persistent_column():
    score = bvas_v3_score(items={"wheeze": "persistent", "infiltrate": "persistent"})
    assert (score.new_worse, score.persistent) == (0, 3)


def test_one_new_item_puts_the_whole_system_in_the_new_column():
    score = bvas_v3_score(items={"wheeze": "new_worse", "infiltrate": "persistent"})
    assert (score.new_worse, score.persistent) == (6, 0)


@pytest.mark.parametrize(
    ("items", "match"),
    [
        ({"telepathy": "new_worse"}, "unknown BVAS v3 item"),
        ({"wheeze": "maybe"}, "not persistent or new_worse"),
        ({"nodules": "persistent"}, "cannot be scored as persistent"),
    ],
)
def test_bad_items_are_refused_naming_the_argument(items, match):
    with pytest.raises(ValueError, match=f"items: .*{match}"):
        bvas_v3_score(items=items)


def test_new_renal_with_persistent_ent_scores_15_in_the_new_worse_column():
    """Issue 9 correction 4 (BVAS v3 form, Mukhtyar 2009): once any item is new or worse, every
    ticked item is scored in the new/worse column; persistent ENT disease adds its 3 points."""
    renal = {code: "new_worse" for code, i in bvas_items().items() if i.system == "renal"}
    renal.pop("creatinine_250_499"), renal.pop("creatinine_500")
    score = bvas_v3_score(items={**renal, "conductive_hearing_loss": "persistent"})
    assert (score.new_worse, score.persistent) == (15, 0)
    assert score.by_system["ent"] == ("new_worse", 3)


def test_the_persistent_total_applies_only_when_all_activity_is_persistent():
    score = bvas_v3_score(items={"conductive_hearing_loss": "persistent", "myalgia": "persistent"})
    assert (score.new_worse, score.persistent) == (0, 2)


def test_two_creatinine_bands_are_refused_as_one_finding():
    with pytest.raises(ValueError, match="items: serum creatinine is one band"):
        bvas_v3_score(items={"creatinine_125_249": "new_worse", "creatinine_500": "new_worse"})


@pytest.mark.parametrize("vector", vector_params("bvas_v3_total"))
def test_bvas_total_matches_the_vector(vector):
    result = resolve(vector["function"])(**vector["kwargs"])
    assert {k: getattr(result, k) for k in vector["expected"]} == vector["expected"]
