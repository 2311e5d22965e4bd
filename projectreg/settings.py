"""Settings for the county key-project registry.

Everything that differs between a laptop and a county server comes from the environment
(SPEC section 9): DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS. DEBUG is off unless set.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean from the environment ('1', 'true', 'yes', 'on' are true)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        # A throwaway key for a developer's machine only; sessions do not survive a restart.
        from django.core.management.utils import get_random_secret_key

        SECRET_KEY = get_random_secret_key()
    else:
        raise ImproperlyConfigured("Set the SECRET_KEY environment variable (or DEBUG=1 for development).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "projects",
    "projectreg.apps.OpsConfig",
]

MIDDLEWARE = [
    "projectreg.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "projectreg.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "projectreg.middleware.SecurityHeadersMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "projects.memo.RequestMemoMiddleware",
    # Last, as django-axes asks: turns a locked-out login (page or token endpoint) into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "projectreg.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "projectreg.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # A connection broken by a database restart is replaced on the next request: no app restart.
        conn_health_checks=True,
    )
}
# While PostgreSQL is down or hung, requests fail fast (503) instead of holding every worker:
# connecting gives up after DB_CONNECT_TIMEOUT seconds, a statement after DB_STATEMENT_TIMEOUT.
DB_CONNECT_TIMEOUT = int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
DB_STATEMENT_TIMEOUT = int(os.environ.get("DB_STATEMENT_TIMEOUT", "30"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options.setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
    # The progress engine's per-project sums of a large registry (tens of thousands of projects)
    # spill to disk under PostgreSQL's 4 MB default; give each query's hash tables room.
    options.setdefault(
        "options",
        f"-c work_mem={os.environ.get('PG_WORK_MEM', '32MB')} -c statement_timeout={DB_STATEMENT_TIMEOUT * 1000}",
    )

AUTH_USER_MODEL = "projects.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("PASSWORD_MIN_LENGTH", "8"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface is Chinese for everyone, whatever language a browser asks for (no LocaleMiddleware):
# county users share machines and browsers set to English must not switch the registry to English.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Each area of the product keeps its own catalogue so that parallel work never edits one file.
LOCALE_PATHS = sorted(p for p in (BASE_DIR / "locale").glob("*") if p.is_dir())
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Apache ECharts, installed from package-lock.json by `npm ci` (bin/setup) and served by the app:
# only the file the pages load (static path -> path under node_modules).
NPM_STATIC_FILES = {"vendor/echarts/echarts.min.js": "echarts/dist/echarts.min.js"}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "projectreg.staticfinders.NpmFileFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("STATIC_NO_MANIFEST")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# The name printed on reports; the bureau can also change it in the admin (progress settings).
COUNTY_NAME = os.environ.get("COUNTY_NAME", "示范县")

# Mail (reminders to late units): only when EMAIL_HOST names a server; otherwise reminders are
# recorded and shown on the staff's home page, and nothing is mailed.
EMAIL_HOST_CONFIGURED = bool(os.environ.get("EMAIL_HOST"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "registry@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so that a client without credentials gets WWW-Authenticate and a 401.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies bounded in size (413) and nesting depth (400): projects/api/parsers.py.
    "DEFAULT_PARSER_CLASSES": [
        "projects.api.parsers.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "projects.api.schema.RegistryAutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    # Errors are JSON too, so clients (and the browser) always get JSON.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "projects.api.pagination.RegistryPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "projects.api.exceptions.exception_handler",
    # Fairness: one user's script cannot starve everyone else (counts shared by workers through CACHES).
    # Same classes, rates and variables as the API branch's block, so the two merge as one.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "60/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "10000/hour"),
        # POST /api/auth/token/ per client address: slows password guessing.
        "token": os.environ.get("API_THROTTLE_TOKEN", "20/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# Expiring, hashed API tokens (SPEC section 6): `Authorization: Token ...`, valid API_TOKEN_DAYS days.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=int(os.environ.get("API_TOKEN_DAYS", "30"))),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

# A JSON or form body over 2 MB is refused with 413 (file uploads have their own limits).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("REQUEST_MAX_BYTES", str(2 * 1024 * 1024)))
# Refused form posts and failed CSRF checks get the registry's Chinese page, not Django's English one.
CSRF_FAILURE_VIEW = "projectreg.errors.csrf_failure"

SPECTACULAR_SETTINGS = {
    "TITLE": "County key-project registry API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Separate request and response components: read-only fields are not asked for, write-only not returned.
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
}


# --- Production hardening, logging and lockout (see README "Production") -------------------------

# HTTPS is assumed whenever DEBUG is off; a county intranet without TLS sets HTTPS=0 deliberately
# (then `check --deploy` warns, as it should). Each flag can also be set on its own.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Behind nginx/a load balancer that terminates TLS: trust its X-Forwarded-Proto and X-Forwarded-For.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    REST_FRAMEWORK["NUM_PROXIES"] = 1
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
# Every asset is served by the app (SPEC section 5), so the browser may load nothing from elsewhere.
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'",
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Sessions (OWASP ASVS level 2, 3.3.2): end after a working day and after 30 idle minutes,
# and when the browser closes (shared office computers).
SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("SESSION_ABSOLUTE_TIMEOUT", str(10 * 3600)))
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# "default" is shared by the gunicorn workers (throttle counts); no extra service needed on a single
# server. "figures" holds computed figures under the database's data version (projects.cache): each
# worker keeps its own in memory, which is exact whoever computed it (the version is read from the
# database) and costs no file listing per entry written, as the directory cache's culling does.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
    },
    "figures": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "figures",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("FIGURE_CACHE_ENTRIES", "500"))},
    },
}

# Login lockout (django-axes): lock a user name from one address after repeated failures, for a
# cool-off period. Locking by user name AND address means an attacker behind the county's proxy
# cannot lock out everyone else. Applies to the login page, the admin and POST /api/auth/token/.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "projectreg.netutil.client_ip"
AXES_LOCKOUT_CALLABLE = "projectreg.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429

# Logs go to stderr (gunicorn and systemd collect them): one JSON object a line in production.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "projectreg.logformat.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The request log already has every request; Django's own copy of 4xx/5xx would double it.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        # projectreg.security logs each login, failure and lockout; axes' own INFO lines would repeat them.
        "axes": {"level": "WARNING"},
    },
}
