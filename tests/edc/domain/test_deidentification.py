"""Date shifting: one reproducible, never-zero offset per subject, applied to dates, datetimes
and ISO 8601 text at the precision it was written."""

import datetime as dt

import pytest

from edc.domain.deidentification import NO_SHIFT, DateShift, shift_offset

SHIFT = DateShift(secret=b"study secret", max_days=30)


def test_the_offset_is_the_same_for_the_same_subject_and_secret():
    assert shift_offset(b"study secret", "CT1192-01-001", 30) == SHIFT.days("CT1192-01-001")


def test_offsets_differ_between_subjects_and_are_never_zero():
    offsets = [SHIFT.days(f"CT1192-01-{n:03d}") for n in range(1, 201)]
    assert len(set(offsets)) > 20
    assert 0 not in offsets
    assert min(offsets) >= -30
    assert max(offsets) <= 30


def test_another_secret_gives_other_offsets():
    other = DateShift(secret=b"another secret", max_days=30)
    keys = [f"CT1192-01-{n:03d}" for n in range(1, 21)]
    assert [SHIFT.days(k) for k in keys] != [other.days(k) for k in keys]


def test_a_date_and_a_datetime_move_by_the_subjects_offset():
    days = dt.timedelta(days=SHIFT.days("S1"))
    moment = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    assert SHIFT.value("S1", dt.date(2026, 3, 2)) == dt.date(2026, 3, 2) + days
    assert SHIFT.value("S1", moment) == moment + days
    assert SHIFT.value("S1", 70) == 70


def test_iso_text_keeps_its_time_and_precision():
    days = dt.timedelta(days=SHIFT.days("S1"))
    moved = (dt.date(2026, 3, 2) + days).isoformat()
    assert SHIFT.iso_text("S1", "2026-03-02") == moved
    assert SHIFT.iso_text("S1", "2026-03-02T09:30") == f"{moved}T09:30"
    assert SHIFT.iso_text("S1", "2026-03-02T09:30:00+00:00") == f"{moved}T09:30:00+00:00"
    assert len(SHIFT.iso_text("S1", "2026-03")) == 7
    assert len(SHIFT.iso_text("S1", "2026")) == 4
    assert SHIFT.iso_text("S1", "") == ""
    assert SHIFT.iso_text("S1", "not a date") == "not a date"


def test_no_shift_leaves_every_date_as_recorded():
    assert NO_SHIFT.value("S1", dt.date(2026, 3, 2)) == dt.date(2026, 3, 2)
    assert NO_SHIFT.iso_text("S1", "2026-03-02") == "2026-03-02"


@pytest.mark.parametrize("days", [0, -1, 366])
def test_a_shift_outside_1_to_365_days_is_refused(days):
    with pytest.raises(ValueError, match="date shift"):
        shift_offset(b"k", "S1", days)
