"""Key risk indicators: rates, medians, the study's measure and the stand-out rule."""

from edc.domain.risk_indicators import (
    Kind,
    Measure,
    StandOutRule,
    compare,
    median,
    rate,
    study_measure,
    value,
)

RULE = StandOutRule(ratio=1.5, min_events=3)


def test_a_rate_is_events_over_the_base():
    assert rate(6, 4) == 1.5


def test_a_rate_without_a_base_is_unknown():
    assert rate(0, 0) is None


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two():
    assert median([9, 1, 3, 5]) == 4


def test_the_median_of_nothing_is_unknown():
    assert median([]) is None


def test_the_study_measure_adds_every_site_events_bases_and_values():
    sites = [Measure(2, 4, (1.0,)), Measure(6, 2, (7.0, 3.0))]
    assert study_measure(sites) == Measure(8, 6, (1.0, 7.0, 3.0))


def test_a_median_measure_counts_its_values_as_events():
    measure = Measure.of_values([4, 10, 6])
    assert (measure.events, value(Kind.MEDIAN, measure)) == (3, 6)


def test_a_site_above_the_ratio_with_enough_events_stands_out():
    site, study = Measure(6, 2), Measure(8, 6)  # 3.0 against 1.33: 2.25 times
    finding = compare(Kind.RATE, site, study, RULE)
    assert finding.stands_out
    assert round(finding.ratio, 2) == 2.25


def test_a_site_above_the_ratio_on_too_few_events_does_not_stand_out():
    site, study = Measure(2, 1), Measure(3, 6)  # 2.0 against 0.5, but 2 events only
    assert not compare(Kind.RATE, site, study, RULE).stands_out


def test_a_site_at_exactly_the_ratio_does_not_stand_out():
    site, study = Measure(3, 2), Measure(6, 6)  # 1.5 against 1.0
    assert not compare(Kind.RATE, site, study, RULE).stands_out


def test_a_site_with_events_where_the_study_rate_is_zero_elsewhere_compares_with_the_total():
    site, study = Measure(3, 1), Measure(3, 10)  # 3.0 against 0.3
    assert compare(Kind.RATE, site, study, RULE).stands_out


def test_a_site_with_a_long_median_stands_out():
    site = Measure.of_values([20, 30, 40])
    study = study_measure([site, Measure.of_values([2, 3, 4, 5, 6])])  # median 5.5
    finding = compare(Kind.MEDIAN, site, study, RULE)
    assert (finding.site_value, finding.study_value, finding.stands_out) == (30, 5.5, True)
