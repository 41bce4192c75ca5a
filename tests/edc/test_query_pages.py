"""The query pages: monitors raise on a field, the site answers, only the raising role closes and
reopens; open queries show on the form, the casebook, the navigation and in My tasks."""

import pytest
from django.urls import reverse

from edc.data_queries import Query
from edc.roles import Role
from edc.services.data_queries import query_raise
from tests.edc.factories import SubjectFactory, UserFactory
from tests.edc.query_helpers import save_vitals

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject(site_a, stratum):
    return SubjectFactory(study_site=site_a, stratum=stratum)


@pytest.fixture
def monitor(site_a, member):
    return member(Role.MONITOR, study_site=site_a)


@pytest.fixture
def investigator(site_a, member):
    return member(Role.INVESTIGATOR, study_site=site_a)


@pytest.fixture
def vitals(subject):
    return save_vitals(subject, UserFactory())


@pytest.fixture
def query(subject, vitals, monitor):
    return query_raise(
        subject=subject, visit_code="SCR", crf_code="vital_signs", field_name="weight_kg",
        row_id=vitals.pk, text="Weight 70 kg? Source says 72 kg.", actor=monitor,
    )  # fmt: skip


def _detail(query):
    return reverse(
        "edc:query-detail", args=[query.subject.study.registry_id, query.subject_id, query.pk]
    )


def _crf(subject):
    return reverse("edc:crf", args=[subject.study.registry_id, subject.pk, "SCR", "vital_signs"])


def _step(client, user, query, action, text="ok"):
    client.force_login(user)
    return client.post(_detail(query), {"action": action, "text": text})


def test_a_monitor_raises_a_query_on_a_field_from_the_form(client, subject, vitals, monitor):
    client.force_login(monitor)
    url = reverse(
        "edc:query-raise", args=[subject.study.registry_id, subject.pk, "SCR", "vital_signs"]
    )
    client.post(f"{url}?row={vitals.pk}", {"field_name": "weight_kg", "text": "Please check."})
    query = Query.objects.get()
    assert (query.field_name, query.raised_role, query.status) == ("weight_kg", "monitor", "open")
    assert query.messages.get().text == "Please check."


def test_the_form_offers_monitors_a_raise_action_per_field(client, subject, vitals, monitor):
    client.force_login(monitor)
    page = client.get(_crf(subject)).content.decode()
    assert 'data-testid="raise-query-weight_kg"' in page


def test_the_form_offers_investigators_no_raise_action(client, subject, vitals, investigator):
    client.force_login(investigator)
    page = client.get(_crf(subject)).content.decode()
    assert "raise-query-" not in page


def test_an_open_query_is_flagged_on_its_field(client, subject, query, investigator):
    client.force_login(investigator)
    response = client.get(_crf(subject))
    assert response.context["form"].fields["weight_kg"].widget.attrs["data-open-queries"] == "1"


def test_the_investigator_answers_the_query(client, query, investigator):
    _step(client, investigator, query, "answer", "Corrected to 72 kg.")
    query.refresh_from_db()
    assert query.status == "answered"
    assert [m.action for m in query.messages.all()] == ["raise", "answer"]


def test_the_investigator_cannot_close_the_monitors_query(client, query, investigator):
    _step(client, investigator, query, "answer")
    response = _step(client, investigator, query, "close")
    assert response.status_code == 200  # the step is not offered: the form refuses it
    query.refresh_from_db()
    assert query.status == "answered"


def test_the_monitor_closes_the_answered_query(client, query, investigator, monitor):
    _step(client, investigator, query, "answer")
    _step(client, monitor, query, "close", "Confirmed against source.")
    query.refresh_from_db()
    assert query.status == "closed"


def test_the_monitor_reopens_a_closed_query(client, query, investigator, monitor):
    _step(client, investigator, query, "answer")
    _step(client, monitor, query, "close")
    _step(client, monitor, query, "reopen", "The source disagrees again.")
    query.refresh_from_db()
    assert query.status == "open"


def test_the_casebook_cell_counts_the_open_queries(client, subject, query, investigator):
    client.force_login(investigator)
    url = reverse("edc:subject-detail", args=[subject.study.registry_id, subject.pk])
    cell = client.get(url).context["grid"][0].cells[0]
    assert (cell.crf_code, cell.open_queries) == ("vital_signs", 1)


def test_the_navigation_counts_open_queries_at_the_users_sites(client, query, investigator):
    client.force_login(investigator)
    page = client.get(reverse("edc:study-home", args=[query.subject.study.registry_id]))
    assert 'data-testid="open-query-count">1<' in page.content.decode()


def test_an_open_query_is_a_task_of_the_investigator(client, query, investigator):
    client.force_login(investigator)
    tasks = list(client.get(reverse("edc:my-tasks")).context["page"])
    assert [t.url for t in tasks] == [_detail(query)]


def test_an_answered_query_is_no_task_of_the_investigator(client, query, investigator):
    _step(client, investigator, query, "answer")
    assert list(client.get(reverse("edc:my-tasks")).context["page"]) == []


def test_the_list_filters_by_status(client, query, investigator, monitor):
    _step(client, investigator, query, "answer")
    url = reverse("edc:query-list", args=[query.subject.study.registry_id])
    assert list(client.get(url, {"status": "open"}).context["page"]) == []
    assert list(client.get(url, {"status": "answered"}).context["page"]) == [query]


def test_a_garbled_filter_shows_its_error_and_no_500(client, query, investigator):
    client.force_login(investigator)
    url = reverse("edc:query-list", args=[query.subject.study.registry_id])
    response = client.get(url, {"older_than_days": "１０x"})
    assert response.status_code == 200
    assert "older_than_days" in response.context["form"].errors


def test_an_empty_answer_is_refused_on_the_form_and_changes_nothing(client, query, investigator):
    response = _step(client, investigator, query, "answer", "   ")
    assert response.context["form"].errors
    query.refresh_from_db()
    assert (query.status, query.messages.count()) == ("open", 1)
