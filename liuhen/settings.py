"""Liuhen settings: everything that differs between deployments comes from the environment.

LIUHEN_HOME    data directory (SQLite database, stored files, keys); default ./var
DATABASE_URL   e.g. postgres://user:pass@host:5432/liuhen; default SQLite under LIUHEN_HOME
LIUHEN_DEBUG   1 to run with DEBUG on (the default for `make run`'s local server is off)
LIUHEN_ALLOWED_HOSTS  comma-separated host names
LIUHEN_CRYPTO  "intl" (AES-256-GCM) or "gm" (SM4-GCM; GB/T 39786) for field encryption
LIUHEN_BLIND_INDEX  "hmac-sha256" or "hmac-sm3" for the searchable index of encrypted fields
LIUHEN_LEDGER_HASH "sha256" or "sm3"; LIUHEN_LEDGER_SIGNATURE "ed25519" or "sm2"; LIUHEN_LOG_ORIGIN
LIUHEN_HTTPS   1 when Liuhen is served over HTTPS (behind a proxy that sets X-Forwarded-Proto): secure
               cookies, HSTS, redirect to https
LIUHEN_STORAGE_URL  where stored files go: empty (local disk under LIUHEN_HOME/blobs), file:///dir, or
               s3://BUCKET?endpoint=http://host:port&region=R[&prefix=P] (credentials from AWS_ACCESS_KEY_ID /
               AWS_SECRET_ACCESS_KEY, or s3://KEY:SECRET@BUCKET?...); see liuhen/media/store.py
LIUHEN_MAX_UPLOAD_BYTES  largest upload (files of one request), default 2 GiB
LIUHEN_AV_RULES  retired (issue 15): refused at start; the agency profile's av_acts replace it
LIUHEN_RETENTION, LIUHEN_COPIES, LIUHEN_INSPECTION_ROLES, LIUHEN_INSPECTION_CHECKLIST, LIUHEN_DEVICES
               retired (issue 15): refused at start; the agency profile's retention:, copies:,
               inspections: and devices: sections replace them (docs/profiles.md)
LIUHEN_UPLOAD_DIR  where resumable footage uploads (API, browser) wait until whole; default LIUHEN_HOME/uploads
LIUHEN_UPLOAD_CHUNK_MAX_BYTES  largest chunk of one resumable-upload request, default 8 MiB
LIUHEN_FOOTAGE_MAX_BYTES  largest footage file an ingest accepts, default 64 GiB
LIUHEN_POSTER_DIR  cache of poster frames, default LIUHEN_HOME/cache/posters
LIUHEN_UPLOAD_EXPIRE_HOURS  an upload unfinished this long after its last byte is cleared, default 24
LIUHEN_UPLOAD_MAX_OPEN / LIUHEN_CONFIRM_MAX  unfinished uploads per sender (50); hashes per confirm call (100)
"""
import json
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
LIUHEN_HOME = Path(os.environ.get("LIUHEN_HOME", Path.cwd() / "var")).resolve()
LIUHEN_HOME.mkdir(parents=True, exist_ok=True)

from liuhen.common.keys import load_or_create_secret  # noqa: E402  (needs LIUHEN_HOME)

SECRET_KEY = os.environ.get("LIUHEN_SECRET_KEY") or load_or_create_secret(LIUHEN_HOME, "django-secret")
DEBUG = os.environ.get("LIUHEN_DEBUG", "0") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("LIUHEN_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",  # 等保 2.0 双因素: administrators' second factor (liuhen/accounts/otp.py)
    "django_otp.plugins.otp_totp",
    "ninja",  # the JSON API at /api/ (liuhen/web/api.py); its docs page's own static files
    "liuhen.common",
    "liuhen.ledger",
    "liuhen.media",
    "liuhen.accounts",
    "liuhen.workdays",
    "liuhen.profiles",
    "liuhen.devices",
    "liuhen.cases",
    "liuhen.footage",
    "liuhen.records",
    "liuhen.avrules",
    "liuhen.retention",
    "liuhen.copies",
    "liuhen.inspections",
    "liuhen.documents",
    "liuhen.legalreview",
    "liuhen.rights",
    "liuhen.delivery",
    "liuhen.execution",
    "liuhen.rectification",
    "liuhen.caseproperty",
    "liuhen.enforcement",
    "liuhen.archive",
    "liuhen.retrieval",
    "liuhen.publicity",
    "liuhen.audit",
    "liuhen.oversight",
    "liuhen.evaluation",
    "liuhen.exchange",
    "liuhen.web",
    "liuhen.demo",
    "liuhen.ops",  # `liuhen backup` / `liuhen restore` (issue 21)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files without a separate web server
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy on every page (CONTENT_SECURITY_POLICY below)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "liuhen.accounts.sessions.SessionRefreshMiddleware",  # the idle timeout slides, saved once a minute
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the session passed the code
    # An administrator's session goes nowhere before its second factor, then nowhere before an
    # expired or administrator-set password is changed (liuhen/accounts/middleware.py).
    "liuhen.accounts.middleware.SecondFactorRequiredMiddleware",
    "liuhen.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "liuhen.common.middleware.RequestContextMiddleware",
    # The web edge (liuhen/web/middleware.py): 405 page and no-store on the way out; bodies refused
    # before anything reads them (must stay after auth, before any middleware that reads POST).
    "liuhen.web.middleware.EdgeResponseMiddleware",
    "liuhen.web.middleware.BodyGuardMiddleware",
]

