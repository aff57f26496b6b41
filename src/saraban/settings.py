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
- ``SARABAN_PUBLIC_URL``  base URL printed in the verification QR code (default: the request's own)
- ``SARABAN_TSA_URL``  RFC 3161 time-stamping authority; ``local`` (default) uses the TEST PKI's TSA
  in-process when a test PKI exists, empty for none
- ``SARABAN_TRUST_ROOTS`` / ``SARABAN_TRUST_CERTS`` / ``SARABAN_CRLS``  files (``:``-separated) of trusted
  root certificates, intermediate/TSA certificates and CRLs for signing and validation
- ``SARABAN_TEST_PKI``  directory of the TEST PKI the demo creates (default ``SARABAN_HOME/test-pki``)
- ``SARABAN_SIGNING_LEVEL``  ``B-B``, ``B-T``, ``B-LT`` or ``B-LTA`` (default: B-LT with CRLs, else B-T)
- ``SARABAN_EMBLEM``  the agency emblem image printed on letters (default: a plain placeholder)
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
    "saraban.search",
    # the web UI's areas, each with its pages, templates and what it adds to the letter page (in this order)
    "saraban.web.auth",
    "saraban.web.desk",
    "saraban.web.registers",
    "saraban.web.letters",
    "saraban.web.drafting",
    "saraban.web.verify",
    "saraban.web.routing",
    "saraban.web.exchange",
    "saraban.web.search",
    "saraban.ops",
    "saraban.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
]

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
X_FRAME_OPTIONS = "SAMEORIGIN"

# Blob storage: "local" (content-addressed files under SARABAN_HOME/blobs), the only store so far.
SARABAN_BLOB_STORE = os.environ.get("SARABAN_BLOB_STORE", "local")
SARABAN_BLOB_DIR = Path(os.environ.get("SARABAN_BLOB_DIR") or HOME / "blobs")
SARABAN_KEY_DIR = Path(os.environ.get("SARABAN_KEY_DIR") or HOME / "keys")

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
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
SARABAN_TYPED_NAME_KINDS = ("memo", "memo_record")
SARABAN_LETTER_MAX_PAGES = int(os.environ.get("SARABAN_LETTER_MAX_PAGES", "30"))
