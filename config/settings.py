"""OpenCLS settings, read from the environment in one place.

Demo/dev: nothing to set (SQLite, DEBUG on). Production: DJANGO_DEBUG=false and SECRET_KEY
(refused to start without it); set ALLOWED_HOSTS and DATABASE_URL (PostgreSQL) too, or the
site answers only on localhost and keeps its data in SQLite. See .env.example.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or ("dev-only-insecure-key" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY doit être défini quand DJANGO_DEBUG=false.")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "widget_tweaks",  # used by django-dsfr field templates
    "dsfr",
    "django_htmx",
    "simple_history",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # OpenCLS domain apps
    "opencls.core",
    "opencls.accounts",
    "opencls.territories",
    "opencls.contracts",
    "opencls.actions",
    "opencls.monitoring",
    "opencls.governance",
    "opencls.finance",
    "opencls.imports",
    "opencls.spreadsheets",
    "opencls.api",
    "opencls.demo",
    "opencls.people",
    "opencls.campaigns",
    "opencls.operations",
    # Background jobs: Django's Tasks API (django-tasks backport) on the database backend.
    "django_tasks",
    "django_tasks_db",
    "opencls.jobs",
    # Issue 18: the diagnosis editor, then the final evaluation and the renewal of a contract.
    "opencls.diagnosis",
    "opencls.renewal",
    # Issue 16: open data (API v1 for published contracts) and API tokens for BI tools.
    "rest_framework.authtoken",
    "opencls.opendata",
    # In-app notifications, the one notify() service behind every e-mail, weekly digest (issue 13).
    "opencls.notifications",
    # The citizen page: published versions, inhabitants' suggestions, footer pages (issue 14).
    "opencls.publication",
    # Issue 14: conseils citoyens, participation bodies and events.
    "opencls.participation",
    # Issue 16: the regional view (themes, search, comparison, map, exports).
    "opencls.region",
    # Contract document, article texts, COPIL deck, calendar of actions (issue 18).
    "opencls.documents",
    "opencls.geo",  # issue 16: official geography (COG), load_territories
]

MIDDLEWARE = [
    "opencls.core.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "opencls.accounts.middleware.SessionTimeoutMiddleware",
    "opencls.accounts.middleware.NoStoreForUsersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "opencls.campaigns.middleware.PeriodLockedMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes must be last: it reads the result of authentication
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "opencls" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "opencls.core.context_processors.site",
            ],
            "builtins": ["opencls.accounts.templatetags.permissions"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections (issue 15: a new PostgreSQL connection per request cost ~16 ms).
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "campaigns:after_login"  # porteurs land on "Mes fiches"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: five failures lock the (username, IP) pair for one hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
# Locked out per (username, IP) and per IP alone: one address cannot spray many usernames.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Password-reset e-mails: at most 3 per address and 10 per client IP an hour.
PASSWORD_RESET_LIMIT_PER_EMAIL = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_EMAIL", "3"))
PASSWORD_RESET_LIMIT_PER_IP = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_IP", "10"))
PASSWORD_RESET_THROTTLE_WINDOW = 3600

LANGUAGE_CODE = "fr"
# The interface is written in French; offering another language would mix French text with
# that language's number and date formats.
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        # Hashed names (cached for a year). Pre-compressing the ~10 000 files (DSFR icons, API docs
        # bundles) costs over a minute of CPU at each collectstatic; nginx compresses on the fly, and
        # OPENCLS_STATIC_COMPRESS=true restores WhiteNoise's gzip/brotli copies for app-only serving.
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("OPENCLS_STATIC_COMPRESS", False)
        else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ne-pas-repondre@opencls.localhost")

# Secure defaults outside development.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
# Sessions end after 2 h without a request and 12 h after login (opencls.accounts.middleware).
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(2 * 3600)))
SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("SESSION_ABSOLUTE_TIMEOUT", str(12 * 3600)))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    # The header allows preloading; submitting the domain to the browsers' list is the operator's choice.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^sante/"]  # probes speak plain HTTP on the private network

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # DSFR components set inline styles from their own scripts.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["opencls.api.permissions.ContractPermission"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "opencls.opendata.authentication.ReadOnlyTokenAuthentication",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API OpenCLS",
    "DESCRIPTION": "Lecture et écriture des Contrats Locaux de Santé",
    "VERSION": "1",
}


# Upload limits (documents, evidence, spreadsheets), overridable per deployment.
OPENCLS_MAX_UPLOAD_BYTES = int(os.environ.get("OPENCLS_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# Issue 13: a document import is read by a background job when it is a PDF or weighs more than this
# (a Word or text file under it is read in the request, in well under a second).
OPENCLS_IMPORT_SYNC_MAX_BYTES = int(os.environ.get("OPENCLS_IMPORT_SYNC_MAX_BYTES", str(512 * 1024)))
# Issue 13: a plan with more fiches actions than this is exported by a background job only.
OPENCLS_SYNC_EXPORT_MAX_ACTIONS = int(os.environ.get("OPENCLS_SYNC_EXPORT_MAX_ACTIONS", "100"))
OPENCLS_MAX_PDF_PAGES = int(os.environ.get("OPENCLS_MAX_PDF_PAGES", "150"))  # bench/pdf_pages.py
# Issue 17: PDF words and drawn lines from PyMuPDF, tables from those lines by pdfplumber's algorithm
# ("pdfplumber": everything from pdfplumber, as before). Same blocks on the seeds, 10× faster on 004:
# bench/pdf_readers.py.
OPENCLS_PDF_TEXT_ENGINE = os.environ.get("OPENCLS_PDF_TEXT_ENGINE", "pymupdf")
OPENCLS_SPREADSHEET_MAX_ROWS = int(os.environ.get("OPENCLS_SPREADSHEET_MAX_ROWS", "5000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Issue 13: the yearly grid of all of a contract's fiches holds an input per indicator, period and
# category, commune, QPV or satisfaction level (Django's default of 1,000 refuses a real contract);
# the body stays bounded by DATA_UPLOAD_MAX_MEMORY_SIZE.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Logs: JSON lines with the request id and user id in production (LOG_FORMAT=json|text).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "opencls.core.logging.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": os.environ.get("LOG_FORMAT", "text" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Errors of requests (500s) are logged by django.request; keep them at ERROR or above.
        "django.request": {"level": "ERROR", "propagate": True},
        "opencls": {"level": os.environ.get("LOG_LEVEL_OPENCLS", "INFO")},
        "django_tasks_db": {"level": "INFO"},
    },
}
SPECTACULAR_SETTINGS.update(
    {"SWAGGER_UI_DIST": "SIDECAR", "SWAGGER_UI_FAVICON_HREF": "SIDECAR", "REDOC_DIST": "SIDECAR"}
)

# Bounded work on hostile input (issue 12): every limit below is checked before the costly step.
_env_int = lambda name, default: int(os.environ.get(name, str(default)))  # noqa: E731
# Office archives (DOCX, XLSX, ODS): uncompressed size of one XML part and of the whole archive,
# compression ratio of a large part, and what a document may hold before it is parsed.
OPENCLS_MAX_XML_PART_BYTES = _env_int("OPENCLS_MAX_XML_PART_BYTES", 40 * 1024 * 1024)
OPENCLS_MAX_UNCOMPRESSED_BYTES = _env_int("OPENCLS_MAX_UNCOMPRESSED_BYTES", 80 * 1024 * 1024)
OPENCLS_MAX_INFLATE_RATIO = _env_int("OPENCLS_MAX_INFLATE_RATIO", 100)
OPENCLS_MAX_DOCUMENT_PARAGRAPHS = _env_int("OPENCLS_MAX_DOCUMENT_PARAGRAPHS", 20_000)
OPENCLS_MAX_DOCUMENT_CELLS = _env_int("OPENCLS_MAX_DOCUMENT_CELLS", 20_000)
OPENCLS_SPREADSHEET_MAX_CELLS = _env_int("OPENCLS_SPREADSHEET_MAX_CELLS", 300_000)
OPENCLS_SPREADSHEET_MAX_COLUMNS = _env_int("OPENCLS_SPREADSHEET_MAX_COLUMNS", 1000)
# Reading and extraction of an uploaded document run in a child process with these ceilings
# (bench/pdf_pages.py: ~11 PDF pages per CPU second, so 150 pages take about half the CPU ceiling).
OPENCLS_EXTRACTION_CPU_SECONDS = _env_int("OPENCLS_EXTRACTION_CPU_SECONDS", 30)
OPENCLS_EXTRACTION_MEMORY_BYTES = _env_int("OPENCLS_EXTRACTION_MEMORY_BYTES", 1024 * 1024 * 1024)
OPENCLS_EXTRACTION_WALL_SECONDS = _env_int("OPENCLS_EXTRACTION_WALL_SECONDS", 120)  # a loaded server
# Contract JSON uploads.
OPENCLS_MAX_JSON_BYTES = _env_int("OPENCLS_MAX_JSON_BYTES", 10 * 1024 * 1024)
OPENCLS_MAX_JSON_DEPTH = _env_int("OPENCLS_MAX_JSON_DEPTH", 40)
OPENCLS_MAX_JSON_NUMBER_DIGITS = _env_int("OPENCLS_MAX_JSON_NUMBER_DIGITS", 30)
# ProConnect (OpenID Connect) login, off until a client is configured: see docs/proconnect.md.
PROCONNECT_ISSUER = os.environ.get("PROCONNECT_ISSUER", "")
PROCONNECT_DISCOVERY_URL = os.environ.get("PROCONNECT_DISCOVERY_URL", "")
PROCONNECT_END_SESSION_ENDPOINT = os.environ.get("PROCONNECT_END_SESSION_ENDPOINT", "")
PROCONNECT_PKCE = os.environ.get("PROCONNECT_PKCE", "auto")
OIDC_RP_CLIENT_ID = os.environ.get("PROCONNECT_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("PROCONNECT_CLIENT_SECRET", "")
OIDC_RP_SCOPES = os.environ.get("PROCONNECT_SCOPES", "openid email given_name usual_name siret")
OIDC_RP_SIGN_ALGO = os.environ.get("PROCONNECT_SIGN_ALGO", "RS256")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("PROCONNECT_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("PROCONNECT_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("PROCONNECT_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("PROCONNECT_JWKS_ENDPOINT", "")
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:proconnect_callback"
OIDC_STORE_ID_TOKEN = True  # sent back as id_token_hint to ProConnect's end-session
OIDC_TIMEOUT = 10
AUTHENTICATION_BACKENDS.append("opencls.accounts.proconnect.backend.ProConnectBackend")
AXES_WHITELIST_CALLABLE = "opencls.accounts.proconnect.backend.is_proconnect_attempt"
# The logout form is redirected to ProConnect's end-session: form-action must allow its origin.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += [
    "{0.scheme}://{0.netloc}".format(urlsplit(url))
    for url in {PROCONNECT_ISSUER, PROCONNECT_DISCOVERY_URL, PROCONNECT_END_SESSION_ENDPOINT} - {""}
]
# --- Growing past one machine (docs/exploitation.md) -------------------------------------------
# Uploaded files: local disk by default; S3-compatible object storage when AWS_STORAGE_BUCKET_NAME
# is set (AWS_S3_ENDPOINT_URL for a non-AWS provider, credentials from AWS_ACCESS_KEY_ID /
# AWS_SECRET_ACCESS_KEY or the machine's role). Files stay private: the application serves them
# after checking rights, never through a public bucket URL.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "location": os.environ.get("AWS_S3_LOCATION", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Cache and sessions shared by every app server: Redis when REDIS_URL is set, else the database
# (table made by `manage.py createcachetable`). Developers keep a per-process memory cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif env_bool("OPENCLS_DATABASE_CACHE", not DEBUG):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "opencls_cache"}
    }

# Background jobs (opencls/jobs): tasks are rows in the database, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Readiness (/sante/pret/) fails when a job has waited this long: no worker is running.
OPENCLS_JOB_QUEUE_MAX_WAIT_SECONDS = int(os.environ.get("OPENCLS_JOB_QUEUE_MAX_WAIT_SECONDS", "300"))
# Management commands run every day by `manage.py run_periodic` (deploy/opencls-daily.timer).
# send_digest mails last week's digest once per person: run daily, it sends on the first run of the week.
OPENCLS_PERIODIC_COMMANDS = ["send_reminders", "send_digest", "prune_db_task_results"]

# Citizen page (issue 14): suggestions and questions of inhabitants, limited per client IP and
# per contract over a window (in the shared cache: Redis in production); names and e-mails are
# erased this many days after moderation (`purge_suggestions`, run daily).
OPENCLS_SUGGESTION_LIMIT_PER_IP = _env_int("OPENCLS_SUGGESTION_LIMIT_PER_IP", 5)
OPENCLS_SUGGESTION_LIMIT_PER_CONTRACT = _env_int("OPENCLS_SUGGESTION_LIMIT_PER_CONTRACT", 60)
OPENCLS_SUGGESTION_WINDOW = _env_int("OPENCLS_SUGGESTION_WINDOW", 3600)
OPENCLS_SUGGESTION_PERSONAL_DATA_DAYS = _env_int("OPENCLS_SUGGESTION_PERSONAL_DATA_DAYS", 365)
# Who to write to about this instance (legal notice, personal data, accessibility pages).
OPENCLS_CONTACT_EMAIL = os.environ.get("OPENCLS_CONTACT_EMAIL", DEFAULT_FROM_EMAIL)
OPENCLS_PUBLISHER = os.environ.get("OPENCLS_PUBLISHER", "")
OPENCLS_PERIODIC_COMMANDS.append("purge_suggestions")