ROOT_URLCONF = "liuhen.urls"
WSGI_APPLICATION = "liuhen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "liuhen.web.context.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{LIUHEN_HOME / 'liuhen.sqlite3'}", conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A gunicorn worker keeps its PostgreSQL connection between requests (a new one per request costs
    # a server process fork and the authentication — several ms of CPU on every page; bench/load.py);
    # checked before each reuse, so a restarted database costs one failed request, not a worker.
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("LIUHEN_DB_CONN_MAX_AGE", "") or 300)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "liuhen.common.db.sqlite3"  # adds what the append-only triggers need
    # WAL + a busy timeout so that several processes (server, tasks, CLI) can write in turn.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests run in memory (Django's default for SQLite), said out loud: pytest-xdist names a
    # per-worker file for any engine it does not know as SQLite, ours included.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Each process's memory: the default (Django's), and the portal's rendered pages (publicity.portal_cache:
# kept per state of the publicity tables, so never stale; bounded, a few MB a worker).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "portal": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal",
               "OPTIONS": {"MAX_ENTRIES": 500}},
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["liuhen.accounts.lockout.LockoutBackend"]
LIUHEN_LOGIN_MAX_FAILURES = int(os.environ.get("LIUHEN_LOGIN_MAX_FAILURES", 5))
# Devices (liuhen.devices): the largest device-clock error accepted at a sign-out or return check
# (SPEC §3: ≤ 3 s in police practice), and whether an officer may sign a device out to themselves.
LIUHEN_DEVICE_CLOCK_MAX_DRIFT_SECONDS = float(os.environ.get("LIUHEN_DEVICE_CLOCK_MAX_DRIFT_SECONDS", 3))
LIUHEN_DEVICE_SELF_SIGNOUT = os.environ.get("LIUHEN_DEVICE_SELF_SIGNOUT", "") in ("1", "true", "yes")
# Retired by issue 15: the acts that need audio-video recording are the agency profile's av_acts
# (liuhen/profiles). Still read so that the system check liuhen.avrules.E001 refuses a set value.
try:
    LIUHEN_AV_RULES = json.loads(os.environ.get("LIUHEN_AV_RULES", "") or "{}")
except json.JSONDecodeError as exc:  # kept as text: the system check liuhen.avrules.E001 names the error
    LIUHEN_AV_RULES = f"JSON 无效：{exc}"
LIUHEN_LOGIN_LOCK_MINUTES = int(os.environ.get("LIUHEN_LOGIN_LOCK_MINUTES", 15))
# One client address failing this often within the window is locked out too, whatever usernames it tries.
LIUHEN_LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("LIUHEN_LOGIN_MAX_FAILURES_PER_ADDRESS", 20))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # each to their own first page (web.views.home: accounts.views.first_page_url)
LOGOUT_REDIRECT_URL = "login"

