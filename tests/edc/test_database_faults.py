"""PostgreSQL dropping the application's connection: the next request works, a save is all or
nothing, and the user sees the error page, not a traceback."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import Client, RequestFactory
from django.urls import reverse

from edc.roles import Role
from screening.models import VitalSigns
from tests.edc.factories import SubjectFactory
from tests.edc.test_crf_views import VITALS

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _terminate(backend_pid: int) -> None:
    """End a backend from another connection, as a restart or failover would, and wait for it."""
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [backend_pid])
    finally:
        other.close()


def _served(path: str, client: Client) -> int:
    """GET `path` through the WSGI application as gunicorn calls it, with the client's session.

    Unlike the test client, this sends the request signals that close or check a kept
    connection, so it sees what a user would after the database dropped the connection.
    """
    cookies = client.cookies.output(header="", sep=";")
    environ = RequestFactory().get(path, HTTP_COOKIE=cookies).environ
    statuses: list[str] = []

    def start_response(status: str, headers, exc_info=None) -> None:
        statuses.append(status)

    WSGIHandler()(environ, start_response).close()
    return int(statuses[0].split()[0])


def test_request_after_the_database_dropped_the_kept_connection_succeeds(client, study, member):
    client.force_login(member(Role.DATA_MANAGER))
    home = reverse("edc:study-home", args=[study.registry_id])
    assert _served(home, client) == 200
    _terminate(_backend_pid())
    assert _served(home, client) == 200


def test_connection_dropped_during_a_save_shows_the_error_page_and_saves_nothing(
    site_a, stratum, member, monkeypatch
):
    subject = SubjectFactory(study_site=site_a, stratum=stratum)
    client = Client(raise_request_exception=False)
    client.force_login(member(Role.INVESTIGATOR, study_site=site_a))
    url = reverse("edc:crf", args=[subject.study.registry_id, subject.pk, "SCR", "vital_signs"])
    # The form's row and its history row are written; the connection dies before the commit.
    monkeypatch.setattr(
        "edc.services.crfs.crf_listeners", lambda code: [lambda *a, **k: _terminate(_backend_pid())]
    )
    response = client.post(url, VITALS)
    assert response.status_code == 500
    assert "nothing you entered was saved" in response.content.decode()
    assert (VitalSigns.objects.count(), VitalSigns.history.count()) == (0, 0)
    monkeypatch.undo()
    assert client.post(url, VITALS).status_code == 302
