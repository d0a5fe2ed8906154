"""Settings for grassroots, read from the environment.

Every setting an operator may change is an environment variable (see docs/operations.md):

- ``DATABASE_URL``: ``sqlite:///path`` (default ``var/grassroots.sqlite3``) or ``postgres://...``.
- ``GRASSROOTS_SECRET_KEY``: required in production; for local use one is generated into ``var/``.
- ``GRASSROOTS_DEBUG``: ``1`` turns on Django's debug pages (never in production).
- ``GRASSROOTS_PRODUCTION``: ``1`` turns on the deployment hardening (secure cookies, HSTS ...).
- ``GRASSROOTS_ALLOWED_HOSTS``: comma list, default ``127.0.0.1,localhost``.
- ``GRASSROOTS_VAR_DIR``: where local state lives (default ``var/`` beside the checkout).
- ``GRASSROOTS_TRUSTED_PROXIES``: comma list of the reverse proxies' addresses whose
  ``X-Real-IP`` header is the client's address (core/proxy.py), default none.
- ``GRASSROOTS_STATIC_ROOT``: where ``collectstatic`` puts the static files (default
  ``var/static``); an installation points it outside ``var/`` so that nginx may read it
  (docs/deploy.md).
- ``GRASSROOTS_AUDIT_KEY`` or ``GRASSROOTS_AUDIT_KEY_FILE``: the audit key (core/audit_key.py).
- ``GRASSROOTS_AUDIT_CHECKPOINT_FILE``, ``GRASSROOTS_AUDIT_SYSLOG``,
  ``GRASSROOTS_AUDIT_RETENTION_DAYS``: the audit log's anchors and retention (docs/operations.md).
- ``GRASSROOTS_METRICS_TOKEN``, ``GRASSROOTS_METRICS_ALLOW``: who may read ``/metrics``.
- ``GRASSROOTS_LOG_FORMAT``: ``text`` (default) or ``json`` (one object per line).
- ``GRASSROOTS_DB_POOL``, ``GRASSROOTS_PGBOUNCER``, ``GRASSROOTS_DB_PREPARE``: PostgreSQL
  connection pooling and prepared statements (grassroots/dburl.py, docs/deploy.md).
- ``GRASSROOTS_MEDIA_ROOT``, ``GRASSROOTS_MEDIA_S3_*``: where uploads are kept
  (grassroots/mediastore.py, docs/deploy.md).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import django_stubs_ext

from grassroots.dburl import apply_pooling, parse_database_url, parse_replica_url
from grassroots.mediastore import media_storage

# Lets `forms.ModelForm[Area]`-style annotations run (they are for the type checker).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("GRASSROOTS_VAR_DIR", REPO_DIR / "var")).resolve()


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PRODUCTION = _flag("GRASSROOTS_PRODUCTION")
DEBUG = _flag("GRASSROOTS_DEBUG")


def _secret_key() -> str:
    key = os.environ.get("GRASSROOTS_SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise RuntimeError("GRASSROOTS_SECRET_KEY must be set when GRASSROOTS_PRODUCTION=1")
    # A local key, generated once and kept out of git under var/ (mode 600 from its creation).
    VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("GRASSROOTS_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
# The reverse proxies (e.g. nginx on this host: 127.0.0.1) whose X-Real-IP names the client
# (grassroots.core.proxy); empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = [
    a.strip() for a in os.environ.get("GRASSROOTS_TRUSTED_PROXIES", "").split(",") if a.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("GRASSROOTS_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "grassroots.core.adminapp.GrassrootsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "grassroots.core",
    "grassroots.areas",
    "grassroots.people",
    "grassroots.cases",
    "grassroots.fieldwork",
    "grassroots.visits",
    "grassroots.community",
    "grassroots.disputes",
    "grassroots.cadres",
    "grassroots.relocation",
    "grassroots.training",
    "grassroots.assets",
    "grassroots.figures",
    "grassroots.dashboard",
    "grassroots.reports",
    "grassroots.scorecard",
    "grassroots.open311",
    "grassroots.demo",
    "grassroots.inventory",
]

MIDDLEWARE = [
    # First: every later layer's log lines carry the request id, and the metrics time them all.
    "grassroots.core.observability.context.RequestIdMiddleware",
    # The client's address from a trusted proxy's X-Real-IP, before anything reads it.
    "grassroots.core.proxy.ProxyClientAddressMiddleware",
    "grassroots.core.observability.httpmetrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "grassroots.core.middleware.CleanTextMiddleware",
    "grassroots.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "grassroots.core.middleware.AuditSourceMiddleware",
    "grassroots.core.middleware.SessionTimeoutMiddleware",
    "grassroots.core.otp_middleware.SecondFactorRequiredMiddleware",
    "grassroots.core.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "grassroots.core.middleware.ContentSecurityPolicyMiddleware",
    "grassroots.core.middleware.DomainErrorMiddleware",
    "grassroots.db.middleware.ReplicaMiddleware",
]

ROOT_URLCONF = "grassroots.urls"
WSGI_APPLICATION = "grassroots.wsgi.application"

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
                "grassroots.areas.navigation.navigation",
                "grassroots.db.context.replica_as_of",
            ],
        },
    },
]

DATABASES = {
    "default": apply_pooling(
        parse_database_url(os.environ.get("DATABASE_URL", ""), var_dir=VAR_DIR), dict(os.environ)
    )
}
# Scale-out (docs/deploy.md "Scale-out"): a PostgreSQL streaming replica serves the reads of
# dashboards, lists and searches (grassroots.db.routing); skipped when it lags more than
# MAX_LAG seconds or is down; a browser reads from the primary for STICKY seconds after its own
# write; the replica's lag is measured at most every CHECK seconds per process.
if os.environ.get("DATABASE_REPLICA_URL", "").strip():
    DATABASES["replica"] = parse_replica_url(
        os.environ["DATABASE_REPLICA_URL"], primary=DATABASES["default"]
    )
    DATABASES["replica"] = apply_pooling(DATABASES["replica"], dict(os.environ))
DATABASE_ROUTERS = ["grassroots.db.routing.ReplicaRouter"]
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("GRASSROOTS_REPLICA_MAX_LAG_SECONDS", "10"))
REPLICA_STICKY_SECONDS = float(os.environ.get("GRASSROOTS_REPLICA_STICKY_SECONDS", "15"))
REPLICA_CHECK_SECONDS = float(os.environ.get("GRASSROOTS_REPLICA_CHECK_SECONDS", "5"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

# Identity (SECURITY.md 2, 3, 5).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "grassroots.core.passwords.CharacterClassValidator"},
    {"NAME": "grassroots.core.passwords.PasswordHistoryValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
LOCKOUT_FAILURES = int(os.environ.get("GRASSROOTS_LOCKOUT_FAILURES", "5"))
LOCKOUT_MINUTES = int(os.environ.get("GRASSROOTS_LOCKOUT_MINUTES", "30"))
# Login throttling (docs/security.md, defect 7): one address adds at most PER_ADDRESS failures to
# an account's lockout count (so one address cannot lock anybody out); after FREE failures from
# one address at one account, each further attempt waits 2^(n-FREE) seconds, at most DELAY_MAX;
# an address with ADDRESS_FAILURES failures in ADDRESS_WINDOW seconds waits for the window's end.
LOCKOUT_PER_ADDRESS = int(os.environ.get("GRASSROOTS_LOCKOUT_PER_ADDRESS", "2"))
LOGIN_FREE_FAILURES = int(os.environ.get("GRASSROOTS_LOGIN_FREE_FAILURES", "3"))
LOGIN_DELAY_MAX_SECONDS = int(os.environ.get("GRASSROOTS_LOGIN_DELAY_MAX_SECONDS", "300"))
LOGIN_ADDRESS_FAILURES = int(os.environ.get("GRASSROOTS_LOGIN_ADDRESS_FAILURES", "20"))
LOGIN_ADDRESS_WINDOW_SECONDS = int(os.environ.get("GRASSROOTS_LOGIN_ADDRESS_WINDOW", "900"))
# API tokens (docs/security.md, defect 6): lifetime in hours.
API_TOKEN_HOURS = float(os.environ.get("GRASSROOTS_API_TOKEN_HOURS", "12"))
# Rate limits shared by every worker (core.throttle): Redis when set, else the database.
REDIS_URL = os.environ.get("GRASSROOTS_REDIS_URL", "")
THROTTLE_KEY_PREFIX = os.environ.get("GRASSROOTS_THROTTLE_PREFIX", "grassroots:throttle:")
# Requests per minute of one API token (or signed-in user, or anonymous address), reads included.
API_PER_MINUTE = int(os.environ.get("GRASSROOTS_API_PER_MINUTE", "1200"))
# Open311 reads per minute of one key (or, without a key, of one address).
OPEN311_READS_PER_MINUTE = int(os.environ.get("GRASSROOTS_OPEN311_READS_PER_MINUTE", "120"))
# Days before a password must be changed again (0: never).
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("GRASSROOTS_PASSWORD_MAX_AGE_DAYS", "90"))
# Days before expiry from which the home page warns (0: no warning).
PASSWORD_WARN_DAYS = int(os.environ.get("GRASSROOTS_PASSWORD_WARN_DAYS", "7"))
# How many of an account's latest passwords it may not choose again.
PASSWORD_HISTORY = int(os.environ.get("GRASSROOTS_PASSWORD_HISTORY", "5"))
# The second factor (core.otp): the name authenticator apps show beside the account.
OTP_TOTP_ISSUER = os.environ.get("GRASSROOTS_OTP_ISSUER", "grassroots")
SESSION_IDLE_SECONDS = int(os.environ.get("GRASSROOTS_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_COOKIE_AGE = int(os.environ.get("GRASSROOTS_SESSION_MAX_SECONDS", str(12 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "grassroots.core.errorpages.csrf_failure"

# Language and time (Chinese first).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("GRASSROOTS_STATIC_ROOT", VAR_DIR / "static")).resolve()
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    # uploads: MEDIA_ROOT, or an S3-compatible bucket (GRASSROOTS_MEDIA_S3_*, mediastore.py)
    "default": media_storage(dict(os.environ)),
    "staticfiles": {
        # Hashed names (cache-busting) need `collectstatic`, which production runs at deploy time.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
# Uploads: under var/ by default; several web servers share one path (an NFS mount, say) set
# in GRASSROOTS_MEDIA_ROOT (docs/deploy.md "Scale-out").
MEDIA_ROOT = Path(os.environ.get("GRASSROOTS_MEDIA_ROOT", VAR_DIR / "media")).resolve()
# Uploaded files (attachments, photos) and the folders made for them: the owner only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "grassroots.core.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["grassroots.core.throttle_api.SharedRateThrottle"],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "grassroots.core.accounts_permissions.PasswordCurrent",
        "grassroots.core.rights.HoldsRight",
    ],
    "DEFAULT_PAGINATION_CLASS": "grassroots.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "grassroots.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "grassroots API",
    "DESCRIPTION": "基层治理平台 REST API. Every list is scoped to the caller's areas and units.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AreaLevelEnum": "grassroots.areas.choices.Level",
        "UnitLevelEnum": "grassroots.areas.choices.UnitLevel",
        "CaseStateEnum": "grassroots.cases.choices.State",
        "LimitUnitEnum": "grassroots.cases.choices.LimitUnit",
        "PairingEndReasonEnum": "grassroots.visits.choices.EndReason",
        "DisputeLevelEnum": "grassroots.disputes.choices.Level",
        "DisputeStateEnum": "grassroots.disputes.choices.State",
        "DisputeKindEnum": "grassroots.disputes.choices.Kind",
        "MediatorKindEnum": "grassroots.disputes.choices.MediatorKind",
        "PaySheetKindEnum": "grassroots.cadres.choices.SheetKind",
        "PayLineKindEnum": "grassroots.cadres.choices.LineKind",
        "FacilityKindEnum": "grassroots.community.choices.FacilityKind",
        "ActivityKindEnum": "grassroots.community.choices.ActivityKind",
        "TeamKindEnum": "grassroots.community.choices.TeamKind",
        "OmissionKindEnum": "grassroots.relocation.choices.OmissionKind",
        "RelocationLevelEnum": "grassroots.relocation.choices.Level",
    },
}

# Background work (imports): one task interface. GRASSROOTS_TASKS=database queues tasks in the
# database for `grassroots db_worker` (what `grassroots serve` and production run); otherwise each
# task runs in a thread of the process that enqueued it (the test suite, runserver). The queue's
# table exists either way, so that switching needs no migration and /health/ can watch it.
INSTALLED_APPS.append("django_tasks_db")
if os.environ.get("GRASSROOTS_TASKS") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    TASKS = {"default": {"BACKEND": "grassroots.core.tasks.ThreadBackend"}}
# /health/ fails when a queued task has waited longer than this.
TASK_BACKLOG_SECONDS = int(os.environ.get("GRASSROOTS_TASK_BACKLOG_SECONDS", "600"))

# Backups (`grassroots backup`, nightly by the scheduler; docs/operations.md "Backups").
BACKUP_DIR = Path(os.environ.get("GRASSROOTS_BACKUP_DIR", VAR_DIR / "backups")).resolve()
BACKUP_KEEP = int(os.environ.get("GRASSROOTS_BACKUP_KEEP", "14"))


# The scheduler (grassroots.core.scheduler; docs/operations.md): a tick every TICK seconds (a
# divisor of 60); the lease lapses LEASE seconds after its holder's last tick; /health/ and the
# pages call the scheduler stopped after STALE seconds without a heartbeat. A failing job is
# retried after RETRY_BASE seconds, doubling up to RETRY_MAX; on stopping, running jobs get
# STOP_GRACE seconds to finish.
SCHEDULER_TICK_SECONDS = int(os.environ.get("GRASSROOTS_SCHEDULER_TICK_SECONDS", "10"))
SCHEDULER_LEASE_SECONDS = int(os.environ.get("GRASSROOTS_SCHEDULER_LEASE_SECONDS", "45"))
SCHEDULER_STALE_SECONDS = int(os.environ.get("GRASSROOTS_SCHEDULER_STALE_SECONDS", "300"))
SCHEDULER_RETRY_BASE_SECONDS = 60
SCHEDULER_RETRY_MAX_SECONDS = 30 * 60
SCHEDULER_STOP_GRACE_SECONDS = 20
# Exact searches by ID number or phone one user may run per rolling hour (audited; 429 beyond).
PEOPLE_EXACT_SEARCH_PER_HOUR = int(os.environ.get("GRASSROOTS_EXACT_SEARCH_PER_HOUR", "60"))
PEOPLE_IMPORT_MAX_BYTES = int(os.environ.get("GRASSROOTS_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
# What an uploaded workbook may unpack to, in all and per part (people/ledger/xlsx_limits.py).
PEOPLE_IMPORT_MAX_EXPANDED_BYTES = int(
    os.environ.get("GRASSROOTS_IMPORT_MAX_EXPANDED_BYTES", str(256 * 1024 * 1024))
)
PEOPLE_IMPORT_MAX_RATIO = int(os.environ.get("GRASSROOTS_IMPORT_MAX_RATIO", "100"))
# Import jobs that ended this many days ago are deleted with their files (the purge-imports job).
PEOPLE_IMPORT_RETENTION_DAYS = int(os.environ.get("GRASSROOTS_IMPORT_RETENTION_DAYS", "7"))
# A started import silent (no progress) this long was cut off by a restart: shown as interrupted,
# its upload kept for a retry. A queued one waits at least as long as the task backlog allows.
PEOPLE_IMPORT_STALE_SECONDS = int(os.environ.get("GRASSROOTS_IMPORT_STALE_SECONDS", "300"))

# Open311 GeoReport v2 (docs/open311.md).
OPEN311_JURISDICTION_ID = os.environ.get("GRASSROOTS_OPEN311_JURISDICTION", "141126")
OPEN311_CONTACT = os.environ.get("GRASSROOTS_OPEN311_CONTACT", "12345 便民服务热线")
OPEN311_KEY_SERVICE = os.environ.get("GRASSROOTS_OPEN311_KEY_SERVICE", "向县政务服务管理局申请")

# The leaders' view (docs/dashboard.md).
MAP_TILE_URL = os.environ.get("GRASSROOTS_MAP_TILE_URL", "")
DASHBOARD_MAX_DAYS = int(os.environ.get("GRASSROOTS_DASHBOARD_MAX_DAYS", "366"))
DASHBOARD_OVERDUE_SHARE = float(os.environ.get("GRASSROOTS_DASHBOARD_OVERDUE_SHARE", "0.2"))
CASE_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("GRASSROOTS_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))
)

# The audit log (SECURITY.md 18; docs/operations.md "The audit log"): signed checkpoints of its
# chain are appended to CHECKPOINT_FILE and, when SYSLOG names an address ("/dev/log" or
# "host:port", UDP), sent there too; rows older than RETENTION_DAYS (at least 180, MLPS asks for
# six months) are pruned up to a checkpoint by the `audit-prune` job.
AUDIT_CHECKPOINT_FILE = Path(
    os.environ.get("GRASSROOTS_AUDIT_CHECKPOINT_FILE", VAR_DIR / "audit-checkpoints.jsonl")
).resolve()
AUDIT_SYSLOG = os.environ.get("GRASSROOTS_AUDIT_SYSLOG", "")
AUDIT_RETENTION_DAYS = int(os.environ.get("GRASSROOTS_AUDIT_RETENTION_DAYS", "180"))
# The dispatch suggestion model files (cases/suggest/store.py).
SUGGEST_DIR = Path(os.environ.get("GRASSROOTS_SUGGEST_DIR", VAR_DIR / "suggest"))

# /metrics (core/observability; docs/operations.md "Metrics"): a bearer token and/or a comma
# list of addresses or networks allowed to read it; with neither, nobody may.
METRICS_TOKEN = os.environ.get("GRASSROOTS_METRICS_TOKEN", "").strip()
METRICS_ALLOW = os.environ.get("GRASSROOTS_METRICS_ALLOW", "")

# Logs go to standard error, as text (default) or, with GRASSROOTS_LOG_FORMAT=json, one JSON
# object per line (core/observability/logjson.py). Either way each record carries the request
# id, the view name and the user's numeric id (the `request` filter); `grassroots.request`
# writes one line per request: method, view name, status, duration, never the path.
LOG_FORMAT = os.environ.get("GRASSROOTS_LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in {"text", "json"}:
    raise RuntimeError(f"GRASSROOTS_LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "grassroots.core.observability.context.RequestContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "grassroots.core.observability.logjson.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("GRASSROOTS_LOG_LEVEL", "INFO")},
    # Django's request logger prints request bodies' context on errors; keep it at WARNING and
    # never log request data ourselves (SECURITY.md 16).
    "loggers": {
        "django.request": {"level": "ERROR"},
        # APScheduler logs every tick at INFO; the scheduler logs what matters itself.
        "apscheduler": {"level": "WARNING"},
        # pypdf logs each repair it makes while parsing an uploaded PDF (cases/pdfcheck.py).
        "pypdf": {"level": "ERROR"},
        # The request line: in JSON logs only (in text, gunicorn's access log says as much).
        "grassroots.request": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
    },
}

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _flag("GRASSROOTS_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("GRASSROOTS_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
