"""Accounts a regulator would accept: lockout, one limit for log-in and signatures, the access
log, and the absolute session limit (21 CFR 11.10(d), 11.300(d))."""

import datetime as dt

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from edc.access_log import AccessLog
from tests.edc.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "right-Pass-2026"
LOGIN = "/accounts/login/"


def _login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_after_five_wrong_ones_is_refused(client):
    UserFactory(username="alice", password=PASSWORD)
    for _ in range(5):
        _login(client, "alice", "wrong")
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert not _logged_in(client)


def test_four_wrong_passwords_do_not_lock(client):
    UserFactory(username="alice", password=PASSWORD)
    for _ in range(4):
        _login(client, "alice", "wrong")
    assert _login(client, "alice", PASSWORD).status_code == 302
    assert _logged_in(client)


def test_the_lockout_page_says_why_and_for_how_long(client):
    UserFactory(username="alice", password=PASSWORD)
    for _ in range(5):
        response = _login(client, "alice", "wrong")
    page = response.content.decode()
    assert "Logging in is locked for 30 minutes" in page
    assert 'data-testid="locked-out"' in page


def test_the_lockout_page_is_in_chinese_for_a_chinese_browser(client):
    for _ in range(5):
        response = _login(client, "alice", "wrong", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "30 分钟" in response.content.decode()


def test_an_address_is_locked_after_five_failures_whatever_the_user_names(client):
    UserFactory(username="bob", password=PASSWORD)
    for n in range(5):
        _login(client, f"guess{n}", "wrong")
    assert _login(client, "bob", PASSWORD).status_code == 429


def test_failures_from_elsewhere_do_not_lock_another_address_for_another_user(client):
    UserFactory(username="bob", password=PASSWORD)
    for n in range(5):
        _login(client, f"guess{n}", "wrong", REMOTE_ADDR="10.0.0.9")
    assert _login(client, "bob", PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, settings):
    UserFactory(username="alice", password=PASSWORD)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            _login(client, "alice", "wrong")
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + dt.timedelta(minutes=1)):
        assert _login(client, "alice", PASSWORD).status_code == 302


# --- the access log -------------------------------------------------------------------------


def test_a_log_in_is_recorded_with_user_address_and_browser(client):
    user = UserFactory(username="alice", password=PASSWORD)
    _login(client, "alice", PASSWORD, HTTP_USER_AGENT="Firefox/140")
    entry = AccessLog.objects.get()
    assert (entry.kind, entry.user, entry.username) == ("login", user, "alice")
    assert (entry.ip_address, entry.user_agent) == ("127.0.0.1", "Firefox/140")


def test_a_failed_log_in_is_recorded_with_the_user_name_tried(client):
    _login(client, "mallory", "guess")
    entry = AccessLog.objects.get()
    assert (entry.kind, entry.user, entry.username) == ("login_failed", None, "mallory")


def test_a_log_out_is_recorded(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("logout"))
    assert AccessLog.objects.filter(kind="logout", user=user).exists()


def test_the_lockout_is_recorded(client):
    for _ in range(5):
        _login(client, "alice", "wrong")
    assert AccessLog.objects.filter(kind="locked_out", username="alice").exists()


def test_a_long_user_agent_is_truncated(client):
    _login(client, "alice", "wrong", HTTP_USER_AGENT="x" * 1000)
    assert len(AccessLog.objects.get().user_agent) == 255


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE edc_accesslog SET username = 'x'",
        "DELETE FROM edc_accesslog",
        "TRUNCATE edc_accesslog",
    ],
)
def test_the_access_log_is_append_only_in_the_database(client, statement):
    _login(client, "alice", "wrong")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL edc.test_teardown = 'off'")  # as an attacker would run it
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # else TRUNCATE waits for the FK checks
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute(statement)
    assert AccessLog.objects.filter(username="alice").exists()


# --- the absolute session limit -------------------------------------------------------------


def test_an_active_session_ends_at_the_absolute_limit(client, settings):
    user = UserFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(user)
    hours = settings.EDC_SESSION_ABSOLUTE_HOURS
    # Active every 25 minutes, so the idle timeout never ends it.
    moments = [start + dt.timedelta(minutes=25 * n) for n in range(1, int(hours * 60 / 25) + 1)]
    for moment in moments:
        with time_machine.travel(moment, tick=False):
            assert client.get(reverse("edc:study-list")).status_code == 200
    with time_machine.travel(start + dt.timedelta(hours=hours, minutes=10), tick=False):
        response = client.get(reverse("edc:study-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not _logged_in(client)
