"""Shared test set-up: service requirements, and one user per role on a loaded study.

Tests marked `postgres`, `redis` or `browser` need the real service. Without it they are skipped
and listed loudly at the end of the run; in CI (CI=true) a missing service fails the run instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection
from hypothesis import settings as hypothesis_settings

from edc.celery import app
from tests.edc.factories import (
    MembershipFactory,
    StratumFactory,
    StudyFactory,
    StudySiteFactory,
    UserFactory,
)

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("EDC_CHROMIUM", "/usr/bin/chromium")

# Property tests: the same examples on every run (CI reproducible), no per-example deadline (the
# machine is shared), no example database on disk. Tests driving pages set a lower max_examples.
hypothesis_settings.register_profile("edc", derandomize=True, deadline=None, database=None)
hypothesis_settings.load_profile("edc")


def _redis_up() -> bool:
    url = settings.REDIS_URL
    if not url:
        return False
    host_port = url.split("://", 1)[1].split("/", 1)[0].rsplit("@", 1)[-1]
    host, _, port = host_port.partition(":")
    try:
        with socket.create_connection((host, int(port or 6379)), timeout=1):
            return True
    except OSError:
        return False


def _missing() -> dict[str, str]:
    missing = {}
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing["postgres"] = "DATABASE_URL does not point at PostgreSQL"
    if not _redis_up():
        missing["redis"] = "REDIS_URL is not set or Redis does not answer"
    if not shutil.which(CHROMIUM):
        missing["browser"] = f"no chromium at {CHROMIUM} (apt-get install chromium)"
    return missing


_skipped: dict[str, list[str]] = {}


def pytest_collection_modifyitems(config, items):
    missing = _missing()
    needed = {m for item in items for m in missing if m in item.keywords}
    if IN_CI and needed:
        raise pytest.UsageError(
            "CI=true but required services are missing: "
            + "; ".join(f"{m}: {missing[m]}" for m in sorted(needed))
        )
    for item in items:
        for marker, why in missing.items():
            if marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=f"needs {marker}: {why}"))
                _skipped.setdefault(marker, []).append(item.nodeid)


def pytest_terminal_summary(terminalreporter):
    if not _skipped:
        return
    write = terminalreporter.write_line
    write("")
    write("!" * 78, red=True, bold=True)
    write("SKIPPED FOR MISSING SERVICES (these tests did NOT run):", red=True, bold=True)
    for marker, nodeids in sorted(_skipped.items()):
        write(f"  {marker}: {len(nodeids)} tests, e.g. {nodeids[0]}", red=True)
    write("Run .ci/run (or set DATABASE_URL/REDIS_URL, install chromium) to run them.", red=True)
    write("!" * 78, red=True, bold=True)


@pytest.fixture
def study(db):
    """A recruiting study with a loaded (minimal) protocol."""
    return StudyFactory()


@pytest.fixture
def site_a(study):
    return StudySiteFactory(study=study, site_number="01")


@pytest.fixture
def site_b(study):
    return StudySiteFactory(study=study, site_number="02")


@pytest.fixture
def stratum(study):
    return StratumFactory(study=study, code="sle")


@pytest.fixture
def member(study):
    """`member(role, study_site=None)`: a new user holding that role in the study."""

    def make(role, study_site=None, **user_fields):
        user = UserFactory(**user_fields)
        MembershipFactory(user=user, study=study, study_site=study_site, role=role)
        return user

    return make


@pytest.fixture
def celery_worker_process(tmp_path, transactional_db):
    """A real Celery worker on the test database and Redis, consuming a queue of its own.

    Yields `(queue, mail_dir)`: tasks sent to the queue run in the worker process, which writes
    its e-mail as files into `mail_dir`. The app stops running tasks eagerly for the test.
    """
    queue = f"edc-test-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "edc.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "DJANGO_EMAIL_FILE_PATH": str(mail_dir),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "edc", "worker", "--pool=solo", "-Q", queue,
         "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "-l", "warning"],
        env=env,
        cwd=settings.BASE_DIR,
    )  # fmt: skip
    saved = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=1):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start")
        yield queue, mail_dir
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = saved
        worker.terminate()
        worker.wait(timeout=30)
