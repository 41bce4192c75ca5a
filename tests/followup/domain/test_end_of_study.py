"""What each way of ending the study must record, without a database."""

import datetime as dt

import pytest

from followup.domain.end_of_study import Ending, Problem, end_of_study_problems, ends_visit

END = dt.date(2027, 5, 6)


def _problems(ending, **given):
    fields = {"withdrawal_reason": "", "death_date": None, "death_cause": ""} | given
    return end_of_study_problems(ending, end_date=END, **fields)


def test_a_completion_needs_nothing_more():
    assert _problems(Ending.COMPLETED) == {}


def test_a_withdrawal_needs_its_reason():
    assert _problems(Ending.WITHDRAWN) == {"withdrawal_reason": Problem.REQUIRED}


def test_a_death_needs_its_date_and_cause():
    assert _problems(Ending.DEATH) == {
        "death_date": Problem.REQUIRED,
        "death_cause": Problem.REQUIRED,
    }


def test_a_death_after_the_end_of_the_study_is_refused():
    problems = _problems(Ending.DEATH, death_date=END + dt.timedelta(days=1), death_cause="Sepsis")
    assert problems == {"death_date": Problem.AFTER_END}


def test_a_death_on_the_end_date_fits():
    assert _problems(Ending.DEATH, death_date=END, death_cause="Sepsis") == {}


def test_a_completed_subject_has_no_cause_of_death():
    assert _problems(Ending.COMPLETED, death_cause="Sepsis") == {
        "death_cause": Problem.NOT_APPLICABLE
    }


def test_lost_to_follow_up_has_no_withdrawal_reason():
    assert _problems(Ending.LOST_TO_FOLLOW_UP, withdrawal_reason="Moved") == {
        "withdrawal_reason": Problem.NOT_APPLICABLE
    }


def test_completing_the_main_study_does_not_end_the_long_term_follow_up():
    assert not ends_visit(ending=Ending.COMPLETED, recorded_in_phase="main", visit_phase="ltfu")


def test_completing_the_main_study_ends_its_own_later_visits():
    assert ends_visit(ending=Ending.COMPLETED, recorded_in_phase="main", visit_phase="main")


@pytest.mark.parametrize("ending", [Ending.WITHDRAWN, Ending.DEATH, Ending.LOST_TO_FOLLOW_UP])
def test_any_other_ending_ends_the_long_term_follow_up(ending):
    assert ends_visit(ending=ending, recorded_in_phase="main", visit_phase="ltfu")


def test_the_end_of_the_long_term_phase_ends_its_visits():
    assert ends_visit(ending=Ending.COMPLETED, recorded_in_phase="ltfu", visit_phase="ltfu")
