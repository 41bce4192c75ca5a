"""Shared test set-up: service requirements, and one user per role on a loaded study.

Tests marked `postgres`, `redis`, `browser` or `pdf` need the real service (or tool). Without it
they are skipped and listed loudly at the end of the run; in CI (CI=true) a missing service fails
the run instead.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection
from hypothesis import settings as hypothesis_settings
from kombu import pools

from edc.audit_sql import grant_app_role
from edc.celery import app
from tests.edc.factories import (
    MembershipFactory,
    StratumFactory,
    StudyFactory,
    StudySiteFactory,
    UserFactory,
)
from tests.pg import libpq_env

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
    if not shutil.which("pdftotext") or not _cjk_font():
        missing["pdf"] = (
            "no pdftotext or Noto Sans CJK (apt-get install poppler-utils fonts-noto-cjk)"
        )
    return missing


def _cjk_font() -> bool:
    """Whether fontconfig finds the font of the printed casebook (static/edc/casebook_print.css)."""
    found = subprocess.run(
        ["fc-list", "Noto Sans CJK SC"], capture_output=True, text=True, check=False
    )
    return bool(found.stdout.strip())


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


class Worker:
    """A real Celery worker process on the test database, consuming the test's queue."""

    def __init__(self, *, queue: str, name: str, mail_dir, broker_url: str, pool: str, env: dict):
        db = connection.settings_dict
        self.name = f"{name}@{os.uname().nodename}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "edc", "worker", f"--pool={pool}",
             "--concurrency=1", "-Q", queue, "-n", f"{name}@%h", "--without-gossip",
             "--without-mingle", "-l", "warning"],
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "edc.settings.test",
                "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
                "REDIS_URL": broker_url,
                "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "DJANGO_EMAIL_FILE_PATH": str(mail_dir),
                **env,
            },
            cwd=settings.BASE_DIR,
        )  # fmt: skip

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while not app.control.ping(destination=[self.name], timeout=1):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def use_broker(url: str) -> None:
    """Point this process's Celery app at another broker (a test's private Redis)."""
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()  # kombu's process-wide connection and producer pools


@pytest.fixture
def celery_workers(tmp_path, transactional_db):
    """`start(broker_url=None, pool="solo", env=None)` starts a real Celery worker on the test
    database; all workers of a test share one queue of their own and write their e-mail as files
    into `start.mail_dir`. The app stops running tasks eagerly for the test."""
    queue = f"edc-test-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    workers: list[Worker] = []
    saved = (app.conf.task_always_eager, app.conf.task_default_queue, app.conf.broker_url)

    def start(broker_url: str | None = None, pool: str = "solo", env: dict | None = None):
        worker = Worker(
            queue=queue,
            name=f"{queue}-{len(workers)}",
            mail_dir=mail_dir,
            broker_url=broker_url or settings.REDIS_URL,
            pool=pool,
            env=env or {},
        )
        workers.append(worker)
        worker.wait_ready()
        return worker

    start.mail_dir = mail_dir
    start.queue = queue
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    try:
        yield start
    finally:
        for worker in workers:
            worker.stop()
        app.conf.task_always_eager, app.conf.task_default_queue = saved[:2]
        if app.conf.broker_url != saved[2]:
            use_broker(saved[2])


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of the test's own on a free port, which the test can stop and start by
    its pid: `(url, stop, start)`."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pidfile = tmp_path / "redis.pid"
    procs: list[subprocess.Popen] = []

    def start_server() -> None:
        procs.append(
            subprocess.Popen(
                [
                    "redis-server",
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--pidfile",
                    str(pidfile),
                ],
                stdout=subprocess.DEVNULL,
            )
        )
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("private redis-server did not start") from None
                time.sleep(0.1)

    def stop_server() -> None:
        os.kill(int(pidfile.read_text()), signal.SIGKILL)
        procs[-1].wait(timeout=10)

    start_server()
    try:
        yield f"redis://127.0.0.1:{port}/0", stop_server, start_server
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)


@pytest.fixture(scope="session")
def app_role(django_db_setup, django_db_blocker) -> str:
    """The application role of deploy/postgres/roles.sql, with its grants on the test database.

    The script makes the test database look like production (owner role owns it, app role a
    login that owns nothing); `grant_app_role` is what `migrate` runs. Returns the role's name.
    """
    subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-f", "deploy/postgres/roles.sql"],
        env=libpq_env(),
        cwd=settings.BASE_DIR,
        check=True,
        capture_output=True,
    )
    with django_db_blocker.unblock():
        assert grant_app_role(), "the application role was not created"
    return settings.EDC_DB_APP_ROLE
