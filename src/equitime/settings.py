"""Settings, read from the environment.

Development needs nothing set: an SQLite file in ``./data`` and a generated
secret key kept beside it. Production (``EQUITIME_ENV=production``) turns DEBUG
off and refuses to start without ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

import os
import secrets
from pathlib import Path
from typing import Any, Literal

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from equitime.sso_settings import oidc_apps_from_env

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("EQUITIME_DATA_DIR", Path.cwd() / "data")).resolve()

PRODUCTION = os.environ.get("EQUITIME_ENV", "development").lower() == "production"
DEBUG = not PRODUCTION and os.environ.get("EQUITIME_DEBUG", "1") != "0"


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _development_secret_key() -> str:
    """A per-checkout key, generated once and kept in the data folder."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when EQUITIME_ENV=production.")
    SECRET_KEY = _development_secret_key()

ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when EQUITIME_ENV=production.")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "django_countries",
    "equitime.core",
    "equitime.members",
    "equitime.ledger",
    "equitime.skills",
    "equitime.listings",
    "equitime.exchanges",
    "equitime.scheduling",
    "equitime.campaigns",
    "equitime.matching",
    "equitime.coordination",
    "equitime.credits",
    "equitime.notifications",
    "equitime.dashboard",
    "equitime.digest",
    "equitime.impact",
    "equitime.cpd",
    "equitime.audit",
    "equitime.moderation",
    "equitime.privacy",
    "equitime.exports",
    "django_tasks",
    "django_tasks_db",
    "equitime.jobs",
    "django_htmx",
    "csp",
    "ninja",
    "equitime.api",
    "equitime.demo",
]

MIDDLEWARE = [
    # Outermost: a request id for every request, and one log line once it is answered.
    "equitime.core.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Load balancers' probes, answered before sessions, limits and the host check.
    "equitime.core.health.HealthCheckMiddleware",
    # Per-IP limit on the API, before anything else reads the request.
    "equitime.api.throttling.ApiIpRateLimitMiddleware",
    "equitime.api.middleware.ApiProblemMiddleware",  # errors under /api/ as problems
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the rest, so that every page carries the policy, even one that a
    # middleware further in answers by itself (a CSRF refusal, a timed-out session).
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every time shown in the reader's own zone (their profile's, else TIME_ZONE).
    "equitime.members.middleware.MemberTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication and messages: it signs a member out and says why.
    "equitime.core.middleware.SessionTimeoutMiddleware",
    # A signed-in member's pages and authenticated API answers: Cache-Control no-store.
    "equitime.core.middleware.PrivateAnswersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "equitime.members.middleware.SsoProviderUnavailableMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: whole pages per member, once sign-in, timeout and messages have run.
    "equitime.core.pagecache.PageCacheMiddleware",
]

ROOT_URLCONF = "equitime.urls"
WSGI_APPLICATION = "equitime.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "equitime.notifications.context_processors.notifications",
                "equitime.moderation.context_processors.moderation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# SQLite by default, tuned for a web app that writes: WAL so readers never
# block the writer, synchronous=FULL so a committed transfer survives a power
# cut, and IMMEDIATE transactions so a write transaction takes the write lock
# when it begins rather than failing half-way with "database is locked".
SQLITE_PATH = DATA_DIR / "equitime.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # Connections kept for a minute, as on PostgreSQL: opening one costs its
    # PRAGMAs and functions on every request otherwise (half the CPU of a page
    # served from the page cache).
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "CONN_MAX_AGE": 60,
        }
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=FULL;"
            "PRAGMA busy_timeout=30000;"
            "PRAGMA foreign_keys=ON;"
        ),
    }
    # Tests use a file, not :memory:, so that threads share one database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------
# Rate limits (sign-in, sign-up, API), sessions and cached pages live in the
# cache, so every process must see the same one. REDIS_URL shares it across
# processes and machines. EQUITIME_CACHE=database keeps it in a database table
# instead (`migrate` creates it): the explicit choice for a single-machine
# install without Redis. Otherwise each process keeps its own in memory, right
# for development only; in production a system check refuses that
# (core.checks, reported by `equitime check --deploy`).
REDIS_URL = os.environ.get("REDIS_URL", "")
EQUITIME_CACHE = os.environ.get("EQUITIME_CACHE", "redis" if REDIS_URL else "memory").lower()
if EQUITIME_CACHE not in ("redis", "database", "memory"):
    raise ImproperlyConfigured("EQUITIME_CACHE must be redis, database or memory.")
