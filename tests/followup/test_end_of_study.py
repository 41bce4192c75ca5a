"""The end-of-study form through the generic CRF page, at the last visit of CT1192."""

import pytest
from django.urls import reverse

from edc.audit import system_user
from followup.models import EndOfStudy
from tests.adverse_events.journeys import infused_subject
from tests.hostile import log_in_investigator

WITHDRAWN = {"ending": "withdrawn", "end_date": "2026-11-02", "withdrawal_reason": "Moved away"}


@pytest.fixture
def url(db, client):
    subject = infused_subject(system_user())
    log_in_investigator(client, subject)
    return reverse("edc:crf", args=[subject.study.registry_id, subject.pk, "M24", "end_of_study"])


def test_a_withdrawal_is_recorded_with_its_reason(client, url):
    client.post(url, WITHDRAWN)
    assert EndOfStudy.objects.get().withdrawal_reason == "Moved away"


def test_a_withdrawal_without_a_reason_is_refused_on_the_reason(client, url):
    response = client.post(url, {**WITHDRAWN, "withdrawal_reason": ""})
    assert "withdrawal_reason" in response.context["form"].errors
    assert not EndOfStudy.objects.exists()


def test_a_death_is_recorded_with_its_date_and_cause(client, url):
    client.post(
        url,
        {"ending": "death", "end_date": "2026-10-01", "death_date": "2026-10-01",
         "death_cause": "Pneumonia"},
    )  # fmt: skip
    row = EndOfStudy.objects.get()
    assert (str(row.death_date), row.death_cause) == ("2026-10-01", "Pneumonia")


def test_a_death_without_its_date_and_cause_is_refused_on_both(client, url):
    response = client.post(url, {"ending": "death", "end_date": "2026-10-01"})
    assert {"death_date", "death_cause"} <= set(response.context["form"].errors)
    assert not EndOfStudy.objects.exists()


def test_a_date_of_death_after_the_end_date_is_refused_on_its_field(client, url):
    response = client.post(
        url,
        {"ending": "death", "end_date": "2026-10-01", "death_date": "2026-10-02",
         "death_cause": "Pneumonia"},
    )  # fmt: skip
    assert "death_date" in response.context["form"].errors
    assert not EndOfStudy.objects.exists()
