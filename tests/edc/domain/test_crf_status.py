import pytest

from edc.domain.crf_status import (
    CrfLocked,
    CrfStatus,
    IllegalCrfTransition,
    check_crf_transition,
    status_after_edit,
)


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        ("draft", "draft"),
        ("complete", "complete"),
        ("verified", "complete"),
        ("signed", "complete"),
    ],
)
def test_edit_undoes_verification_and_signature(current, expected):
    assert status_after_edit(current) is CrfStatus(expected)


def test_edit_is_refused_when_form_is_locked():
    with pytest.raises(CrfLocked, match="locked"):
        status_after_edit("locked")


def test_form_cannot_be_locked_before_it_is_signed():
    with pytest.raises(IllegalCrfTransition, match="complete form cannot become locked"):
        check_crf_transition("complete", "locked")


def test_signed_form_can_be_locked():
    assert check_crf_transition("signed", "locked") is CrfStatus.LOCKED
