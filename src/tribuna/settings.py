"""Tribuna's settings: everything comes from the environment, with safe defaults.

`.env.example` lists every variable. With nothing set, Tribuna runs on SQLite in
TRIBUNA_DATA_DIR (the checkout's var/, or ./var) and generates a secret key there once.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from tribuna.lib.env import env_bool, env_float, env_int, env_list, env_str, parse_email_url

PACKAGE_DIR = Path(__file__).resolve().parent


def _default_data_dir() -> Path:
    """The checkout's var/ when Tribuna runs from a source checkout (where `make demo` keeps its
    data, so `tribuna createsuperuser` finds the demo from any directory), else ./var."""
    checkout = PACKAGE_DIR.parents[1]
    if (checkout / "pyproject.toml").is_file() and (checkout / "src" / "tribuna").is_dir():
        return checkout / "var"
    return Path("var")


DATA_DIR = Path(env_str("TRIBUNA_DATA_DIR") or _default_data_dir()).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("TRIBUNA_TESTING", False)


def _on_database_server() -> bool:
    return not env_str("DATABASE_URL", "sqlite://").startswith("sqlite")


def _secret_key() -> str:
    """SECRET_KEY from the environment, or one generated once and kept in the data directory."""
    key = env_str("SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long")
        return key
    if _on_database_server() and not TESTING:
        # Several app servers and workers share one database server: each would generate its own
        # key, and sessions, edit tokens and form tokens from one would fail on the others.
        raise ImproperlyConfigured(
            "With DATABASE_URL on a database server (PostgreSQL), set SECRET_KEY or SECRET_KEY_FILE to the "
            "same value on every app server and worker; a generated key is only for the embedded SQLite default."
        )
    key_file = DATA_DIR / "secret_key"
    try:
        # Created with its mode in one call: never a moment when others may read it. O_EXCL makes
        # the first of several starting processes write it; the others read what it wrote.
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
PORT = env_int("PORT", 8000, minimum=1)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
BASE_URL = env_str("TRIBUNA_BASE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "tribuna.core.apps.TribunaAdminConfig",  # django.contrib.admin, with TOTP for staff who set it up
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.syndication",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",  # serves Swagger UI for /api/v1/docs from our own static files (the CSP forbids CDNs)
    "tribuna.core",
    "tribuna.statements",
    "tribuna.discussion",
    "tribuna.inline",
    "tribuna.notifications",
    "tribuna.antispam",
    "tribuna.moderation",
    "tribuna.privacy",
    "tribuna.embed",
    "tribuna.imports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tribuna.lib.middleware.SecurityHeadersMiddleware",
    "tribuna.lib.middleware.BodySizeLimitMiddleware",
    "tribuna.lib.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tribuna.embed.middleware.CorsMiddleware",
    # Warm thread pages leave here: everything below has nothing to add to them.
    "tribuna.discussion.middleware.CachedPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tribuna.urls"
WSGI_APPLICATION = "tribuna.wsgi.application"

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
                "tribuna.lib.context.site",
                "tribuna.moderation.context.moderation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'tribuna.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE makes writers queue instead of
    # failing with "database is locked" when they upgrade a read transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
if TESTING:
    # Live-server threads must not keep connections that would block dropping the test database.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if TESTING and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (thread pages) and rate-limit counters ---------------------------------------------
# Rate-limit counters never share a cache with pages (tribuna.lib.ratelimit): with Redis they
# have their own alias and key prefix, without it they are rows in the database.
REDIS_URL = env_str("REDIS_URL")
CACHES: dict[str, dict[str, object]]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tribuna-ratelimit",
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# --- Auth ---------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/admin/login/"
AXES_FAILURE_LIMIT = env_int("TRIBUNA_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 0.25  # hours
# Failures lock one username from one client address together: a stranger's wrong passwords
# from other addresses never lock the account's owner out. The address is the one the rest of
# Tribuna reads (X-Forwarded-For only from TRIBUNA_TRUSTED_PROXIES, IPv4-mapped unwrapped).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "tribuna.lib.http.client_ip"
OTP_TOTP_ISSUER = env_str("TRIBUNA_SITE_NAME", "Tribuna")
AXES_ENABLED = env_bool("TRIBUNA_AXES", True)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = BASE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env_int("TRIBUNA_SESSION_HOURS", 12, minimum=1) * 3600  # how long staff stay signed in
TRIBUNA_PASSWORD_RESET_LIMIT = (5, 3600)  # reset emails per client, and per address, per hour
# HSTS whenever the public address is https. Sent by our own middleware on every response
# (SecurityMiddleware sends it only when Django sees the request as secure, which behind a
# TLS-terminating proxy it does not); browsers ignore the header over plain http.
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if BASE_URL.startswith("https://") else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # the package's own static/, beside templates/
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
# Tests build a new middleware chain for every test client: with autorefresh WhiteNoise finds a static
# file when it is asked for, instead of indexing every file each time (a fifth of the suite's time).
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# --- Languages ---------------------------------------------------------------------------------
# Every shipped catalogue; TRIBUNA_LANGUAGES narrows what a site offers, LANGUAGE_CODE is its default.
SHIPPED_LANGUAGES = {
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "de": "Deutsch",
    "pt-br": "Português (Brasil)",
    "ar": "العربية",
    "uk": "Українська",
}
_enabled = env_list("TRIBUNA_LANGUAGES", ",".join(SHIPPED_LANGUAGES))
_unknown = sorted(set(_enabled) - set(SHIPPED_LANGUAGES))
if _unknown:
    raise ImproperlyConfigured(f"TRIBUNA_LANGUAGES: no catalogue for {', '.join(_unknown)}")
LANGUAGES = [(code, SHIPPED_LANGUAGES[code]) for code in _enabled]
LANGUAGE_CODE = env_str("LANGUAGE_CODE", _enabled[0] if _enabled else "en")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE {LANGUAGE_CODE!r} is not among TRIBUNA_LANGUAGES")
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Email ---------------------------------------------------------------------------------
EMAIL_URL = env_str("EMAIL_URL", f"file://{DATA_DIR / 'mail'}")
globals().update(parse_email_url(EMAIL_URL))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Tribuna <tribuna@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Tribuna ---------------------------------------------------------------------------------
TRIBUNA_SITE_NAME = env_str("TRIBUNA_SITE_NAME", "Tribuna")
TRIBUNA_TRUSTED_PROXIES = env_list("TRIBUNA_TRUSTED_PROXIES", "")
TRIBUNA_ALLOWED_ORIGINS = env_list("TRIBUNA_ALLOWED_ORIGINS", "")
TRIBUNA_EDIT_WINDOW = env_int("TRIBUNA_EDIT_WINDOW", 15 * 60, minimum=0)  # seconds
TRIBUNA_MAX_DEPTH = 6  # display levels; deeper replies attach at the cap
TRIBUNA_PAGE_SIZE = env_int("TRIBUNA_PAGE_SIZE", 50, minimum=1)
TRIBUNA_MAX_PAGE_SIZE = 200
TRIBUNA_RATE_LIMIT = env_bool("TRIBUNA_RATE_LIMIT", True)
TRIBUNA_RATE_LIMITS = {
    # scope: (requests, seconds)
    "ip": (env_int("TRIBUNA_RATE_IP", 10, minimum=1), 60),
    "email": (env_int("TRIBUNA_RATE_EMAIL", 10, minimum=1), 60),
    "thread": (env_int("TRIBUNA_RATE_THREAD", 120, minimum=1), 60),
    "site": (env_int("TRIBUNA_RATE_SITE", 2000, minimum=1), 60),
}
TRIBUNA_PREVIEW_LIMIT = (60, 60)  # Markdown previews per client and minute
# Proof of work (antispam.pow): each anonymous comment from a page or the API carries an ALTCHA
# solution, or is held for a moderator. A challenge asks for one number below MAX_NUMBER, each try
# one PBKDF2-SHA-256 derivation of COST iterations: see bench/bench_pow.py for the time it takes.
TRIBUNA_POW = env_bool("TRIBUNA_POW", True)
TRIBUNA_POW_COST = env_int("TRIBUNA_POW_COST", 1000, minimum=1)
TRIBUNA_POW_MAX_NUMBER = env_int("TRIBUNA_POW_MAX_NUMBER", 200, minimum=1)
TRIBUNA_POW_MAX_AGE = env_int("TRIBUNA_POW_MAX_AGE", 2 * 3600, minimum=60)  # seconds a challenge stays good
TRIBUNA_NEW_THREAD_LIMIT = (
    env_int("TRIBUNA_RATE_NEW_THREAD", 20, minimum=1),
    3600,
)  # embedded threads per client
TRIBUNA_SPAM_THRESHOLD = env_float("TRIBUNA_SPAM_THRESHOLD", -1.0)  # -1: the model's own default
TRIBUNA_HOLD_THRESHOLD = env_float("TRIBUNA_HOLD_THRESHOLD", -1.0)
TRIBUNA_BAD_LINK_DOMAINS = set(env_list("TRIBUNA_BAD_LINK_DOMAINS", ""))
TRIBUNA_PREMODERATION = set(env_list("TRIBUNA_PREMODERATION", ""))
TRIBUNA_RETRAIN_AFTER_LABELS = env_int("TRIBUNA_RETRAIN_AFTER_LABELS", 50, minimum=1)
TRIBUNA_SPAM_MAX_LABELS = env_int(
    "TRIBUNA_SPAM_MAX_LABELS", 5000, minimum=1
)  # newest labels one scope trains on
# Akismet submit-spam / submit-ham per key: (count, window seconds), a burst limit and a daily cap.
TRIBUNA_AKISMET_SUBMIT_LIMITS = [
    (env_int("TRIBUNA_AKISMET_SUBMIT_PER_MINUTE", 60, minimum=1), 60),
    (env_int("TRIBUNA_AKISMET_SUBMIT_PER_DAY", 1000, minimum=1), 24 * 3600),
]
TRIBUNA_IP_RETENTION_DAYS = env_int("TRIBUNA_IP_RETENTION_DAYS", 30, minimum=1)
TRIBUNA_MAX_BODY_BYTES = 64 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # admin forms; the API checks its own smaller cap first

# --- Privacy ---------------------------------------------------------------------------------
TRIBUNA_PRIVACY_CONTROLLER = env_str("TRIBUNA_PRIVACY_CONTROLLER", "")  # who is responsible for the data
TRIBUNA_PRIVACY_CONTACT = env_str("TRIBUNA_PRIVACY_CONTACT", "")  # where to ask about it
TRIBUNA_MY_DATA_LINK_HOURS = env_int("TRIBUNA_MY_DATA_LINK_HOURS", 24, minimum=1)
TRIBUNA_MY_DATA_LIMITS = {
    # scope: (requests, seconds) for "send me a link to my data"
    "mydata-email": (env_int("TRIBUNA_RATE_MY_DATA_EMAIL", 3, minimum=1), 3600),
    "mydata-ip": (env_int("TRIBUNA_RATE_MY_DATA_IP", 10, minimum=1), 3600),
}

# --- Moderation ------------------------------------------------------------------------------
# Distinct readers' reports hide a comment: at least TRIBUNA_REPORT_THRESHOLD (never below 5), and
# more on busy threads: TRIBUNA_REPORT_SHARE percent of the thread's readers (distinct commenters and voters).
TRIBUNA_REPORT_THRESHOLD = env_int("TRIBUNA_REPORT_THRESHOLD", 5, minimum=5)
TRIBUNA_REPORT_SHARE = env_int("TRIBUNA_REPORT_SHARE", 10, minimum=1)
TRIBUNA_VOTE_LIMITS = {
    # scope: (requests, seconds)
    "vote-client": (env_int("TRIBUNA_RATE_VOTE_CLIENT", 30, minimum=1), 600),  # votes by one client
    "vote-comment": (env_int("TRIBUNA_RATE_VOTE_COMMENT", 20, minimum=1), 600),  # votes on one comment
    "vote-change": (
        env_int("TRIBUNA_RATE_VOTE_CHANGE", 3, minimum=1),
        3600,
    ),  # one client's vote on one comment
}
TRIBUNA_REPORT_LIMITS = {
    "report-client": (env_int("TRIBUNA_RATE_REPORT_CLIENT", 10, minimum=1), 3600),
    "report-comment": (env_int("TRIBUNA_RATE_REPORT_COMMENT", 30, minimum=1), 3600),
}
TRIBUNA_AUTO_APPROVE_AFTER = env_int("TRIBUNA_AUTO_APPROVE_AFTER", 0, minimum=0)  # 0: never auto-approve

# --- Notifications -------------------------------------------------------------------------
TRIBUNA_CONFIRM_INTERVAL = env_int(
    "TRIBUNA_CONFIRM_INTERVAL", 10 * 60, minimum=1
)  # seconds between confirmations per address
TRIBUNA_CONFIRM_PER_IP = env_int(
    "TRIBUNA_CONFIRM_PER_IP", 10, minimum=1
)  # subscription requests per IP per hour
TRIBUNA_CONFIRM_MAX_AGE = env_int(
    "TRIBUNA_CONFIRM_MAX_AGE", 7 * 24 * 3600, minimum=60
)  # seconds a confirmation link works
TRIBUNA_MODERATION_LINK_MAX_AGE = env_int("TRIBUNA_MODERATION_LINK_MAX_AGE", 7 * 24 * 3600, minimum=60)
TRIBUNA_WORKER_BATCH = env_int("TRIBUNA_WORKER_BATCH", 100, minimum=1)  # deliveries per SMTP connection
# Seconds a claimed delivery stays claimed without word from its worker. Only a worker that dies and is
# not restarted on its host waits this out (a restarted one takes its rows back at once), and a live
# worker renews it while it sends, so it need only outlast one message: a SQLite write waiting for the
# lock (busy_timeout, 10 s) plus an SMTP exchange of MAIL, RCPT, DATA and the end of data, each allowed
# EMAIL_TIMEOUT (10 s by default): 50 s, and 60 with a margin. Raise it with a larger ?timeout= in EMAIL_URL.
TRIBUNA_WORKER_LEASE = env_int("TRIBUNA_WORKER_LEASE", 60, minimum=1)
TRIBUNA_WORKER_MAX_ATTEMPTS = env_int("TRIBUNA_WORKER_MAX_ATTEMPTS", 6, minimum=1)
TRIBUNA_WORKER_RETRY_DELAY = env_int(
    "TRIBUNA_WORKER_RETRY_DELAY", 60, minimum=1
)  # first retry; doubles each time
TRIBUNA_WORKER_INTERVAL = env_float("TRIBUNA_WORKER_INTERVAL", 2.0)  # seconds between polls when idle
# Set by `tribuna serve --with-worker`: each app process runs the worker in a thread (README, "Sizing").
TRIBUNA_SERVE_WORKER = env_bool("TRIBUNA_SERVE_WORKER", False)
TRIBUNA_DEMO_MAILBOX = env_bool("TRIBUNA_DEMO_MAILBOX", False)  # /mailbox/ open to everyone (demo only)

# --- Inline feedback ---------------------------------------------------------------------------
TRIBUNA_INLINE_MAX_PASSAGES = env_int(
    "TRIBUNA_INLINE_MAX_PASSAGES", 500, minimum=1
)  # passage comments per page load


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
