"""Edit checks run on every save: a failing check opens one system query on its field, and a
later save that passes closes it with a message in the thread."""

import pytest
from django.utils import translation

from edc.data_queries import Query
from tests.edc.factories import StratumFactory, StudySiteFactory, SubjectFactory, UserFactory
from tests.edc.query_helpers import checked_study, correct_vitals, save_vitals

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject():
    study = checked_study()
    return SubjectFactory(
        study_site=StudySiteFactory(study=study), stratum=StratumFactory(study=study, code="sle")
    )


def test_a_failing_range_check_opens_a_system_query_on_its_field(subject):
    row = save_vitals(subject, UserFactory(), heart_rate_bpm=190)
    query = Query.objects.get()
    assert (query.origin, query.status, query.field_name, query.row_id, query.check_id) == (
        "system", "open", "heart_rate_bpm", row.pk, "heart_rate_range"
    )  # fmt: skip
    assert query.messages.get().text_zh == "心率超出范围。"


def test_a_passing_form_opens_no_query(subject):
    save_vitals(subject, UserFactory())
    assert not Query.objects.exists()


def test_a_correction_that_passes_closes_the_system_query_with_a_message(subject):
    row = save_vitals(subject, UserFactory(), heart_rate_bpm=190)
    correct_vitals(row, UserFactory(), heart_rate_bpm=80)
    query = Query.objects.get()
    assert query.status == "closed"
    assert query.messages.last().text == "The edit check passes with the corrected data."


def test_a_correction_that_still_fails_opens_no_second_query(subject):
    row = save_vitals(subject, UserFactory(), heart_rate_bpm=190)
    correct_vitals(row, UserFactory(), heart_rate_bpm=195)
    assert Query.objects.filter(status="open").count() == 1


def test_a_weight_change_over_ten_percent_from_the_previous_visit_opens_a_query(subject):
    save_vitals(subject, UserFactory(), weight_kg=70)
    save_vitals(subject, UserFactory(), visit="D7", weight_kg=78)
    assert Query.objects.get().check_id == "weight_change"


def test_a_weight_change_within_ten_percent_opens_no_query(subject):
    save_vitals(subject, UserFactory(), weight_kg=70)
    save_vitals(subject, UserFactory(), visit="D7", weight_kg=76)
    assert not Query.objects.exists()


def test_the_system_message_reads_chinese_on_a_chinese_page(subject):
    save_vitals(subject, UserFactory(), heart_rate_bpm=190)
    with translation.override("zh-hans"):
        assert Query.objects.get().messages.get().display_text == "心率超出范围。"
