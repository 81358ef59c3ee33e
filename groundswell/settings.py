"""Groundswell settings: 12-factor, every value from the environment (see README)."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from groundswell.core.private import private_file
from groundswell.env import (
    email_settings,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_rate,
    env_str,
    env_url,
)
from groundswell.texts import config as _texts_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept under var/."""
    if key := env_str("SECRET_KEY"):
        if len(key) < 32:
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long")
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        # Created readable by its owner only, from the first byte (no chmod afterwards).
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
            f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Old keys, comma-separated, after a rotation: links already emailed and sealed
# two-factor secrets keep working until they are re-made with the new key.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
DEBUG = env_bool("DEBUG", False)

PORT = env_int("PORT", 8000, minimum=1)
BASE_URL = env_url("BASE_URL", f"http://127.0.0.1:{PORT}")
_base = urlsplit(BASE_URL)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [_base.hostname or "", "127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = [f"{_base.scheme}://{_base.netloc}"]
if _base.scheme == "https":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
# Proxies and load balancers in front of the app servers (IPs or CIDR ranges): the
# client's address is then read from X-Forwarded-For, for rate limits and integrity.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

INSTALLED_APPS = [
    "groundswell.core",
    "groundswell.accounts",
    "groundswell.organizations",
    "groundswell.people",
    "groundswell.districts",
    "groundswell.legislation",
    "groundswell.research",
    "groundswell.petitions",
    "groundswell.campaigns",
    "groundswell.cases",
    "groundswell.events",
    "groundswell.volunteers",
    "groundswell.outreach",
    "groundswell.mailings",
    "groundswell.ladders",
    "groundswell.canvass",
    "groundswell.texts",
    "groundswell.api",
    "groundswell.webhooks",
    "groundswell.front",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "groundswell.accounts.middleware.SessionGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "groundswell.core.middleware.security_headers",
]

ROOT_URLCONF = "groundswell.urls"
WSGI_APPLICATION = "groundswell.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "groundswell.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite (WAL) under var/ unless DATABASE_URL names another.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'groundswell.sqlite3'}")
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {exc}") from None
# Seconds a write waits for another's lock before it gives up (SQLite's busy timeout,
# PostgreSQL's lock_timeout): then a signer gets a clear 503, a worker tries later.
DATABASE_LOCK_TIMEOUT = env_float("DATABASE_LOCK_TIMEOUT", 5.0, minimum=0.1)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0 if _db["NAME"] == ":memory:" else _db["CONN_MAX_AGE"]
    if _db["NAME"] != ":memory:":
        private_file(Path(_db["NAME"]))  # supporters' data: its owner's alone
    _db["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN: one writer at a time, waiting its turn,
        # and no "database is locked" on a lock upgrade.
        "transaction_mode": "IMMEDIATE",
        "timeout": DATABASE_LOCK_TIMEOUT,
        # FULL sync keeps an acknowledged signature through a power cut, not only a crash.
        # The write-ahead log is checkpointed every 1,000 pages and cut back to 64 MB.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
            "PRAGMA wal_autocheckpoint=1000; PRAGMA journal_size_limit=67108864;"
        ),
    }
    _db["TEST"] = {"NAME": env_str("TEST_SQLITE_NAME") or None}
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db.setdefault("OPTIONS", {})
    # A write waiting on a lock gives up after DATABASE_LOCK_TIMEOUT instead of piling up.
    _db["OPTIONS"]["options"] = f"-c lock_timeout={int(DATABASE_LOCK_TIMEOUT * 1000)}"
    _db["CONN_HEALTH_CHECKS"] = True
