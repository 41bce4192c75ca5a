import datetime as dt

import pytest

from edc.domain.visits import visit_window


def test_window_is_centred_on_the_target_day():
    w = visit_window(anchor=dt.date(2026, 3, 1), day=7, window_before_days=1, window_after_days=2)
    assert (w.earliest, w.target, w.latest) == (
        dt.date(2026, 3, 7),
        dt.date(2026, 3, 8),
        dt.date(2026, 3, 10),
    )


def test_negative_day_is_before_the_anchor():
    w = visit_window(anchor=dt.date(2026, 3, 1), day=-5, window_before_days=0, window_after_days=0)
    assert w.target == dt.date(2026, 2, 24)


@pytest.mark.parametrize(
    ("day", "inside"),
    [(dt.date(2026, 3, 6), False), (dt.date(2026, 3, 7), True), (dt.date(2026, 3, 10), True),
     (dt.date(2026, 3, 11), False)],
)  # fmt: skip
def test_window_includes_both_edges(day, inside):
    w = visit_window(anchor=dt.date(2026, 3, 1), day=7, window_before_days=1, window_after_days=2)
    assert w.contains(day) is inside


def test_negative_window_is_refused():
    with pytest.raises(ValueError, match="window_before_days"):
        visit_window(anchor=dt.date(2026, 3, 1), day=7, window_before_days=-1, window_after_days=0)