if EQUITIME_CACHE == "redis" and not REDIS_URL:
    raise ImproperlyConfigured("EQUITIME_CACHE=redis needs REDIS_URL.")
# Django's own type for it (global_settings): what a backend's settings hold
# depends on the backend, so mypy should not infer one from the values below.
CACHES: dict[str, dict[str, Any]]
if EQUITIME_CACHE == "redis":
    CACHES = {
        "default": {
            "BACKEND": "equitime.core.cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            # An unreachable Redis fails a request (and the health check) in
            # seconds rather than hanging a worker.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # --- Stateless web processes (issue 9 §4) ---------------------------------
    # Sessions are read from Redis, so any web process on any machine serves any
    # member, and written through to the database, so a Redis restart or
    # eviction signs nobody out (plain "cache" sessions would lose them all).
    # Writes are rare: at sign-in and the activity stamp at most once a minute
    # (core.middleware). Revocation still holds: the session hash includes
    # sessions_revoked_at (members.models), checked on every request.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif EQUITIME_CACHE == "database":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "equitime_cache",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "equitime",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Whole signed-in pages and API lists kept per member, forgotten on any write
# (equitime.core.pagecache). 0 turns it off. Its "forget" must reach every
# process, so in production it is on only with a shared cache.
_PAGE_CACHE_DEFAULT = "60" if REDIS_URL or EQUITIME_CACHE == "database" or not PRODUCTION else "0"
EQUITIME_PAGE_CACHE_SECONDS = int(
    os.environ.get("EQUITIME_PAGE_CACHE_SECONDS", _PAGE_CACHE_DEFAULT)
)

# --- Members and sign-in ------------------------------------------------------
AUTH_USER_MODEL = "members.Member"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2id for new and changed passwords; PBKDF2 stays so that older hashes
# still verify, and Django re-hashes them with Argon2 at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    # Long passphrases are welcome; only absurd lengths, which cost hashing time, are refused.
    {
        "NAME": "equitime.core.passwords.MaximumLengthValidator",
        "OPTIONS": {"max_length": 256},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

ACCOUNT_ADAPTER = "equitime.members.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "equitime.members.forms.SignupDetailsForm"
# The e-mail domain allow-list, where an address is chosen (members.signup_forms).
ACCOUNT_FORMS = {
    "signup": "equitime.members.signup_forms.SignupForm",
    # The site's words on the sign-in and password-reset forms.
    "login": "equitime.members.entrance_forms.LoginForm",
    "reset_password": "equitime.members.entrance_forms.ResetPasswordForm",
    "add_email": "equitime.members.signup_forms.AddEmailForm",
    # "Also revoke my API tokens" beside the new password.
    "change_password": "equitime.members.password_forms.ChangePasswordForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_USER_MODEL_EMAIL_FIELD = "email"
ACCOUNT_UNIQUE_EMAIL = True
# A member may sign in before confirming their address, to finish their
# profile, but cannot trade until they do (members.rules.member_check_may_trade).
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Changing e-mail addresses, MFA, exporting data and deleting the account ask
# for the password (or an MFA code) again if it was not given in the last 5 minutes.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Sign-in and password reset say the same thing whether or not an address is known.
ACCOUNT_PREVENT_ENUMERATION = True
# allauth's e-mails read like ours: "Equitime: Confirm your e-mail address", in
# plain text and HTML, on the layout of the notification e-mails
# (templates/account/email, mfa/email, socialaccount/email over core/email).
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Equitime: "
ACCOUNT_TEMPLATE_EXTENSION = "html"
# Rate limits (allauth, counted in the cache). "key" (the e-mail address) limits
# stop guessing at one member's password; "ip" limits are kept loose, since a
# whole NHS trust can reach us from one address. A failed sign-in counts towards
# both; a password reset towards the address asked for and the sender's IP.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "20/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,3/15m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "confirm_email": "1/3m/key",
    # Sign-ups that pass every other check (members.signup_forms): per network,
    # per e-mail domain and per mailbox (plus-addressing folded: a+1@x and a+2@x
    # are one mailbox). Invitations and single sign-on are not counted.
    "signup_network": os.environ.get("EQUITIME_SIGNUP_RATE_PER_IP", "20/1h") + "/ip",
    "signup_domain": os.environ.get("EQUITIME_SIGNUP_RATE_PER_DOMAIN", "50/1h") + "/key",
    "signup_mailbox": os.environ.get("EQUITIME_SIGNUP_RATE_PER_MAILBOX", "2/1d") + "/key",
}

# Who may join. Empty: anyone. Otherwise a comma-separated list where
# "nhs.net" matches that domain and "*.nhs.uk" any domain under nhs.uk.
# People with other addresses join only by a community administrator's invitation.
EQUITIME_ALLOWED_EMAIL_DOMAINS = _env_list("EQUITIME_ALLOWED_EMAIL_DOMAINS")
EQUITIME_INVITATION_DAYS = int(os.environ.get("EQUITIME_INVITATION_DAYS", "14"))

# Multi-factor authentication: an authenticator app (TOTP) and recovery codes.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Equitime"
MFA_RECOVERY_CODE_COUNT = 10

# Single sign-on (OpenID Connect), each provider switched on by its variables.
SOCIALACCOUNT_ADAPTER = "equitime.members.adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False  # a sign-in starts with a POST, never a link
SOCIALACCOUNT_STORE_TOKENS = False  # we only need to know who someone is
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": oidc_apps_from_env(os.environ)},
}

# Behind a load balancer, the number of proxies that append to X-Forwarded-For,
# so that limits count the person's address rather than the balancer's.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("EQUITIME_TRUSTED_PROXY_COUNT", "0"))

# --- JSON API (equitime.api) ---------------------------------------------------
# Requests per minute: per client IP (before authentication) and per token or
# member; writes are also counted apart. Stored in the cache (Redis if set).
EQUITIME_API_RATE_PER_IP = os.environ.get("EQUITIME_API_RATE_PER_IP", "300/m")
EQUITIME_API_RATE_PER_TOKEN = os.environ.get("EQUITIME_API_RATE_PER_TOKEN", "120/m")
EQUITIME_API_WRITE_RATE_PER_TOKEN = os.environ.get("EQUITIME_API_WRITE_RATE_PER_TOKEN", "30/m")
# Personal calendar feeds (scheduling.calendar_views), fetched by calendar
# programs: per feed address, and per network address (Google's and
# Microsoft's fetchers bring many members' feeds from a few addresses).
EQUITIME_CALENDAR_FEED_RATE = os.environ.get("EQUITIME_CALENDAR_FEED_RATE", "20/m")
EQUITIME_CALENDAR_FEED_RATE_PER_IP = os.environ.get("EQUITIME_CALENDAR_FEED_RATE_PER_IP", "600/m")
EQUITIME_IDEMPOTENCY_HOURS = int(os.environ.get("EQUITIME_IDEMPOTENCY_HOURS", "24"))
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 100

# --- E-mail -------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
# The address members reach the site on, for links in e-mails (core.site).
# Required in production (a system check in core.checks says so); in
# development `make run` sets it from HOST and PORT for the web and the worker.
EQUITIME_SITE_URL = os.environ.get(
    "EQUITIME_SITE_URL", "" if PRODUCTION else "http://127.0.0.1:8000"
).strip()
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Equitime <no-reply@equitime.local>")

# --- Background tasks ---------------------------------------------------------
# Django's task framework (the django-tasks backport of django.tasks). Tasks are
# queued in our own database (django-tasks-db), on SQLite and PostgreSQL alike,
# and `equitime worker` runs them beside the periodic schedule
# (equitime.jobs.schedule). Each e-mail is a task; a failed send is tried again
# after 1, 5, 25, 125 … minutes, EQUITIME_EMAIL_ATTEMPTS times in all.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EQUITIME_EMAIL_ATTEMPTS = int(os.environ.get("EQUITIME_EMAIL_ATTEMPTS", "6"))
# Seconds an idle worker waits before looking for new tasks and due jobs again.
EQUITIME_WORKER_INTERVAL = float(os.environ.get("EQUITIME_WORKER_INTERVAL", "5"))
# Finished tasks (their arguments include e-mail links) are deleted after this.
EQUITIME_TASK_RESULT_DAYS = int(os.environ.get("EQUITIME_TASK_RESULT_DAYS", "7"))

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "en-gb"
# Each language named in itself, as the switcher shows it (docs/i18n.md: how to
# add one). A member's choice is kept in their profile (``Profile.language``);
# a visitor's in the cookie below, else their browser's Accept-Language.
LANGUAGES = [
    ("en-gb", "English"),
    ("cy", "Cymraeg"),
    ("ar", "العربية"),
]
LANGUAGE_COOKIE_NAME = "equitime_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE: Literal["Lax"] = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

# --- Static files -------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
WHITENOISE_USE_FINDERS = DEBUG
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploaded files (campaign images): kept with the data, never served by a
# static server; a view reads them back with the headers they need
# (campaigns.views.campaign_image).
MEDIA_ROOT = Path(os.environ.get("EQUITIME_MEDIA_ROOT", DATA_DIR / "media"))
# Operators' CSV exports (equitime.exports), written by the worker, served after a
# permission check, deleted by retention: never a directory a web server serves.
EQUITIME_EXPORTS_DIR = Path(os.environ.get("EQUITIME_EXPORTS_DIR", DATA_DIR / "exports"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Security -----------------------------------------------------------------
# A member is signed out after this long without a request, and this long
# after signing in whatever they do (equitime.core.middleware).
EQUITIME_SESSION_IDLE_MINUTES = int(os.environ.get("EQUITIME_SESSION_IDLE_MINUTES", "30"))
EQUITIME_SESSION_ABSOLUTE_HOURS = int(os.environ.get("EQUITIME_SESSION_ABSOLUTE_HOURS", "12"))
SESSION_COOKIE_AGE = EQUITIME_SESSION_ABSOLUTE_HOURS * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Requests bigger than this (forms, not files: there are no uploads) are refused
# with a 400 before any view reads them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# Scripts and styles come only from our own static files: no inline script or
# style anywhere, so an injected one never runs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
if PRODUCTION:
    # Browsers send these cookies only over HTTPS, to this host, for every path.
    SESSION_COOKIE_NAME = "__Host-equitime-session"
    CSRF_COOKIE_NAME = "__Host-equitime-csrf"
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    # A load balancer probes the health endpoint over plain HTTP (core.health).
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Logs (issue 9 §4) ----------------------------------------------------------
# One JSON object per line on standard error in production, for a log shipper;
# plain text in development. EQUITIME_LOG_FORMAT=json|text overrides either.
# Every line logged during a request carries its id (equitime.core.logging).
LOG_FORMAT = os.environ.get("EQUITIME_LOG_FORMAT", "json" if PRODUCTION else "text").lower()
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("EQUITIME_LOG_FORMAT must be json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "equitime.core.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {"request_id": {"()": "equitime.core.logging.RequestIdFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Our request line says the same, once, with the request id and timing.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}

# --- The numbers the community runs on (DESIGN.md) ----------------------------
# All amounts are integer minutes. The units (minutes per credit, the
# quarter-hour step, the most hours per exchange) are not settings: database
# constraints fix them, so they are constants in equitime.core.units.
EQUITIME_WELCOME_GIFT_MINUTES = int(os.environ.get("EQUITIME_WELCOME_GIFT_MINUTES", "120"))
EQUITIME_BALANCE_FLOOR_MINUTES = int(os.environ.get("EQUITIME_BALANCE_FLOOR_MINUTES", "0"))
_ceiling = os.environ.get("EQUITIME_BALANCE_CEILING_MINUTES", "")
EQUITIME_BALANCE_CEILING_MINUTES = int(_ceiling) if _ceiling else None
EQUITIME_LISTING_EXPIRY_DAYS = int(os.environ.get("EQUITIME_LISTING_EXPIRY_DAYS", "90"))
EQUITIME_LISTING_EXPIRY_WARNING_DAYS = int(
    os.environ.get("EQUITIME_LISTING_EXPIRY_WARNING_DAYS", "7")
)
EQUITIME_AUTO_CONFIRM_DAYS = int(os.environ.get("EQUITIME_AUTO_CONFIRM_DAYS", "14"))
# The public impact page (/impact/): the community's figures, suppressed; "0" turns it off.
EQUITIME_PUBLIC_IMPACT = os.environ.get("EQUITIME_PUBLIC_IMPACT", "1") != "0"


# --- Retention (UK GDPR storage limitation) -----------------------------------
# How long each kind of personal data is kept, in whole days. `equitime
# apply_retention` applies them all (the worker runs it daily); the privacy
# notice and docs/data-map.md are rendered from this one dict, so what members
# are told and what is done cannot disagree. Each is set by its environment
# variable; there is no "keep forever" (0 or a blank refuses to start).
def _env_days(name: str, default: int) -> int:
    value = os.environ.get(name, str(default)).strip()
    if not (value.isdecimal() and int(value) > 0):
        raise ImproperlyConfigured(
            f"{name} must be a whole number of days above zero (there is no 'keep forever')."
        )
    return int(value)


EQUITIME_RETENTION = {
    # Messages of finished exchanges, counted from the end of the exchange.
    "messages_days": _env_days("EQUITIME_MESSAGE_RETENTION_DAYS", 730),
    # Notifications, read or not, counted from when they were sent.
    "notifications_days": _env_days("EQUITIME_NOTIFICATION_RETENTION_DAYS", 365),
    # The IP address on an audit entry is blanked after this; the entry stays.
    "audit_ip_days": _env_days("EQUITIME_AUDIT_IP_RETENTION_DAYS", 90),
    # A member who has not signed in for this long has their account closed...
    "dormant_account_days": _env_days("EQUITIME_DORMANT_ACCOUNT_DAYS", 1095),
    # ... after an e-mail warning sent this many days before.
    "dormant_warning_days": _env_days("EQUITIME_DORMANT_WARNING_DAYS", 30),
    # Closed or expired listings have their text removed this long after closing.
    "closed_listings_days": _env_days("EQUITIME_CLOSED_LISTING_RETENTION_DAYS", 365),
    # API idempotency records (never less than EQUITIME_IDEMPOTENCY_HOURS).
    "idempotency_records_days": _env_days("EQUITIME_IDEMPOTENCY_RETENTION_DAYS", 2),
    # Invitations that were accepted, withdrawn or expired, from when that happened.
    "invitations_days": _env_days("EQUITIME_INVITATION_RETENTION_DAYS", 90),
    # API tokens that expired or were revoked, from when that happened.
    "api_tokens_days": _env_days("EQUITIME_API_TOKEN_RETENTION_DAYS", 365),
    # Operators' CSV exports (their files and their rows), from when they were asked for.
    "exports_days": _env_days("EQUITIME_EXPORT_RETENTION_DAYS", 7),
}
if EQUITIME_RETENTION["dormant_warning_days"] >= EQUITIME_RETENTION["dormant_account_days"]:
    raise ImproperlyConfigured(
        "EQUITIME_DORMANT_WARNING_DAYS must be fewer than EQUITIME_DORMANT_ACCOUNT_DAYS."
    )

# --- Data protection: who is responsible (the privacy notice names them) -------
# Set by the operator of each deployment; the defaults say so rather than
# inventing an organisation.
EQUITIME_DATA_CONTROLLER_NAME = os.environ.get(
    "EQUITIME_DATA_CONTROLLER_NAME", "the organisation that runs this Equitime service"
)
EQUITIME_DATA_CONTROLLER_ADDRESS = os.environ.get(
    "EQUITIME_DATA_CONTROLLER_ADDRESS",
    "set by the operator of this service (EQUITIME_DATA_CONTROLLER_ADDRESS)",
)
EQUITIME_DATA_CONTROLLER_ICO_NUMBER = os.environ.get("EQUITIME_DATA_CONTROLLER_ICO_NUMBER", "")
EQUITIME_DPO_EMAIL = os.environ.get("EQUITIME_DPO_EMAIL", "")
# Where members write about the service: accessibility problems, questions.
EQUITIME_CONTACT_EMAIL = os.environ.get("EQUITIME_CONTACT_EMAIL", "")
# Processors: who handles personal data on the controller's behalf.
# Unset, the privacy notice says it in the reader's language (privacy.views).
EQUITIME_HOSTING_PROVIDER = os.environ.get("EQUITIME_HOSTING_PROVIDER", "")
EQUITIME_EMAIL_PROVIDER = os.environ.get("EQUITIME_EMAIL_PROVIDER", "")
# Countries outside the UK that personal data goes to, if any (comma-separated).
EQUITIME_INTERNATIONAL_TRANSFERS = _env_list("EQUITIME_INTERNATIONAL_TRANSFERS")
