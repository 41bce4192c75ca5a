"""The IEC-HS laboratory picture: which results show a feature (ASTCT 2023, clinical-rules §4)."""

from decimal import Decimal

from adverse_events.domain.iec_hs import Feature, LabValue, iec_hs_features


def _v(value, lln=None, uln=None):
    return LabValue(Decimal(value), Decimal(lln) if lln else None, Decimal(uln) if uln else None)


def test_a_ferritin_above_the_uln_is_hyperferritinaemia():
    assert iec_hs_features({"ferritin": _v("12000", "15", "150")}) == [Feature.HYPERFERRITINAEMIA]


def test_a_fibrinogen_below_the_lln_is_hypofibrinogenaemia():
    assert iec_hs_features({"fibrinogen": _v("1.1", "2.0", "4.0")}) == [Feature.HYPOFIBRINOGENAEMIA]


def test_a_value_on_the_limit_shows_no_feature():
    assert iec_hs_features({"ldh": _v("250", "120", "250")}) == []


def test_two_low_counts_are_one_cytopenia():
    latest = {"neutrophils": _v("0.4", "1.8", "6.3"), "platelets": _v("20", "125", "350")}
    assert iec_hs_features(latest) == [Feature.CYTOPENIA]


def test_a_limit_the_lab_does_not_give_cannot_be_crossed():
    assert iec_hs_features({"triglycerides": _v("9.0")}) == []