# Security baseline (SPEC §9, 等保 2.0): password rules and session timeout.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password expiry (等保 2.0 身份鉴别: 定期更换): days a password lasts, for the three administrators
# and for everyone else (0: never); an expired password must be changed before anything else.
LIUHEN_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("LIUHEN_PASSWORD_MAX_AGE_DAYS", 90))
LIUHEN_PASSWORD_MAX_AGE_DAYS_OTHERS = int(os.environ.get("LIUHEN_PASSWORD_MAX_AGE_DAYS_OTHERS", 0))
# A new password may not be any of the owner's last N (their hashes are kept, append-only).
LIUHEN_PASSWORD_HISTORY = int(os.environ.get("LIUHEN_PASSWORD_HISTORY", 5))
# The second factor (django-otp TOTP): the issuer shown in the authenticator app. Its own growing
# delay after a wrong code is off: wrong codes count with the login lockout instead (lockout.py).
OTP_TOTP_ISSUER = os.environ.get("LIUHEN_OTP_ISSUER", "留痕")
OTP_TOTP_THROTTLE_FACTOR = 0
SESSION_COOKIE_AGE = int(os.environ.get("LIUHEN_SESSION_SECONDS", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = False  # liuhen.accounts.sessions.SessionRefreshMiddleware: once a minute
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "liuhen.web.views.csrf_failure"  # in Chinese, with a way back

# HTTPS (SPEC §9): behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from
# clients), LIUHEN_HTTPS=1 makes cookies secure-only, sends HSTS for a year and redirects http.
LIUHEN_HTTPS = os.environ.get("LIUHEN_HTTPS", "0") == "1"
if LIUHEN_HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("LIUHEN_HSTS_SECONDS", 365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # the agency's other hosts are not ours to pin
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # forms.js and the login redirect rely on a same-origin Referer
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4.0): scripts and styles only from our own static files (no
# inline script, no style attribute, no eval); no frames, no plugins, forms post only to us. One
# exception: a document's print view carries its A4 layout as one <style> element with the request's
# nonce (the same sheet WeasyPrint lays the PDF out with); the nonce is in the header only of a
# response that used it (django-csp), every other page keeps style-src 'self'.
from csp.constants import NONCE  # noqa: E402 — beside the policy that uses it

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LANGUAGE_CODE = "zh-hans"
# Chinese only: Django's own pages (the configuration admin) must not switch to English for a
# browser that asks for it (LocaleMiddleware follows Accept-Language among these).
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = LIUHEN_HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Served by WhiteNoise straight from the apps' static folders: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Content-addressed blob store (media app): local disk under LIUHEN_BLOB_DIR unless
# LIUHEN_STORAGE_URL names another place (file:///dir or s3://BUCKET?endpoint=…; liuhen/media/store.py).
LIUHEN_BLOB_DIR = LIUHEN_HOME / "blobs"
LIUHEN_STORAGE_URL = os.environ.get("LIUHEN_STORAGE_URL", "")
LIUHEN_MAX_UPLOAD_BYTES = int(os.environ.get("LIUHEN_MAX_UPLOAD_BYTES", 2 * 1024**3))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Counts the bytes of files as they arrive and stops past LIUHEN_MAX_UPLOAD_BYTES (liuhen/web/uploads.py);
# bodies over the limit by their Content-Length are refused before they are read (web/middleware.py).
FILE_UPLOAD_HANDLERS = [
    "liuhen.web.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Resumable footage uploads (liuhen/footage/uploads.py: docking stations and the browser): where the
# partial files wait (never footage until whole and hashed), the largest chunk of one request, and
# how long an unfinished upload is kept after its last byte.
LIUHEN_UPLOAD_DIR = os.environ.get("LIUHEN_UPLOAD_DIR", "")
LIUHEN_UPLOAD_CHUNK_MAX_BYTES = int(os.environ.get("LIUHEN_UPLOAD_CHUNK_MAX_BYTES", 8 * 1024 * 1024))
LIUHEN_UPLOAD_EXPIRE_HOURS = float(os.environ.get("LIUHEN_UPLOAD_EXPIRE_HOURS", 24))
# One sender's unfinished uploads (each holds staged bytes), and the SHA-256 one confirm call may ask
# about (each stored one is read back and re-hashed).
LIUHEN_UPLOAD_MAX_OPEN = int(os.environ.get("LIUHEN_UPLOAD_MAX_OPEN", 50))
LIUHEN_CONFIRM_MAX = int(os.environ.get("LIUHEN_CONFIRM_MAX", 100))
# The largest footage file an ingest accepts (a body camera's hour of 1080p is 2-9 GB), and where
# poster frames are cached (derived files only: deleting them loses nothing).
LIUHEN_FOOTAGE_MAX_BYTES = int(os.environ.get("LIUHEN_FOOTAGE_MAX_BYTES", 64 * 1024**3))
LIUHEN_POSTER_DIR = os.environ.get("LIUHEN_POSTER_DIR", "")
# The exchange API (liuhen/exchange): calls per client per minute (over it: 429 with Retry-After) and the
# largest body a platform may send (over it: 413, nothing parsed).
LIUHEN_API_CALLS_PER_MINUTE = int(os.environ.get("LIUHEN_API_CALLS_PER_MINUTE", 120))
LIUHEN_API_MAX_BODY_BYTES = int(os.environ.get("LIUHEN_API_MAX_BODY_BYTES", 256 * 1024))
# The push to the supervision platform (`liuhen api push`, liuhen/exchange/push.py): where, with which
# bearer token, how many retries of a 5xx or an unreachable platform, the first wait (doubled each time).
LIUHEN_PUSH_URL = os.environ.get("LIUHEN_PUSH_URL", "")
LIUHEN_PUSH_TOKEN = os.environ.get("LIUHEN_PUSH_TOKEN", "")
# Per agency (a platform serving several): a JSON file, agency code → {"url", "token_env"} (the NAME of
# the variable holding its token, never the token); unset: LIUHEN_HOME/push-targets.json if present.
# Agencies not listed go to LIUHEN_PUSH_URL. Checked by `liuhen check` (liuhen.exchange.E001-E003, W001).
LIUHEN_PUSH_TARGETS = os.environ.get("LIUHEN_PUSH_TARGETS", "")
LIUHEN_PUSH_RETRIES = int(os.environ.get("LIUHEN_PUSH_RETRIES", 4))
LIUHEN_PUSH_BACKOFF_SECONDS = float(os.environ.get("LIUHEN_PUSH_BACKOFF_SECONDS", 2))
LIUHEN_PUSH_TIMEOUT_SECONDS = float(os.environ.get("LIUHEN_PUSH_TIMEOUT_SECONDS", 30))
# A batch takes the changes up to this many seconds ago: a change is stamped before its transaction commits.
LIUHEN_PUSH_SETTLE_SECONDS = float(os.environ.get("LIUHEN_PUSH_SETTLE_SECONDS", 60))
# The login form is the only body taken from someone not logged in.
LIUHEN_MAX_ANONYMOUS_BODY_BYTES = 64 * 1024

# Field encryption of personal information (SPEC §9, GB/T 39786 as configuration).
LIUHEN_CRYPTO = os.environ.get("LIUHEN_CRYPTO", "intl")
# Keyed blind index of encrypted values: fixed once per database (changing it needs a re-index).
LIUHEN_BLIND_INDEX = os.environ.get("LIUHEN_BLIND_INDEX", "hmac-sha256")

# The ledger (issue 3): leaf/node hashing, checkpoint signatures and the log's name (origin line).
LIUHEN_LEDGER_HASH = os.environ.get("LIUHEN_LEDGER_HASH", "sha256")  # or "sm3"
LIUHEN_LEDGER_SIGNATURE = os.environ.get("LIUHEN_LEDGER_SIGNATURE", "ed25519")  # or "sm2"
LIUHEN_LOG_ORIGIN = os.environ.get("LIUHEN_LOG_ORIGIN", "liuhen.local/ledger")

# BENCH ONLY (bench/load.py): pages served without their read event in the ledger (the case page's
# case.view, the record page's record.view), to measure what the event costs. Never on by default,
# refused unless DEBUG or LIUHEN_BENCH_ONLY=1 says this process is a benchmark's; read in one place,
# liuhen.cases.services.page_reads_logged().
LIUHEN_BENCH_SKIP_READ_EVENTS = os.environ.get("LIUHEN_BENCH_SKIP_READ_EVENTS", "0") == "1"
if LIUHEN_BENCH_SKIP_READ_EVENTS and not (DEBUG or os.environ.get("LIUHEN_BENCH_ONLY") == "1"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("LIUHEN_BENCH_SKIP_READ_EVENTS 仅供压测（bench/load.py）使用：页面的查阅记录不得关闭。"
                               "压测进程须同时设置 LIUHEN_BENCH_ONLY=1。")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# ---- retired by issue 15: rules that differ by agency are the agency profile's (liuhen/profiles) ---
# LIUHEN_RETENTION (→ the profile's retention:), LIUHEN_COPIES (→ copies:), LIUHEN_INSPECTION_ROLES and
# LIUHEN_INSPECTION_CHECKLIST (→ inspections:), LIUHEN_DEVICES (→ devices:). Each is still read, as
# the text of its environment variable, only so that its system check refuses it at start while it
# is set (liuhen.retention.E001, liuhen.copies.E001, liuhen.inspections.E001/E002,
# liuhen.devices.E001), naming the profile section that replaced it: a value an agency believes it
# set and which no longer applies must not pass silently. An agency's own values are loaded with
# `liuhen profile load FILE --agency 简称` (docs/profiles.md); base.yaml holds the former defaults.
LIUHEN_RETENTION = os.environ.get("LIUHEN_RETENTION", "")
LIUHEN_COPIES = os.environ.get("LIUHEN_COPIES", "")
LIUHEN_INSPECTION_ROLES = os.environ.get("LIUHEN_INSPECTION_ROLES", "")
LIUHEN_INSPECTION_CHECKLIST = os.environ.get("LIUHEN_INSPECTION_CHECKLIST", "")
LIUHEN_DEVICES = os.environ.get("LIUHEN_DEVICES", "")

# ---- profiles (机关执法规则配置, liuhen/profiles, issue 15) ----------------------------------------
# The packaged profile (liuhen/profiles/data/<code>.yaml) an agency with no loaded profile version is
# held to, and with it every case opened before profiles existed. "base" is the rules the system
# shipped with; an agency loads its own with `liuhen profile load FILE --agency 简称`. Checked at start
# (liuhen.profiles.E001/E002). LIUHEN_AV_RULES is replaced by the profile's av_acts; LIUHEN_RETENTION,
# LIUHEN_COPIES, LIUHEN_INSPECTION_* and LIUHEN_DEVICES by its retention:, copies:, inspections:, devices:.
LIUHEN_DEFAULT_PROFILE = os.environ.get("LIUHEN_DEFAULT_PROFILE", "") or "base"

# ---- oversight pages (我的待办、提醒、执法监督: liuhen/oversight, issue 15) -------------------------
# The to-do list and the notices show the deadlines due within this many working days (and every
# overdue one). A whole number from 1 to 60; checked at start (liuhen.oversight.E501).
try:
    LIUHEN_TODO_DUE_DAYS = int(os.environ.get("LIUHEN_TODO_DUE_DAYS", "") or 5)
except ValueError:  # kept as text: the system check liuhen.oversight.E501 names it
    LIUHEN_TODO_DUE_DAYS = os.environ["LIUHEN_TODO_DUE_DAYS"]

# ---- documents (执法文书: 文号, e-seal, issuing — liuhen/documents, issue 16) ----------------------
# The root of the verification links (扫码验真) printed as a QR code on every sealed document, e.g.
# https://zf.example.gov.cn; empty: the issuing request's host, or http://127.0.0.1:8000 from the CLI.
# Checked at start (liuhen.documents.E001): an http(s) URL without query or fragment.
LIUHEN_PUBLIC_URL = os.environ.get("LIUHEN_PUBLIC_URL", "")

# ---- media store retries (suite-time: liuhen/media/store.py) --------------------------------------
# How the blob store's S3 client (SeaweedFS, MinIO, …) waits and tries again: the attempts per call,
# the first try included (botocore's "standard" retry mode, total_max_attempts: 1 to 10), the seconds
# to open a connection (above 0, at most 300) and to wait for a reply (above 0, at most 3600). The
# defaults are what the store always had (botocore's max_attempts=3 retries: 4 attempts; 5 s; 60 s);
# the tests that stop the store on purpose use 1 attempt and 1 s.
# Checked at start (liuhen.media.E001-E003): a bad value is refused, not replaced.
def _media_store_number(name: str, default, kind):
    text = os.environ.get(name, "")
    if not text:
        return default
    try:
        return kind(text)
    except ValueError:  # kept as text: the system check names it
        return text


LIUHEN_S3_ATTEMPTS = _media_store_number("LIUHEN_S3_ATTEMPTS", 4, int)
LIUHEN_S3_CONNECT_TIMEOUT = _media_store_number("LIUHEN_S3_CONNECT_TIMEOUT", 5, float)
LIUHEN_S3_READ_TIMEOUT = _media_store_number("LIUHEN_S3_READ_TIMEOUT", 60, float)
