"""Django settings for Saraban.

Everything a deployment changes comes from the environment:

- ``SARABAN_HOME``  data directory (database, blobs, keys); default ``~/.local/share/saraban``
- ``DATABASE_URL``  ``postgresql://user:pass@host:port/db``; default SQLite in ``SARABAN_HOME``
- ``SARABAN_SECRET_KEY``  Django secret; default: generated once into ``SARABAN_HOME/secret.key``
- ``SARABAN_MAX_UPLOAD_MB``  largest accepted upload (default 50)
- ``SARABAN_MAX_ENCLOSURES`` / ``SARABAN_MAX_LETTER_MB``  enclosures a letter may carry (default 50) and the
  largest letter with its enclosures (default 200); ``SARABAN_ENCLOSURE_TYPES`` narrows the accepted types
  (comma-separated extensions)
- ``SARABAN_DEBUG``  ``1`` for development only
- ``SARABAN_ALLOWED_HOSTS``  comma separated (default: localhost names)
- ``SARABAN_TASKS``  ``immediate`` to run background work inline (tests), default the database queue
- ``SARABAN_PUBLIC_URL``  the one production switch: the site's public address. It is the base of the
  verification QR code and links; its host is allowed and its origin trusted for forms; and when it is
  ``https://…``, cookies are Secure, HSTS is sent, plain HTTP is redirected and the reverse proxy's
  ``X-Forwarded-Proto: https`` is believed (docs/security.md). Default: the request's own address, dev mode.
- ``SARABAN_HSTS_SECONDS``  HSTS max-age in production (default one year; ``0`` while trying HTTPS out)
- ``SARABAN_RATE_LIMITS``  ``kind=requests/seconds,…`` over the defaults (``saraban.transport.limits``)
- ``SARABAN_TSA_URL``  RFC 3161 time-stamping authority; ``local`` (default) uses the TEST PKI's TSA
  in-process when a test PKI exists, empty for none
- ``SARABAN_TRUST_ROOTS`` / ``SARABAN_TRUST_CERTS`` / ``SARABAN_CRLS``  files (``:``-separated) of trusted
  root certificates, intermediate/TSA certificates and CRLs for signing and validation
- ``SARABAN_TEST_PKI``  directory of the TEST PKI the demo creates (default ``SARABAN_HOME/test-pki``)
- ``SARABAN_SIGNING_LEVEL``  ``B-B``, ``B-T``, ``B-LT`` or ``B-LTA`` (default: B-LT with CRLs, else B-T)
- ``SARABAN_EMBLEM``  a Garuda file (SVG or PNG) for agencies that uploaded none (default: none; each
  agency uploads its own on its emblem settings page)
- ``SARABAN_EMBLEM_PLACEHOLDER``  ``1`` lets every agency print the placeholder (ตราครุฑ ตัวอย่าง) instead of
  refusing to issue a letter without a Garuda: for test deployments only (demo agencies are marked one by one)
- ``SARABAN_KEY_DIR``  keys kept outside the database: blob encryption, the audit chain key (``SARABAN_HOME/keys``)
- ``SARABAN_AUDIT_CHECKPOINT_DIR`` / ``SARABAN_AUDIT_CHECKPOINT_SECONDS`` / ``SARABAN_AUDIT_SEAL_AGENCY``  signed
  checkpoints of the audit chain: where, how often (default 3600 s), sealed by which agency (default: the first hosted)
- ``SARABAN_LOGIN_FAILURES`` / ``SARABAN_LOGIN_DELAY`` / ``SARABAN_TRUSTED_PROXIES``  login throttling
- ``SARABAN_LINE_CHANNEL_TOKEN`` / ``SARABAN_LINE_CHANNEL_SECRET``  the agency's LINE Official Account (push, webhook)
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent
HOME = Path(os.environ.get("SARABAN_HOME") or Path.home() / ".local/share/saraban").expanduser().resolve()
HOME.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    env = os.environ.get("SARABAN_SECRET_KEY")
    if env:
        return env
    path = HOME / "secret.key"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_urlsafe(50))
        tmp.chmod(0o600)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)  # atomic: the first process wins
        tmp.unlink(missing_ok=True)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("SARABAN_DEBUG") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("SARABAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("SARABAN_CSRF_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "saraban.kernel.apps.KernelConfig",
    "saraban.audit",
    "saraban.storage",
    "saraban.orgs",
    "saraban.letters",
    "saraban.registry",
    "saraban.intake",
    "saraban.access",
    "saraban.transport",
    "saraban.api",
    "saraban.web",
    "saraban.reports",
    "saraban.drafting",
    "saraban.routing",
    "saraban.exchange",
    "saraban.mail",
    "saraban.search",
    "saraban.records",
    # the web UI's areas, each with its pages, templates and what it adds to the letter page (in this order)
    "saraban.web.auth",
    "saraban.web.home",
    "saraban.web.desk",
    "saraban.web.registers",
    "saraban.web.letters",
    "saraban.web.drafting",
    "saraban.web.verify",
    "saraban.web.routing",
    "saraban.web.exchange",
    "saraban.web.correspondence",
    "saraban.web.mail",
    "saraban.web.search",
    "saraban.web.records",
    "saraban.ops",
    "saraban.demo",
]

MIDDLEWARE = [
    "saraban.ops.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "saraban.web.middleware.UploadLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "saraban.web.middleware.LanguageMiddleware",
    "axes.middleware.AxesMiddleware",
    "saraban.web.middleware.ErrorPageMiddleware",
]

# Login throttling (django-axes): per account and per address, growing delays (saraban/web/auth/throttle.py).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_ENABLED = os.environ.get("SARABAN_LOGIN_THROTTLE", "1") == "1"
AXES_FAILURE_LIMIT = int(os.environ.get("SARABAN_LOGIN_FAILURES", "5"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = "saraban.web.auth.throttle.cool_off"
AXES_LOCKOUT_CALLABLE = "saraban.web.auth.throttle.locked_out"
AXES_CLIENT_IP_CALLABLE = "saraban.web.auth.throttle.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False

ROOT_URLCONF = "saraban.urls"
WSGI_APPLICATION = "saraban.wsgi.application"

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
                "saraban.web.context.saraban",
            ],
            "builtins": ["saraban.web.templatetags.sb"],
        },
    },
]


def _database_from_url(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"unsupported DATABASE_URL scheme: {parsed.scheme!r}")
    options = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
    if os.environ.get("SARABAN_PG_JIT", "off") == "off":
        # no JIT compilation: the planner's estimate for a search's access check over 30,000 ids passed
        # jit_above_cost, and compiling took 360 of its 550 ms; the application's queries are short
        options["options"] = f"-c jit=off {options.get('options', '')}".strip()
    host = unquote(parsed.hostname or "")
    if "host" in options:  # unix socket directory
        host = options.pop("host")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": host,
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": int(os.environ.get("SARABAN_CONN_MAX_AGE", "60")),
        "CONN_HEALTH_CHECKS": False,
        # prepared statements for the hot paths (psycopg 3); turn off behind a transaction-pooling pgbouncer
        "OPTIONS": {"server_side_binding": os.environ.get("SARABAN_PG_SERVER_BINDING", "1") == "1", **options},
        "TEST": {"NAME": os.environ.get("SARABAN_TEST_DB_NAME") or None},
    }


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": _database_from_url(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(HOME / "saraban.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
                    "PRAGMA busy_timeout=30000;"
                ),
            },
            "TEST": {"NAME": os.environ.get("SARABAN_TEST_DB_NAME") or None},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
]
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if os.environ.get("SARABAN_FAST_PASSWORDS") == "1"
    else ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
)
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [("fonts", BASE_DIR / "assets" / "fonts")]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

MAX_UPLOAD_BYTES = int(float(os.environ.get("SARABAN_MAX_UPLOAD_MB", "50")) * 1024 * 1024)
# A letter's enclosures: how many, how large the whole letter may be, and which types (extensions; empty: every
# common office type).  Programs and web pages are never accepted (saraban.letters.enclosures).
SARABAN_MAX_ENCLOSURES = int(os.environ.get("SARABAN_MAX_ENCLOSURES", "50"))
SARABAN_MAX_LETTER_BYTES = int(float(os.environ.get("SARABAN_MAX_LETTER_MB", "200")) * 1024 * 1024)
SARABAN_ENCLOSURE_TYPES = tuple(filter(None, os.environ.get("SARABAN_ENCLOSURE_TYPES", "").replace(" ", "").split(",")))
DATA_UPLOAD_MAX_NUMBER_FILES = SARABAN_MAX_ENCLOSURES + 10
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = None

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True  # pages carry the token in the form (and htmx's header), never read from the cookie
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "saraban.transport.errors.csrf_failure"
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp), in every mode so the browser tests run under it: scripts and styles
# only from our own files, no inline script, no eval, nothing from another origin.  Inline style
# *attributes* are allowed (templates use a few; they cannot run code), <style> elements are not.
# Page previews are data: images; nothing may frame us but ourselves.
CONTENT_SECURITY_POLICY: dict[str, dict[str, list[str] | bool]] = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

# Blob storage (docs/operations.md): "local" (files under SARABAN_HOME/blobs) or "s3" (any S3-compatible service).
SARABAN_BLOB_STORE = os.environ.get("SARABAN_BLOB_STORE", "local")
SARABAN_BLOB_DIR = Path(os.environ.get("SARABAN_BLOB_DIR") or HOME / "blobs")
SARABAN_KEY_DIR = Path(os.environ.get("SARABAN_KEY_DIR") or HOME / "keys")
# Signed checkpoints of the audit chain (docs/security.md): written here, copied off the machine by the operator.
SARABAN_AUDIT_CHECKPOINT_DIR = Path(os.environ.get("SARABAN_AUDIT_CHECKPOINT_DIR") or HOME / "audit-checkpoints")
SARABAN_AUDIT_SEAL_AGENCY = os.environ.get("SARABAN_AUDIT_SEAL_AGENCY", "")
SARABAN_S3_ENDPOINT = os.environ.get("SARABAN_S3_ENDPOINT", "")  # empty: AWS itself
SARABAN_S3_BUCKET = os.environ.get("SARABAN_S3_BUCKET", "saraban")
SARABAN_S3_PREFIX = os.environ.get("SARABAN_S3_PREFIX", "")
SARABAN_S3_ACCESS_KEY = os.environ.get("SARABAN_S3_ACCESS_KEY", "")  # empty: boto3's usual credential chain
SARABAN_S3_SECRET_KEY = os.environ.get("SARABAN_S3_SECRET_KEY", "")
SARABAN_S3_REGION = os.environ.get("SARABAN_S3_REGION", "us-east-1")
SARABAN_S3_ADDRESSING = os.environ.get("SARABAN_S3_ADDRESSING", "path")  # or "virtual"
SARABAN_S3_PART_MB = float(os.environ.get("SARABAN_S3_PART_MB", "8"))
SARABAN_S3_VERIFY_TLS = os.environ.get("SARABAN_S3_VERIFY_TLS", "1") == "1"
SARABAN_S3_CA_BUNDLE = os.environ.get("SARABAN_S3_CA_BUNDLE", "")
SARABAN_STREAM_OVER_MB = float(os.environ.get("SARABAN_STREAM_OVER_MB", "8"))  # larger downloads stream
# Encryption at rest: ลับ/ลับมาก always; everything with SARABAN_ENCRYPT_ALL=1.  Master keys: "file" or "pkcs11".
SARABAN_ENCRYPT_ALL = os.environ.get("SARABAN_ENCRYPT_ALL", "") == "1"
SARABAN_KMS = os.environ.get("SARABAN_KMS", "file")
# Backups on a schedule (run by `saraban tick`): a directory or s3://bucket/prefix; empty = none.
SARABAN_BACKUP_TO = os.environ.get("SARABAN_BACKUP_TO", "")
SARABAN_BACKUP_EVERY_HOURS = float(os.environ.get("SARABAN_BACKUP_EVERY_HOURS", "24"))

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("SARABAN_TASKS") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

NINJA_PAGINATION_PER_PAGE = 50

SARABAN_LOG_FORMAT = os.environ.get("SARABAN_LOG_FORMAT", "plain")  # "json": one JSON object per line
SARABAN_RATE_LIMITS: dict[str, tuple[int, int]] = {}
for _part in os.environ.get("SARABAN_RATE_LIMITS", "").split(","):
    if "=" in _part:
        _kind, _, _rate = _part.partition("=")
        _count, _, _seconds = _rate.partition("/")
        SARABAN_RATE_LIMITS[_kind.strip()] = (int(_count), int(_seconds or 60))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "saraban.ops.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler",
                             "formatter": "json" if SARABAN_LOG_FORMAT == "json" else "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SARABAN_LOG_LEVEL", "WARNING")},
    "loggers": {"saraban": {"level": os.environ.get("SARABAN_LOG_LEVEL", "INFO")}},
}


# Drafting and signing (docs/drafting.md).
def _paths(name: str) -> list[Path]:
    return [Path(p).expanduser() for p in os.environ.get(name, "").split(":") if p.strip()]


SARABAN_PUBLIC_URL = os.environ.get("SARABAN_PUBLIC_URL", "").rstrip("/")
SARABAN_TSA_URL = os.environ.get("SARABAN_TSA_URL", "local")
SARABAN_TRUST_ROOTS = _paths("SARABAN_TRUST_ROOTS")
SARABAN_TRUST_CERTS = _paths("SARABAN_TRUST_CERTS")
SARABAN_CRLS = _paths("SARABAN_CRLS")
SARABAN_TEST_PKI = Path(os.environ.get("SARABAN_TEST_PKI") or HOME / "test-pki")
SARABAN_SIGNING_LEVEL = os.environ.get("SARABAN_SIGNING_LEVEL", "")
SARABAN_EMBLEM = os.environ.get("SARABAN_EMBLEM") or None
SARABAN_EMBLEM_PLACEHOLDER = os.environ.get("SARABAN_EMBLEM_PLACEHOLDER", "") == "1"
SARABAN_TYPED_NAME_KINDS = ("memo", "memo_record")
SARABAN_LETTER_MAX_PAGES = int(os.environ.get("SARABAN_LETTER_MAX_PAGES", "30"))


# Production: one switch, SARABAN_PUBLIC_URL=https://saraban.example.go.th (docs/security.md).
def _public_origin(url: str) -> tuple[str, str, str]:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValueError(f"SARABAN_PUBLIC_URL must be http(s)://host[:port][/path], not {url!r}")
    return parsed.scheme, parsed.hostname, f"{parsed.scheme}://{parsed.netloc}"


PRODUCTION = False
if SARABAN_PUBLIC_URL:
    _scheme, _host, _origin = _public_origin(SARABAN_PUBLIC_URL)
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, _host]
    CSRF_TRUSTED_ORIGINS = [*CSRF_TRUSTED_ORIGINS, _origin]
    PRODUCTION = _scheme == "https"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SARABAN_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # the agency's other hosts are not ours to pin
    SECURE_SSL_REDIRECT = True
    # the reverse proxy ends TLS and says so; it must overwrite any X-Forwarded-Proto the client sent
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