else:
    raise ImproperlyConfigured("DATABASE_URL must be a sqlite:// or postgres:// URL")
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "gs",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: the django.tasks API (django-tasks backport) on its database backend.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "front_manage:index"
LOGOUT_REDIRECT_URL = "front:home"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12, minimum=60)
# A signed-in session unused this many seconds ends (SESSION_COOKIE_AGE caps it in all).
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 60 * 60 * 2, minimum=60)
# Failed logins (passwords or 2FA codes) allowed per account and per IP address in the
# window (seconds); password reset requests are limited the same way.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 15 * 60, minimum=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["groundswell.formats"]
LANGUAGE_COOKIE_NAME = "gs_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = env_str("TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Files holding supporters' data (CSV imports): never under MEDIA_ROOT, never served.
PRIVATE_ROOT = Path(env_str("PRIVATE_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 5 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

EMAIL_URL = env_str("EMAIL_URL", "console:")
globals().update(email_settings(EMAIL_URL))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Groundswell <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_NAME = env_str("SITE_NAME", "Groundswell")
# Domains whose SPF/DKIM/DMARC let this server send as an organization (docs/email.md).
MAIL_SENDER_DOMAINS = env_list("MAIL_SENDER_DOMAINS")

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Petitions: how often the worker folds new signatures into the counts, and how
# often it recounts everything from the signatures to repair any drift.
COUNT_INTERVAL = env_float("COUNT_INTERVAL", 1.0, minimum=0.1)
RECOUNT_INTERVAL = env_float("RECOUNT_INTERVAL", 600.0, minimum=1.0)
VERIFICATION_MAX_AGE_DAYS = env_int("VERIFICATION_MAX_AGE_DAYS", 30, minimum=1)
VERIFICATION_MAX_SENDS = env_int("VERIFICATION_MAX_SENDS", 3, minimum=1)
EMAIL_BATCH_SIZE = env_int("EMAIL_BATCH_SIZE", 200, minimum=1)
EMAIL_INTERVAL = env_float("EMAIL_INTERVAL", 0.5, minimum=0.05)  # outbox of confirmations
# SMTP connections each worker sends over at once (a thread each).
EMAIL_CONNECTIONS = env_int("EMAIL_CONNECTIONS", 4, minimum=1)
# Mailings (groundswell/mailings, docs/mailings.md): messages per second the workers hand
# to the outbox for each mailing (shared by all workers); where bounces and abuse reports arrive
# (imaps://user:password@host/INBOX, or a Maildir path); soft bounces before suppression.
MAILINGS_RATE = env_float("MAILINGS_RATE", 50.0, minimum=0.1)
MAILINGS_BOUNCE_IMAP_URL = env_str("MAILINGS_BOUNCE_IMAP_URL", "")
MAILINGS_BOUNCE_MAILDIR = env_str("MAILINGS_BOUNCE_MAILDIR", "")
MAILINGS_SOFT_BOUNCE_LIMIT = env_int("MAILINGS_SOFT_BOUNCE_LIMIT", 3, minimum=1)
# Text messages (groundswell/texts, docs/texts.md): the provider (twilio://SID:TOKEN@
# api.twilio.com?from=+13125550100, or console: to log them); texts per second for all
# workers together; the hours no text goes out, in the recipient's time zone.
SMS_URL = env_str("SMS_URL", "console:")
TEXTS_RATE = env_float("TEXTS_RATE", 1.0, minimum=0.01)
TEXTS_QUIET_HOURS = env_str("TEXTS_QUIET_HOURS", "21:00-09:00")
_texts_config.provider_config(SMS_URL)
_texts_config.quiet_hours(TEXTS_QUIET_HOURS)
# Workers: how often each writes its heartbeat; how long one may stay silent before it
# counts as lost (its claimed tasks and emails are then run by the others); and how
# long work may wait past its time before /healthz calls the queue stuck.
WORKER_BEAT_SECONDS = env_float("WORKER_BEAT_SECONDS", 5.0, minimum=0.1)
WORKER_LOST_AFTER = env_float("WORKER_LOST_AFTER", 60.0, minimum=1.0)
HEALTH_MAX_DUE_SECONDS = env_float("HEALTH_MAX_DUE_SECONDS", 300.0, minimum=1.0)
# Seconds a rendered petition page (anonymous readers) and count.json are reused by the
# app itself, before any proxy: a crowd then costs a cache read per view. 0 turns it off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3, minimum=0)
COUNT_CACHE_SECONDS = env_int("COUNT_CACHE_SECONDS", 1, minimum=0)
# Seconds each app process itself keeps answers that a shared cache may keep (anonymous
# petition pages, count.json), in front of Django: see groundswell/core/readercache.py.
READER_CACHE_SECONDS = env_float("READER_CACHE_SECONDS", 1.0, minimum=0.0)
# Months after a petition closes before its signers' personal details are erased.
SIGNATURE_RETENTION_MONTHS = env_int("SIGNATURE_RETENTION_MONTHS", 6, minimum=1)

# Supporters: the largest CSV an organizer may import, in megabytes.
IMPORT_MAX_MB = env_int("IMPORT_MAX_MB", 50, minimum=1)
# The most columns an imported CSV may have (a mapping page of thousands helps nobody,
# and each column is a field of the mapping form).
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 200, minimum=10)
# Days an import's failed rows (to fix and re-import) and never-started uploads are kept.
IMPORT_RETENTION_DAYS = env_int("IMPORT_RETENTION_DAYS", 30, minimum=1)
# A supporter's emailed link to their data (copy and erasure): days it works, and how
# many requests one IP address and one email address may make (events/seconds).
DATA_LINK_MAX_AGE_DAYS = env_int("DATA_LINK_MAX_AGE_DAYS", 7, minimum=1)
DATA_REQUEST_RATE_IP = env_rate("DATA_REQUEST_RATE_IP", "10/3600")
DATA_REQUEST_RATE_ADDRESS = env_rate("DATA_REQUEST_RATE_ADDRESS", "3/86400")

# OSDI API (/api/v2/): requests one organization's token may make per window.
API_RATE = env_rate("API_RATE", "600/60")
# Webhooks: days a delivery stays in the log; and whether an endpoint may resolve to a
# private, loopback or link-local address (never in production: it would let an
# organization's admin reach into the servers' own network).
WEBHOOKS_RETENTION_DAYS = env_int("WEBHOOKS_RETENTION_DAYS", 30, minimum=1)
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", False)

# Signing integrity: per-IP limits (events/seconds). Over a limit a signature is kept
# but marked suspect, and does not count until an organizer clears it.
SIGN_RATE_BURST = env_rate("SIGN_RATE_BURST", "5/60")  # one IP, one petition
SIGN_RATE_SUSTAINED = env_rate("SIGN_RATE_SUSTAINED", "30/3600")  # one IP, one petition
SIGN_RATE_GLOBAL = env_rate("SIGN_RATE_GLOBAL", "100/3600")  # one IP, all petitions
SIGN_MIN_FILL_SECONDS = env_float("SIGN_MIN_FILL_SECONDS", 3.0, minimum=0)
# The proof-of-work challenge organizers can switch on: the largest secret number a
# signer's browser may have to search up to. Work grows in proportion; see README.
CHALLENGE_MAX_NUMBER = env_int("CHALLENGE_MAX_NUMBER", 100_000, minimum=1000)
# Extra disposable-email domains, one per line, on top of the shipped list.
DISPOSABLE_DOMAINS_FILE = env_str("DISPOSABLE_DOMAINS_FILE")

# Rate limits of the other public forms, per IP address (events/seconds): a sign-up
# table at a meeting shares one address, a bot filling a form in a loop goes far beyond.
# Over the limit the form says so (429). groundswell/core/ratelimit.py counts them all.
RSVP_RATE_IP = env_rate("RSVP_RATE_IP", "20/3600")  # RSVPs, all events
EVENT_PROPOSAL_RATE_IP = env_rate("EVENT_PROPOSAL_RATE_IP", "5/3600")  # each emails organizers
VOLUNTEER_SIGNUP_RATE_IP = env_rate("VOLUNTEER_SIGNUP_RATE_IP", "20/3600")  # per organization
ENDORSEMENT_RATE_IP = env_rate("ENDORSEMENT_RATE_IP", "20/3600")  # coalition sign-ons
OUTREACH_RATE_IP = env_rate("OUTREACH_RATE_IP", "20/3600")  # messages to offices and calls
OUTREACH_LOCATE_RATE_IP = env_rate("OUTREACH_LOCATE_RATE_IP", "60/3600")  # address lookups
# "Tell your alderperson": confirmation emails one address gets; and the messages one
# office is sent per window (the rest wait for the next windows, none is dropped).
OUTREACH_RATE_ADDRESS = env_rate("OUTREACH_RATE_ADDRESS", "5/86400")
OUTREACH_OFFICE_RATE = env_rate("OUTREACH_OFFICE_RATE", "30/3600")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

TESTING = "pytest" in sys.modules or os.environ.get("GROUNDSWELL_TESTING") == "1"
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    PAGE_CACHE_SECONDS = 0  # tests see every change at once; test_reader_cache turns it on
    COUNT_CACHE_SECONDS = 0
    READER_CACHE_SECONDS = 0.0
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    MEDIA_ROOT = VAR_DIR / "test-media"
    PRIVATE_ROOT = VAR_DIR / "test-private"
    WEBHOOKS_ALLOW_PRIVATE = True  # receivers run on 127.0.0.1; test_ssrf turns it off

# The public forms' screening (groundswell/core/screening.py). A form page's token is
# good for FORM_TOKEN_MAX_AGE seconds, and FORM_TOKEN_USES times from one network (a
# double click, sending again for the email again); more are treated as no token.
FORM_TOKEN_MAX_AGE = env_int("FORM_TOKEN_MAX_AGE", 4 * 3600, minimum=60)
FORM_TOKEN_USES = (env_int("FORM_TOKEN_USES", 3, minimum=1), FORM_TOKEN_MAX_AGE)
# The signing hard cap, one IP on one petition: past it a signature is refused with 429
# and nothing is stored, where the limits above only mark it suspect.
SIGN_RATE_HARD = env_rate("SIGN_RATE_HARD", "100/600")
# Static files carry the pages' security headers; organizer pages are never stored by a
# browser or proxy; a form whose text is not UTF-8 is refused before any view reads it.
from groundswell.core.middleware import static_file_headers  # noqa: E402

WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "groundswell.organizations.permissions.organizer_pages_private",
)
MIDDLEWARE.append("groundswell.core.middleware.RefuseUndecodableForms")

