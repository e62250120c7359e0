"""Settings for IP Portal, driven by environment variables.

Safe by default: without ``DEBUG=1`` the portal runs in production mode and refuses to start
without ``SECRET_KEY``. Development (``DEBUG=1``, set by ``scripts/start.sh`` and by the test
settings) generates a random key into ``DATA_DIR`` on first run and reuses it.

The other defaults are the embedded set-up: SQLite in WAL mode under ``DATA_DIR``, media on the
local disk, console e-mail, a local-memory cache and tasks that run immediately in-process.
Production sets ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL`` (PostgreSQL), and
usually ``CACHE_URL``/``REDIS_URL``, ``EMAIL_URL`` and the S3 storage variables; see README.md.

Importing the settings creates no file or directory apart from the development key: ``migrate``
creates ``DATA_DIR`` and the ``portal.W003`` check says when it is missing.
"""

from __future__ import annotations

import hashlib
import tempfile
from datetime import timedelta
from pathlib import Path

import environ

from portal.core.secret_key import development_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

DATA_DIR = Path(env.str("DATA_DIR", default=str(BASE_DIR / "data")))

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = development_secret_key(DATA_DIR)
if not SECRET_KEY:
    raise environ.ImproperlyConfigured(
        "SECRET_KEY must be set when DEBUG is off (production). Set SECRET_KEY to a long random "
        "value, or set DEBUG=1 for development (a key is then generated into DATA_DIR)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications -------------------------------------------------------------------------
INSTALLED_APPS = [
    "portal.core",
    "portal.accounts",
    "assessments",
    "assessments.reports",
    "cms",
    "assessments.review",
    "assessments.transfer",
    "assessments.plans",
    "assessments.peers",
    # Wagtail (not form pages, editor-managed redirects, site settings or typed tables: none
    # is used, and every process would import them, the redirects app's REST API included)
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    # Django and third party
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "formtools",
    "import_export",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.core.csp.PortalCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Absolute links (e-mails, PDFs, QR codes) use the host of the request being served.
    "portal.core.siteurls.RequestRootMiddleware",
    # Body size (from Content-Length) and NUL characters, before CSRF reads the body.
    "portal.core.requests.RequestLimitsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.accounts.idle.StaffIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.core.context_processors.portal",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'portal.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and the writer work at once; IMMEDIATE avoids lock upgrades failing.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_cache_url = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        env.cache_url_config(_cache_url)
        if _cache_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}
    )
}

# Progress of background jobs (the import/export progress bars) is written by the task worker
# and read by the web server, two processes: the shared cache when there is one, else a file
# cache that both processes on this machine see. It sits in the system's temporary folder, one
# per DATA_DIR (progress is ephemeral), because Django makes a file cache's folder as soon as
# the cache is opened, system checks included.
_PROGRESS_DIR = Path(tempfile.gettempdir()) / (
    "ip-portal-progress-" + hashlib.sha256(str(DATA_DIR.resolve()).encode()).hexdigest()[:12]
)
CACHES["progress"] = (
    dict(CACHES["default"])
    if _cache_url
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(_PROGRESS_DIR),
    }
)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="IP Portal <noreply@ip-portal.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work goes through django-tasks: immediate in-process by default, the database
# backend plus ``manage.py db_worker`` in production (TASKS_BACKEND=database).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if env.str("TASKS_BACKEND", default="immediate") == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

# --- Files --------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))

_use_manifest = not DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if _use_manifest
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Uploads: evidence files and imports are limited; bigger bodies are refused from their
# Content-Length before they are read (portal.core.requests). A form without files may carry
# DATA_UPLOAD_MAX_MEMORY_SIZE; a view that takes files one file of its limit more.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("PORTAL_MAX_FORM_BYTES", default=2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
PORTAL_MAX_UPLOAD_BYTES = env.int("PORTAL_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
# An application with its required materials (several files, each within the limit above).
PORTAL_MAX_APPLICATION_BYTES = env.int("PORTAL_MAX_APPLICATION_BYTES", default=60 * 1024 * 1024)
# The admin areas (Wagtail images and documents, Django admin imports): their own limit.
PORTAL_BODY_LIMITS = {
    "/admin/": env.int("PORTAL_MAX_ADMIN_UPLOAD_BYTES", default=50 * 1024 * 1024),
    "/django-admin/": env.int("PORTAL_MAX_ADMIN_UPLOAD_BYTES", default=50 * 1024 * 1024),
}
# Registry imports (/transfer/, import_enterprises): file size and data rows.
TRANSFER_MAX_UPLOAD_BYTES = env.int("TRANSFER_MAX_UPLOAD_BYTES", default=PORTAL_MAX_UPLOAD_BYTES)
TRANSFER_MAX_ROWS = env.int("TRANSFER_MAX_ROWS", default=20_000)
# An import or export job whose worker has not reported for this long is failed (retryable).
TRANSFER_JOB_TIMEOUT = env.int("TRANSFER_JOB_TIMEOUT", default=15 * 60)
# A workbook is refused before parsing when it unpacks to more, or declares a bigger used range.
TRANSFER_MAX_UNPACKED_BYTES = env.int("TRANSFER_MAX_UNPACKED_BYTES", default=50 * 1024 * 1024)
TRANSFER_MAX_CELLS = env.int("TRANSFER_MAX_CELLS", default=1_000_000)
# Public verification (/verify/<code>/): the PDF a visitor uploads to compare, and the rate
# limits per client address as (requests, seconds): all look-ups, and look-ups of unknown codes.
REPORTS_VERIFY_MAX_BYTES = env.int("REPORTS_VERIFY_MAX_BYTES", default=5 * 1024 * 1024)
REPORTS_VERIFY_RATE = (60, 600)
# Objections to a public notice (/publicity/): (requests, seconds) per address.
REVIEW_OBJECTION_RATE = (5, 3600)
REPORTS_VERIFY_MISS_RATE = (10, 600)
# Improvement plans: an action's owner is e-mailed this many days before its due date (by the
# daily send_plan_reminders run); PDF exports of a plan per client address as (requests, seconds).
PLAN_REMINDER_DAYS = env.int("PLAN_REMINDER_DAYS", default=7)
PLAN_PDF_RATE = (30, 600)
# The key that signs issued PDFs (PAdES): a PKCS#12 file and its passphrase. Without them a
# self-signed development key is generated into DATA_DIR/signing/ on first use.
PDF_SIGNING_PKCS12 = env.str("PDF_SIGNING_PKCS12", default="")
PDF_SIGNING_PASSPHRASE = env.str("PDF_SIGNING_PASSPHRASE", default="")

# --- Accounts and security ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "portal.accounts.backends.EmailOrUsernameBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:after-login"
LOGOUT_REDIRECT_URL = "/"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# Login rate limit (django-axes): 5 failures per user name and address lock for 15 minutes;
# 20 failures for one account within an hour, from any address, lock the account
# (portal.accounts.lockout). Both are counted in the database, shared by every app server.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "portal.accounts.lockout.AccountCapHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # one row per failure: what the account cap counts
ACCOUNT_LOCKOUT_FAILURES = env.int("ACCOUNT_LOCKOUT_FAILURES", default=20)
ACCOUNT_LOCKOUT_WINDOW = timedelta(minutes=env.int("ACCOUNT_LOCKOUT_MINUTES", default=60))
AXES_LOCKOUT_CALLABLE = "portal.accounts.lockout.lockout_response"
# Attempts refused during a lock-out are not counted: the lock ends on time instead of being
# extended by whoever keeps guessing (which would lock the real user out for ever).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "portal.accounts.backends.axes_username"
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0) or None

INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)
# Registration: the confirmation link is valid this long; POSTs per client address per window.
REGISTRATION_CONFIRM_HOURS = env.int("REGISTRATION_CONFIRM_HOURS", default=48)
REGISTRATION_RATE = (env.int("REGISTRATION_RATE_LIMIT", default=10), 60 * 60)

# Answers posted to a wizard step after the session expired (kept until the user signs in):
# at most this much JSON per stash, and this many stashes per client address and window.
WIZARD_STASH_MAX_BYTES = 64 * 1024
WIZARD_STASH_RATE = (10, 60 * 60)

# Staff sessions (reviewers, editors, moderators, administrators) end after this long without
# a request; company users keep the normal session length (portal.accounts.idle).
STAFF_IDLE_TIMEOUT = env.int("STAFF_IDLE_MINUTES", default=120) * 60

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's preview panel frames the site's own pages
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env.bool("BEHIND_TLS_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The X-Frame-Options deploy check wants DENY; previews in the Wagtail admin need SAMEORIGIN,
# which still forbids framing by any other site.
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Wagtail ------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "IP Portal"
# Absolute links use the request's host; SITE_URL only where there is no request (background
# tasks, commands), and without it the default Wagtail Site's root URL (portal.core.siteurls).
SITE_URL = env.str("SITE_URL", default="")
# Wagtail's own admin e-mails (moderation) need a base URL of their own.
WAGTAILADMIN_BASE_URL = SITE_URL or "http://127.0.0.1:8000"
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "txt", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# --- Content-Security-Policy (django-csp; portal.core.csp) ----------------------------------
# Scripts and styles from the portal's own origin only: no inline script or handler, no inline
# style, no eval. A template that needs an inline script gives it nonce="{{ CSP_NONCE }}".
# Images may also come from the object storage's origin when S3 storage is used.
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE  # noqa: E402


def _storage_origins() -> list[str]:
    """Where uploaded images are served from with S3 storage (path- or host-style URLs)."""
    from urllib.parse import urlsplit

    if not env.str("AWS_STORAGE_BUCKET_NAME", default=""):
        return []
    endpoint = urlsplit(env.str("AWS_S3_ENDPOINT_URL", default="") or "https://s3.amazonaws.com")
    return [f"{endpoint.scheme}://{endpoint.netloc}", f"{endpoint.scheme}://*.{endpoint.netloc}"]


_media_origins = _storage_origins() + env.list("CSP_MEDIA_ORIGIN", default=[])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_media_origins],
        "media-src": [SELF, *_media_origins],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# The Wagtail and Django admin render inline scripts and styles of their own.
PORTAL_CSP_ADMIN_PREFIXES = ["/admin/", "/django-admin/"]
PORTAL_CSP_ADMIN_DIRECTIVES = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:", *_media_origins],
}
# No avatars from gravatar.com: the admin loads nothing from other sites (and the site is
# unreachable from many networks in China).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- HTTPS, and plain HTTP where it is needed -------------------------------------------------
# /healthz answers over plain HTTP too (a load balancer's check). The redirect to HTTPS
# (SECURE_SSL_REDIRECT), secure cookies (SECURE_COOKIES) and trusting the TLS proxy's
# X-Forwarded-Proto (BEHIND_TLS_PROXY) are set apart, so that a load test can run the
# production code (DEBUG=0) over plain HTTP on loopback with all three off.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if not DEBUG:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)

# --- Fewer round trips per request --------------------------------------------------------
# With a shared cache (CACHE_URL/REDIS_URL) sessions are read from it and written through to
# the database (cached_db): a signed-in request reads its session without a query, and no
# session is lost when the cache is flushed. Without one they stay in the database (a
# local-memory cache is not shared by the workers).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if _cache_url
    else "django.contrib.sessions.backends.db"
)
