"""Django settings. Everything that differs between machines comes from the environment.

POWERLIST_DATA_DIR  where every file the system makes lives: the default SQLite database, the secret key,
                  the transparency log's signing key, open-data files (default: ~/.local/share/powerlist,
                  or $XDG_DATA_HOME/powerlist), never the directory a command happens to run in
DATABASE_URL      sqlite:///path or postgres://user@host:port/name (default: DATA_DIR/powerlist.sqlite3)
POWERLIST_SECRET_KEY  secret key; when unset, one is generated once into DATA_DIR/secret-key
POWERLIST_DEBUG   1 to turn Django's debug mode on (never in production)
POWERLIST_ALLOWED_HOSTS  comma-separated host names (default: localhost,127.0.0.1,[::1])
POWERLIST_HTTPS   1 when served over HTTPS (behind a proxy setting X-Forwarded-Proto): HSTS, secure cookies,
                  redirect to HTTPS; POWERLIST_HSTS_SECONDS, POWERLIST_HSTS_SUBDOMAINS, POWERLIST_HSTS_PRELOAD
POWERLIST_SESSION_HOURS, POWERLIST_SESSION_BROWSER_CLOSE  how long a back-office sign-in lasts
POWERLIST_LOGIN_FAILURE_LIMIT, POWERLIST_LOGIN_COOLOFF_MINUTES, POWERLIST_LOGIN_LOCK_BY, POWERLIST_PROXY_COUNT
                  lock-out after failed sign-ins (django-axes)
POWERLIST_SUPERVISION_LIVE  queue (default), inline or off: how stored events reach electronic supervision
POWERLIST_SWEEP_WORKERS  database connections a supervision sweep reads with (default: one per core, at most 4)
POWERLIST_SPARK_MASTER, POWERLIST_SPARK_PARQUET  the Spark engine's cluster and shared Parquet folder
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def _data_dir() -> Path:
    configured = os.environ.get("POWERLIST_DATA_DIR")
    if configured:
        return Path(configured).expanduser().resolve()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base).expanduser().resolve() / "powerlist"


POWERLIST_DATA_DIR = _data_dir()


def _secret_key() -> str:
    key = os.environ.get("POWERLIST_SECRET_KEY")
    if key:
        return key
    path = Path(os.environ.get("POWERLIST_SECRET_FILE") or POWERLIST_DATA_DIR / "secret-key")
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # created with owner-only permissions from the start, never readable by others
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(key)
        except FileExistsError:  # another process wrote it first: use theirs
            return path.read_text().strip()
        except OSError:  # read-only data directory: a per-process key still works
            pass
        return key


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("POWERLIST_DEBUG", "") in ("1", "true", "yes")
ALLOWED_HOSTS = os.environ.get("POWERLIST_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")

INSTALLED_APPS = [
    "powerlist.core",
    "powerlist.laws",
    "powerlist.catalog",
    "powerlist.cleanup",
    "powerlist.operation",
    "powerlist.supervision",
    "powerlist.discretion",
    "powerlist.portal",
    "powerlist.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",  # htmx for the back office's task pages, served from our static files
    "ninja",  # its Swagger UI files, served locally by WhiteNoise (never from a CDN)
    "axes",  # lock-out after repeated failed sign-ins
    "django_tasks",  # background jobs (the backport of Django's tasks framework)
    "django_tasks_db",  # their database backend: no broker; `powerlist serve` runs its worker
]

# Every download of a list version is made at publication by a background job (portal/tasks.py)
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "powerlist.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "powerlist.portal.middleware.MaskPersonalDataMiddleware",  # the public portal never shows personal data
    "powerlist.portal.middleware.CanonicalCodeMiddleware",  # /j/440700/ -> /j/4407/: one address a page
    "powerlist.core.middleware.AccountActorMiddleware",  # who changed an account, for the audit log
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "powerlist.urls"
WSGI_APPLICATION = "powerlist.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if not url:
        POWERLIST_DATA_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
        url = f"sqlite:///{POWERLIST_DATA_DIR / 'powerlist.sqlite3'}"
    db = dj_database_url.parse(url, conn_max_age=0 if url.startswith("sqlite") else 60)
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so
        # two writers queue instead of failing half-way with "database is locked".
        db["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
            "transaction_mode": "IMMEDIATE",
        }
        db.setdefault("TEST", {})
        # the test database is a file too, so WAL and several connections behave as in production
        name = str(db["NAME"])
        # one file per test run, so two runs in the same folder do not share (and delete) it
        db["TEST"]["NAME"] = str(Path(name).with_name(f"test_{os.getpid()}_{Path(name).name}")) if name else None
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# only needed with `powerlist collectstatic` behind a reverse proxy; WhiteNoise serves from the apps
STATIC_ROOT = os.environ.get("POWERLIST_STATIC_ROOT") or None
# WhiteNoise serves the admin's files from the installed apps: no collectstatic, no CDN.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# rendered public pages are kept per process; a shared cache (e.g. Redis) can be set for many hosts
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "powerlist",
                      "OPTIONS": {"MAX_ENTRIES": 50000}}}

LOGIN_URL = "admin:login"


def _flag(name: str, default: str = "") -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


# Sign-in (等保2.0 身份鉴别: limit failed attempts, lock out, end idle sessions)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out sign-in before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("POWERLIST_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("POWERLIST_LOGIN_COOLOFF_MINUTES", "30")))
# lock a user name tried from one address by default ("username+ip_address"); "username" alone also
# stops guessing from many addresses but lets anyone lock a clerk out; alternatives comma-separated
AXES_LOCKOUT_PARAMETERS = [p.split("+") if "+" in p else p for p in
                           os.environ.get("POWERLIST_LOGIN_LOCK_BY", "username+ip_address").replace(" ", "").split(",")]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "powerlist.core.lockout.locked_out"  # a Chinese page in the admin's frame
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the audit log
AXES_VERBOSE = False
if os.environ.get("POWERLIST_PROXY_COUNT"):  # reverse proxies in front: the client is in X-Forwarded-For
    AXES_IPWARE_PROXY_COUNT = int(os.environ["POWERLIST_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

SESSION_COOKIE_AGE = int(float(os.environ.get("POWERLIST_SESSION_HOURS", "8")) * 3600)  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = _flag("POWERLIST_SESSION_BROWSER_CLOSE")

# HTTPS (behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto)
if _flag("POWERLIST_HTTPS"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("POWERLIST_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("POWERLIST_HSTS_SUBDOMAINS", "1")
    SECURE_HSTS_PRELOAD = _flag("POWERLIST_HSTS_PRELOAD", "1")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("POWERLIST_LOG_LEVEL", "WARNING")},
}