# Districts (groundswell/districts/): the geocoder that turns a supporter's address into a
# point for their ward, run or chosen by the operator: GEOCODER_URL is its base address
# (none by default: then only the shipped ZIP points, never a ward fact), GEOCODER_KIND
# the API it speaks, GEOCODER_TIMEOUT the seconds one lookup may take in all. Answers
# are kept GEOCODER_CACHE_DAYS days. A ward map file may be at most DISTRICTS_IMPORT_MAX_MB.
GEOCODER_URL = env_url("GEOCODER_URL", "") if env_str("GEOCODER_URL").strip() else ""
GEOCODER_KIND = env_str("GEOCODER_KIND", "census").strip().lower()
if GEOCODER_KIND not in ("census", "nominatim", "pelias"):
    raise ImproperlyConfigured(
        f"GEOCODER_KIND must be census, nominatim or pelias, not {GEOCODER_KIND!r}"
    )
GEOCODER_TIMEOUT = env_float("GEOCODER_TIMEOUT", 5.0, minimum=0.1)
GEOCODER_CACHE_DAYS = env_int("GEOCODER_CACHE_DAYS", 90, minimum=1)
DISTRICTS_IMPORT_MAX_MB = env_int("DISTRICTS_IMPORT_MAX_MB", 25, minimum=1)

