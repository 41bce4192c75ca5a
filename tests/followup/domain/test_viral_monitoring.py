"""HBV-DNA monitoring is required for subjects HBsAg- or HBcAb-positive at screening."""

import pytest

from followup.domain.viral_monitoring import hbv_dna_monitoring


@pytest.mark.parametrize(
    ("hbsag", "hbcab", "required", "because"),
    [
        ("negative", "negative", False, ()),
        ("negative", "positive", True, ("hbcab",)),
        ("positive", "negative", True, ("hbsag",)),
        ("positive", "positive", True, ("hbsag", "hbcab")),
        ("", "", False, ()),
    ],
)
def test_monitoring_follows_the_positive_markers(hbsag, hbcab, required, because):
    decision = hbv_dna_monitoring(hbsag=hbsag, hbcab=hbcab)
    assert (decision.required, decision.because) == (required, because)


def test_an_unknown_result_is_refused_naming_the_marker():
    with pytest.raises(ValueError, match="hbcab"):
        hbv_dna_monitoring(hbsag="negative", hbcab="reactive")
