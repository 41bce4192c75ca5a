"""Settings shared by every environment; deployment facts come from the environment only.

Protocol parameters never live here: they are versioned data files under `protocols/`.
"""

import datetime as dt
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    env.read_env(str(BASE_DIR / ".env"))

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "edc",
    "screening",
    "dosing",
    "adverse_events",
    "followup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "edc.middleware.UserPreferenceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "edc.middleware.AbsoluteSessionLimitMiddleware",
    "edc.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the lockout page
]

ROOT_URLCONF = "edc.urls"
WSGI_APPLICATION = "edc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "edc.context_processors.account_menu",
                "edc.tasks_inbox.inbox",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False  # the service, not the request, is the transaction
# Each web or Celery worker keeps its connection for up to DJANGO_CONN_MAX_AGE seconds instead of
# opening one per request. A kept connection is checked before a request's first query, so one
# PostgreSQL dropped in between (restart, failover, pg_terminate_backend, idle timeout) is
# replaced instead of failing that request (tests/edc/test_database_faults.py).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Database roles (21 CFR 11.10(e), edc/audit_sql.py): DATABASE_URL logs in as this role, which
# `migrate` (run as the owner, DATABASE_OWNER_URL) grants SELECT and INSERT only on history tables.
EDC_DB_APP_ROLE = env("EDC_DB_APP_ROLE", default="edc_app")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "edc:study-list"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: stored in UTC; shown in the user's language and each site's timezone.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded and generated files (dataset exports). Never served as static files: each download
# goes through a view that checks the user's permission. No MEDIA_URL on purpose.
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Audit trail (21 CFR 11.10(e), ICH E6(R3) 4.2.2): a record is corrected, never reverted.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_ENABLED = True

SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout, not an absolute one
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Accounts (21 CFR 11.10(d), 11.300(d)): lockout, access log, session cap, CSP, two-factor.
# Self-contained block: edc/accounts.py, edc/access_log.py and edc/two_factor.py read these keys.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: a locked account is refused before the hash
    "django.contrib.auth.backends.ModelBackend",
]
# Five failures per user name, and separately five per address, lock for EDC_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("EDC_LOCKOUT_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "edc.accounts.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # edc.AccessLog is the append-only record of every access
AXES_IPWARE_PROXY_COUNT = env.int("EDC_PROXY_COUNT", default=None)
# Absolute cap on a session, however active (the idle timeout is SESSION_COOKIE_AGE above).
EDC_SESSION_ABSOLUTE_HOURS = env.float("EDC_SESSION_ABSOLUTE_HOURS", default=12)
# Roles (edc.roles.Role values) whose holders must verify a TOTP device in every session.
EDC_OTP_REQUIRED_ROLES: list[str] = env.list("EDC_OTP_REQUIRED_ROLES", default=[])
OTP_TOTP_ISSUER = "CAR-T EDC"
# No inline script or style anywhere: behaviour is in static/edc/edc.js, looks in edc.css.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# The read API (/api/v1/, edc/api/): personal tokens (edc/api_tokens.py) or the browser's session,
# read-only, paged, rate-limited per user (per address before authentication).
EDC_API_TOKEN_DAYS = env.int("EDC_API_TOKEN_DAYS", default=90)
EDC_API_MAX_PAGE_SIZE = 100
REST_FRAMEWORK = {
    # The token first: its `WWW-Authenticate` makes a missing credential a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "edc.api_tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "edc.api.pagination.ApiPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("EDC_API_RATE_ANON", default="60/hour"),
        "user": env("EDC_API_RATE_USER", default="2000/hour"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CAR-T EDC read API",
    "DESCRIPTION": (
        "Read-only access to what the pages show the same user: studies, subjects (de-identified "
        "for roles without access to personal data), follow-up visits, CRF data, adverse events, "
        "the audit trail and dataset exports. Authenticate with `Authorization: Token <token>` "
        "(issued on the account page) or a logged-in browser session."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for a choice list that several fields share (an AE's relationship to the CAR-T
    # product and to lymphodepletion), else the schema names it twice and warns (W001).
    "ENUM_NAME_OVERRIDES": {"RelationshipEnum": "adverse_events.models.RELATIONSHIP"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "edc.api.schema.document_error_responses",
    ],
}

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
# Where the links in e-mails point (no request to build them from in a worker).
EDC_BASE_URL = env("EDC_BASE_URL", default="http://localhost:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="edc@localhost")
EMAIL_FILE_PATH = env("DJANGO_EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-mail"))

# Celery: with no REDIS_URL the tasks run eagerly in-process, so a laptop needs no broker and a
# web request never blocks on a dead one (stack-notes §2).
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "max_retries": 2}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# The account that Celery tasks and management commands act as in the audit trail.
EDC_SYSTEM_USERNAME = "system"
PROTOCOLS_DIR = BASE_DIR / "protocols"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}

# The beat schedule is code (reviewed like code); django-celery-beat stores and runs it.
CELERY_BEAT_SCHEDULE = {
    # Delivers what the outbox holds pending: SAE notifications a dead broker or mail server
    # held back, or that waited for a safety contact.
    "outbox-sweep": {
        "task": "edc.tasks.outbox_sweep_task",
        "schedule": 2 * 60,
    },
    # Visit reminders (window opens, due tomorrow, overdue), daily. Each visit is judged by its
    # own site's calendar whatever the hour of the run; 22:00 UTC is early morning at the trial's
    # sites (06:00 in China). A run that was missed is caught up by the next (see
    # followup/domain/reminders.py).
    "visit-reminders": {
        "task": "followup.tasks.send_visit_reminders_task",
        "schedule": crontab(hour=env.int("EDC_REMINDER_HOUR_UTC", default=22), minute=0),
    },
}