# Legislation (groundswell/legislation/): `manage.py import_people` and `import_matters`
# read a file or URL of at most LEGISLATION_IMPORT_MAX_MB; fetching a URL may take at most
# LEGISLATION_IMPORT_TIMEOUT seconds in all.
LEGISLATION_IMPORT_MAX_MB = env_int("LEGISLATION_IMPORT_MAX_MB", 20, minimum=1)
LEGISLATION_IMPORT_TIMEOUT = env_float("LEGISLATION_IMPORT_TIMEOUT", 30.0, minimum=0.1)

# Cases (groundswell/cases/): CASES_KEYS are the keys that wrap each case's own data key
# (a list of base64 32-byte keys, the first wraps, all unwrap: add a new one in front,
# run `manage.py rewrap_case_keys`, then drop the old one). Without it a key is derived
# from SECRET_KEY (a demo only: docs/cases.md). A medical emergency nobody acted on in
# CASES_EMERGENCY_SLA_MINUTES is escalated by email; CASE_REQUEST_RATE_IP limits the
# public "request help" form per network. Documents (PDF, JPEG, PNG) are stored encrypted
# under PRIVATE_ROOT/cases/, at most CASES_DOCUMENT_MAX_MB each.
CASES_KEYS = env_list("CASES_KEYS", [])
CASES_EMERGENCY_SLA_MINUTES = env_int("CASES_EMERGENCY_SLA_MINUTES", 60, minimum=1)
CASE_REQUEST_RATE_IP = env_rate("CASE_REQUEST_RATE_IP", "5/3600")
# Canvassing: wrong canvasser codes one client may try per window (then 429).
CANVASS_CODE_RATE_IP = env_rate("CANVASS_CODE_RATE_IP", "20/3600")
CASES_DOCUMENT_MAX_MB = env_int("CASES_DOCUMENT_MAX_MB", 10, minimum=1)  # one document
# A closed case is deleted (its key with it: crypto-shredded) this many days after it
# closed; 0 keeps closed cases. The audit log keeps that it existed (docs/cases.md).
CASES_RETENTION_DAYS = env_int("CASES_RETENTION_DAYS", 0, minimum=0)
