"""The test suite: only speed changes. The database follows DATABASE_URL (PostgreSQL in CI)."""

import tempfile

from .base import *  # noqa: F403
from .base import DATABASES, REST_FRAMEWORK, env

SECRET_KEY = "test-only-not-a-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A real Celery worker started by a test writes its mail to files the test can count.
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
LANGUAGE_CODE = "en"
# Files a test writes (dataset exports) go to a directory of the run, never into the checkout.
MEDIA_ROOT = tempfile.mkdtemp(prefix="edc-test-media-")

if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Lets the test runner's flush TRUNCATE audit tables between transactional tests. The trigger
    # honours it only in a database whose name starts with "test_" (see edc/audit_sql.py).
    # synchronous_commit=off: a test never survives a server crash anyway, and waiting for the
    # disk on each of the suite's many thousand commits is most of its time on a slow disk.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c edc.test_teardown=on -c synchronous_commit=off"
    )

# The fuzzing tests (tests/api/test_schema_fuzzing.py) send many requests from one address.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/hour", "user": "100000/hour"},
}

# Tasks run in-process unless a test starts a real worker (those tests are marked `redis`).
CELERY_TASK_ALWAYS_EAGER = True
