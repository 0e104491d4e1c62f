"""LevelCheck settings: one module, every deploy knob read from the environment.

Insecure defaults (secret key, open hosts) apply only while DEBUG is on.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

# Development defaults live in one git-ignored file that `make run` writes once
# (devtools/envfile.py). The environment always wins; LEVELCHECK_ENV_FILE names another file,
# or none when empty (the test suite reads no file).
ENV_FILE = os.environ.get("LEVELCHECK_ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE:
    load_dotenv(ENV_FILE, override=False)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-when-debug-is-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "maturity",
    "assessments",
    "results",
    "training",
    "improvement",
    "reports",
    "front",
    "axes",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (hashed, compressed) straight from the app server, before sessions.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # A NUL in a query parameter or form field is refused (400) before any view or lookup.
    "config.middleware.RefuseNulMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes asks: turns a locked-out login into the lockout page (accounts/lockout.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'levelcheck.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # A kept connection is checked before each request reuses it, so a database restart
        # costs one reconnect instead of a 500.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Japanese first; English is the other full language.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# Content texts (frameworks, modules) exist in both languages; a missing one falls back.
MODELTRANSLATION_DEFAULT_LANGUAGE = "ja"
MODELTRANSLATION_LANGUAGES = ("ja", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("ja", "en"), "ja": ("en",), "en": ("ja",)}

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves what collectstatic gathered: names carry a content hash (cached for a
# year) and gzip/brotli copies sit beside them. While DEBUG is on, files come from the
# source folders and need no collectstatic.
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

# Generated PDFs live here. Nothing routes MEDIA_URL: files are served only by scoped views
# (reports:download), so the web server must not expose this folder either.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"

# Background work (PDF reports) goes through Django's Tasks API; the database backend keeps
# the queue in the app's own database and `manage.py db_worker` runs it (`make run` starts one).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Report jobs (reports/leases.py): a running build renews its lease every third of this many
# seconds; once a lease has run out, any live `manage.py report_worker` builds the job again
# (once), then fails it as interrupted. Each person may have this many reports queued or
# being built at once (0: no limit).
REPORT_JOB_LEASE_SECONDS = float(os.environ.get("REPORT_JOB_LEASE_SECONDS", "60"))
REPORT_JOBS_PENDING_PER_USER = int(os.environ.get("REPORT_JOBS_PENDING_PER_USER", "5"))
# The report's cover (reports/cover.py): the consulting firm's name and its logo, a PNG or JPG
# file (none: a small drawn wordmark of the firm's name, or of LevelCheck).
REPORT_CONSULTING_FIRM = os.environ.get("REPORT_CONSULTING_FIRM", "")
REPORT_LOGO_PATH = os.environ.get("REPORT_LOGO_PATH", "") or None

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "LevelCheck <noreply@levelcheck.local>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# For EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
# Absolute links in e-mails (invitations, reminders).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Uploaded framework files larger than this are refused before parsing.
FRAMEWORK_FILE_MAX_BYTES = int(os.environ.get("FRAMEWORK_FILE_MAX_BYTES", str(2 * 1024 * 1024)))
DEFAULT_FRAMEWORK_SLUG = "customer-engagement"

# Evidence files (improvement/evidence/validation.py): at most this many bytes, and only these
# types, each recognised by the file's content, not by its name or the browser's header.
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
EVIDENCE_CONTENT_TYPES = env_list(
    "EVIDENCE_CONTENT_TYPES",
    "application/pdf,image/png,image/jpeg,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "application/vnd.openxmlformats-officedocument.presentationml.presentation,"
    "text/csv,text/plain",
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "config.api_schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON only, bounded in depth and size (a deep body crashed DRF's own JSONParser).
    "DEFAULT_PARSER_CLASSES": ["config.parsers.BoundedJSONParser"],
    # JSON out too: the schema documents JSON (and PDF downloads); Swagger UI is the browser's
    # view of the API, so DRF's browsable HTML renderer would only be an undocumented format.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "config.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "LevelCheck API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the project's own static files (no CDN): works offline, passes the CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per set of choices wherever a field uses it (drf-spectacular would otherwise
    # prefix the field name with the serializer's: CampaignOutputStatusEnum, ...).
    "ENUM_NAME_OVERRIDES": {
        "CampaignStatusEnum": "assessments.models.Campaign.Status",
        "ResponseStatusEnum": "assessments.models.Response.Status",
        "ReportJobStatusEnum": "reports.models.ReportJob.Status",
        "LanguageEnum": "django.conf.settings.LANGUAGES",
        "ReportKindEnum": "reports.models.ReportJob.Kind",
        "DepartmentFunctionEnum": "maturity.functions.DepartmentFunction",
        "ActionStatusEnum": "improvement.models.Action.Status",
        "ActionEventKindEnum": "improvement.models.ActionEvent.Kind",
        "EvidenceKindEnum": "improvement.models.Evidence.Kind",
        "EvidenceStatusEnum": "improvement.models.Evidence.Status",
    },
}

# Secure by default: with DEBUG off every switch below is on unless turned off explicitly
# (`make serve` turns the HTTPS ones off for plain HTTP on loopback). Behind a TLS-terminating
# proxy set SECURE_PROXY_SSL_HEADER, e.g. "HTTP_X_FORWARDED_PROTO,https" (docs/deploy.md).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
_proxy_header = env_list("SECURE_PROXY_SSL_HEADER", "")
if _proxy_header:
    if len(_proxy_header) != 2:
        raise ImproperlyConfigured(
            "SECURE_PROXY_SSL_HEADER takes a header and a value, "
            'e.g. "HTTP_X_FORWARDED_PROTO,https".'
        )
    SECURE_PROXY_SSL_HEADER = tuple(_proxy_header)
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)

# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from this
# site; no inline script anywhere. Style *attributes* stay allowed: the charts are inline SVG
# whose elements carry their own style, and progress bars set their width.
CONTENT_SECURITY_POLICY = {
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
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Abuse limits
# Failed logins are counted by django-axes in the database, so every app server sees the same
# counts: an account locks after LOGIN_FAILURES_PER_ACCOUNT failures from anywhere, a client
# address after LOGIN_FAILURES_PER_IP failures on any accounts, each for LOGIN_LOCKOUT_MINUTES
# after the failure that reached the limit (accounts/lockout.py). The admin logs in the same way.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "5"))
LOGIN_FAILURES_PER_IP = int(os.environ.get("LOGIN_FAILURES_PER_IP", "20"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = "accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "accounts.lockout.cool_off"
# Attempts during a lock are refused uncounted, so the lock ends when the page says it does.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A successful login forgets that client's failures on that account only (LockoutHandler).
AXES_RESET_ON_SUCCESS = True
# Only failures are kept (and pruned after the cool-off); nothing reads a log of every login.
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"
# The client address comes from the socket unless TRUSTED_PROXY_COUNT proxies (load balancer,
# nginx) stand in front and each appends to CLIENT_IP_HEADER (a request.META key). The app
# port must then be reachable only through them, or the header can be forged.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "HTTP_X_FORWARDED_FOR")
# Password-reset links (accounts/services.py), per rolling hour.
PASSWORD_RESET_PER_ADDRESS_PER_HOUR = int(
    os.environ.get("PASSWORD_RESET_PER_ADDRESS_PER_HOUR", "3")
)
PASSWORD_RESET_PER_IP_PER_HOUR = int(os.environ.get("PASSWORD_RESET_PER_IP_PER_HOUR", "20"))
