"""Settings for Medborgarlöfte: one file, read from the environment.

Every variable is documented in docs/deploy.md (a test checks that).
A malformed value stops the start with ImproperlyConfigured.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("MEDBORGARLOFTE_DEBUG", False)
# The test suite runs with production-like settings but no HTTPS and a throwaway key.
TESTING = env_bool("MEDBORGARLOFTE_TESTING", "pytest" in sys.modules)
_DEV_SECRET = "insecure-development-key-only-for-debug-and-tests"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG or TESTING else "")
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set when MEDBORGARLOFTE_DEBUG is off (see docs/deploy.md)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "medborgarlofte.kommuner",
    "medborgarlofte.accounts",
    "medborgarlofte.privacy",
    "medborgarlofte.reports",
    "medborgarlofte.crimestats",
    "medborgarlofte.surveys",
    "medborgarlofte.dialogues",
    "medborgarlofte.incidents",
    "medborgarlofte.lagesbild",
    "medborgarlofte.agreements",
    "medborgarlofte.actionplans",
    "medborgarlofte.followup",
    "medborgarlofte.council",
    "medborgarlofte.backups",
    "medborgarlofte.publicsite",
    "medborgarlofte.api",
    "medborgarlofte.demo",
]

MIDDLEWARE = [
    # Outermost: their headers reach every response, also redirects made by the
    # session-timeout and two-factor middleware further in.
    "medborgarlofte.accounts.middleware.SecurityHeadersMiddleware",
    # Inside the header middleware, so its HTTP→HTTPS redirect carries the headers too.
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # An anonymous GET of a stored public page (or its 304) is answered here, before the
    # session, CSRF, auth, two-factor, axes … middleware (accounts/public_cache.py).
    "medborgarlofte.accounts.middleware.PublicPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "medborgarlofte.accounts.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "medborgarlofte.accounts.middleware.SessionTimeoutMiddleware",
    # A session from an identity provider is checked with it again now and then (sso.py).
    "medborgarlofte.accounts.middleware.SsoRevalidationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "medborgarlofte.accounts.middleware.TwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",
    "medborgarlofte.accounts.middleware.TenantGuardMiddleware",
]

# An unscoped query on a tenant table during a request (accounts/tenancy.py): "raise" in the
# test suite, "log" (an error in the log, the page still answers) in production, or "off".
TENANT_GUARD = env_str("TENANT_GUARD", "raise" if TESTING else "log")
if TENANT_GUARD not in {"raise", "log", "off"}:
    raise ImproperlyConfigured(f"TENANT_GUARD must be raise, log or off, got {TENANT_GUARD!r}")

ROOT_URLCONF = "medborgarlofte.urls"
WSGI_APPLICATION = "medborgarlofte.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "medborgarlofte.accounts.context_processors.session_limits",
                "medborgarlofte.followup.context_processors.todo_count",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite by default (WAL, BEGIN IMMEDIATE, 20 s busy timeout: research showed that
# read-then-write transactions fail under concurrency without IMMEDIATE).
SQLITE_PATH = Path(env_str("MEDBORGARLOFTE_SQLITE_PATH", str(BASE_DIR / "medborgarlofte.sqlite3")))
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
}
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60)
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": dict(SQLITE_OPTIONS),
            # Kept open between requests like PostgreSQL's: opening a SQLite connection
            # (file, WAL, three PRAGMAs) cost ~5 ms, half of a public page (issue 17).
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "agreements:dashboard"
LOGOUT_REDIRECT_URL = "publicsite:home"

# Login throttling: at most 10 failures per 15 minutes, per account and per address;
# the answer is the same for known and unknown usernames.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True  # only the username that logged in: see below
AXES_HANDLER = "medborgarlofte.accounts.throttling.UsernameScopedResetHandler"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLED = env_bool("LOGIN_THROTTLING", True)
# Behind a TLS proxy REMOTE_ADDR is the proxy: count this many trusted proxies in
# X-Forwarded-For to find the client's address (0 = use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "medborgarlofte.accounts.middleware.client_ip"

# Two-factor authentication (TOTP) for every non-public account: enforced for
# coordinators, police and administrators; for reporters when their kommun says so.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Medborgarlöfte")

SESSION_COOKIE_AGE = 12 * 60 * 60  # absolute limit from login
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_WARNING_SECONDS = 120  # the page warns this long before the idle limit
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- E-mail (password reset) ----------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "medborgarlofte@localhost")

# --- Language and formats -------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
LANGUAGE_COOKIE_NAME = "medborgarlofte_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files (all vendored; no external requests) --------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("MEDBORGARLOFTE_MANIFEST_STATIC", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- Uploads and private files ----------------------------------------------------------
# Evidence files (activity attachments) live outside the web root and are served only
# through views with access checks.
MEDBORGARLOFTE_PRIVATE_FILES = Path(
    env_str("MEDBORGARLOFTE_PRIVATE_FILES", str(BASE_DIR / "private-files"))
)
# Agreement documents are small; anything above this is refused before parsing.
MAX_AGREEMENT_UPLOAD_BYTES = env_int("MAX_AGREEMENT_UPLOAD_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_AGREEMENT_UPLOAD_BYTES + 64 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_AGREEMENT_UPLOAD_BYTES + 64 * 1024
# Every file passes the gate in privacy/uploads.py (docs/formats/uploads.md): web forms
# (UPLOAD_*) have smaller limits than command-line imports (IMPORT_*). The first upload
# handler keeps at most the largest web limit of a file; the form then refuses it clearly.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
UPLOAD_MAX_ROWS = env_int("UPLOAD_MAX_ROWS", 100_000)
UPLOAD_MAX_UNCOMPRESSED_BYTES = env_int("UPLOAD_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 200 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 2_000_000)
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_UNCOMPRESSED_BYTES", 1024 * 1024 * 1024)
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024  # the form's label says "at most 10 MB"
FILE_UPLOAD_HANDLERS = [
    "medborgarlofte.privacy.upload_forms.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_NUMBER_FILES = 10  # every form takes one file
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000  # Django's default; the largest form has ~100

# --- Retention (gallring) -----------------------------------------------------------
# Months after which `medborgarlofte apply_retention` disposes of each kind of data
# (docs/privacy.md has the table with the basis of each period); 0 keeps it for ever.
# RETENTION_BY_KOMMUN follows one kommun's own gallringsbeslut:
# "0642.dialogue_text=12,0642.incident_text=36" (kommunkod.kind=months).
RETENTION_MONTHS = {
    "dialogue_text": env_int("RETENTION_DIALOGUE_TEXT_MONTHS", 24),
    "incident_text": env_int("RETENTION_INCIDENT_TEXT_MONTHS", 24),
    "police_event_text": env_int("RETENTION_POLICE_EVENT_TEXT_MONTHS", 24),
    "evidence_files": env_int("RETENTION_EVIDENCE_FILES_MONTHS", 36),
    "audit_log": env_int("RETENTION_AUDIT_LOG_MONTHS", 60),
    "login_records": env_int("RETENTION_LOGIN_RECORDS_MONTHS", 3),
    "inactive_accounts": env_int("RETENTION_INACTIVE_ACCOUNTS_MONTHS", 12),
}


def _retention_by_kommun(value: str) -> dict[tuple[str, str], int]:
    overrides = {}
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        code, _dot, rest = item.partition(".")
        kind, _eq, months = rest.partition("=")
        if not (
            len(code) == 4 and code.isdigit() and kind in RETENTION_MONTHS and months.isdigit()
        ):
            raise ImproperlyConfigured(
                f"RETENTION_BY_KOMMUN: {item!r} is not kommunkod.kind=months with a kind of "
                f"{', '.join(RETENTION_MONTHS)}"
            )
        overrides[code, kind] = int(months)
    return overrides


for _kind, _months in RETENTION_MONTHS.items():
    if _months < 0:
        raise ImproperlyConfigured(f"Retention of {_kind} must be 0 or more months")
RETENTION_BY_KOMMUN = _retention_by_kommun(env_str("RETENTION_BY_KOMMUN", ""))

# --- Security -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = env_bool("MEDBORGARLOFTE_HTTPS", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Caches: "default" is per process (rendered public pages, keyed by version, so never
# stale); "shared" must be one store for all workers (rate limits of public forms), a
# directory on this host by default, or Redis (redis://…) for several hosts.
SHARED_CACHE_URL = env_str("SHARED_CACHE_URL", "")
if SHARED_CACHE_URL.startswith("redis://"):
    _shared_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": SHARED_CACHE_URL,
    }
elif TESTING or DEBUG and not SHARED_CACHE_URL:
    _shared_cache = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "shared",
    }
else:
    _shared_cache = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": SHARED_CACHE_URL.removeprefix("file://") or str(BASE_DIR / "cache"),
    }
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": _shared_cache,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"police_only": {"()": "medborgarlofte.privacy.error_reports.RedactLogRecord"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["police_only"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
# Error reports (the django.request log, the 500 mail to ADMINS, DEBUG's technical page)
# never carry police-only text: privacy/error_reports.py masks it.
DEFAULT_EXCEPTION_REPORTER = "medborgarlofte.privacy.error_reports.PoliceOnlyExceptionReporter"

AUTH_USER_MODEL = "accounts.User"

# SAML 2.0 sign-in (docs/sso.md): this service's key and certificate (PEM files) for
# signing its AuthnRequests. Both empty: the requests go unsigned.
SAML_SP_KEY_FILE = env_str("MEDBORGARLOFTE_SAML_SP_KEY_FILE", "")
SAML_SP_CERT_FILE = env_str("MEDBORGARLOFTE_SAML_SP_CERT_FILE", "")
if bool(SAML_SP_KEY_FILE) != bool(SAML_SP_CERT_FILE):
    raise ImproperlyConfigured(
        "MEDBORGARLOFTE_SAML_SP_KEY_FILE and MEDBORGARLOFTE_SAML_SP_CERT_FILE go together."
    )

# National data fetched by `medborgarlofte fetch_national_data` (docs/deploy.md).
# Brå's yearly file "Anmälda brott i kommunerna"; `{year}` is replaced. Empty: not fetched.
NATIONAL_BRA_YEARLY_URL = env_str("NATIONAL_BRA_YEARLY_URL", "")
NATIONAL_KOLADA_KPIS = env_list("NATIONAL_KOLADA_KPIS", ["N07403", "N07540"])
NATIONAL_SCB_POPULATION_URL = env_str(
    "NATIONAL_SCB_POPULATION_URL",
    "https://api.scb.se/OV0104/v1/doris/sv/ssd/BE/BE0101/BE0101A/BefolkningNy",
)
