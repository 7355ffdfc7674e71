"""One settings module, read from the environment through small typed helpers."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("BACKBONE_VAR_DIR", BASE_DIR.parent / "var"))
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)  # the SQLite file and collected assets


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("BACKBONE_DEBUG", False)
SECRET_KEY = env_str("BACKBONE_SECRET_KEY") or (
    "insecure-development-key-change-me" if DEBUG or env_bool("BACKBONE_TESTING") else ""
)
if not SECRET_KEY:
    raise ImproperlyConfigured("Set BACKBONE_SECRET_KEY (or BACKBONE_DEBUG=1 for development).")

ALLOWED_HOSTS = env_list("BACKBONE_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("BACKBONE_CSRF_TRUSTED_ORIGINS")
# `backbone serve` and `backbone demo` set it from --addr when it is not set.
SITE_URL = env_str("BACKBONE_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "backbone.accounts",
    "backbone.frameworks",
    "backbone.initiatives",
    "backbone.agenda",
    "backbone.measurement",
    "backbone.dashboards",
    "backbone.measurement.completeness",
    "backbone.activities",
    "backbone.communication",
    "backbone.updates",
    "backbone.workplan",
    "backbone.advocacy",
    "backbone.phases",
    "backbone.decisions",
    "backbone.learning",
    "backbone.reports",
    "backbone.assessments",
    "backbone.network",
    "backbone.health",
    "backbone.powermap",
    "backbone.notifications",
    "backbone.web",
    "backbone.demo",
    "backbone.operations",
    "backbone.archive",
    "backbone.audit",
    "backbone.webhooks",
]

MIDDLEWARE = [
    "backbone.web.unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session, before CommonMiddleware: the visitor's language from the cookie the
    # switcher sets, else Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "backbone.accounts.languages.PersonLanguage",  # a person's saved language; ?lang=
    "django.contrib.messages.middleware.MessageMiddleware",
    "backbone.accounts.middleware.SecondFactorRequired",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "backbone.web.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "backbone.urls"
WSGI_APPLICATION = "backbone.wsgi.application"

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
            ],
            "builtins": ["backbone.web.templatetags.permissions"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'backbone.sqlite3'}"),
        conn_max_age=env_int("BACKBONE_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The dashboards' grouping queries are big enough for PostgreSQL to compile them (JIT),
    # which costs a third of a second each time and saves less than that.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# A read replica for the dashboards' and the API's reads (backbone.replica).
BACKBONE_REPLICA_URL = env_str("BACKBONE_REPLICA_URL")
BACKBONE_REPLICA_LAG_SECONDS = env_int("BACKBONE_REPLICA_LAG_SECONDS", 10)
if BACKBONE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        BACKBONE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
    )
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["backbone.replica.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "backbone.replica.ReadFromReplica",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out account or address first
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
INVITATION_VALID_DAYS = env_int("BACKBONE_INVITATION_VALID_DAYS", 14)
INVITATIONS_PER_HOUR = env_int("BACKBONE_INVITATIONS_PER_HOUR", 100)

# Failed sign-ins: an account, and an address (one office is many people), wait a while
# after so many failures (backbone.accounts.limits). Password-reset e-mails: so many an
# hour per account (silently) and per address (said).
BACKBONE_SIGN_IN_FAILURES_PER_ACCOUNT = env_int("BACKBONE_SIGN_IN_FAILURES_PER_ACCOUNT", 10)
BACKBONE_SIGN_IN_FAILURES_PER_ADDRESS = env_int("BACKBONE_SIGN_IN_FAILURES_PER_ADDRESS", 50)
BACKBONE_SIGN_IN_COOL_OFF_MINUTES = env_int("BACKBONE_SIGN_IN_COOL_OFF_MINUTES", 15)
BACKBONE_RESETS_PER_ACCOUNT = env_int("BACKBONE_RESETS_PER_ACCOUNT", 3)
BACKBONE_RESETS_PER_ADDRESS = env_int("BACKBONE_RESETS_PER_ADDRESS", 20)
# Two-factor sign-in: always for the platform's administrators in production; an
# initiative may require it of its backbone staff and data stewards.
BACKBONE_ADMIN_TWO_FACTOR = env_bool("BACKBONE_ADMIN_TWO_FACTOR", not DEBUG)
OTP_TOTP_ISSUER = env_str("BACKBONE_TWO_FACTOR_ISSUER", "Backbone")
AXES_HANDLER = "backbone.accounts.limits.SignInLimits"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = "backbone.accounts.limits.failure_limit"
AXES_COOLOFF_TIME = BACKBONE_SIGN_IN_COOL_OFF_MINUTES / 60  # hours
# Failures keep counting after a success: else signing in to one's own account from an
# address would wipe that address's failures on others.
AXES_RESET_ON_SUCCESS = False
# A lockout ends on time even while someone keeps trying: else they keep the owner out.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "backbone.accounts.limits.sign_in_name"
AXES_CLIENT_IP_CALLABLE = "backbone.accounts.limits.client_address"
AXES_LOCKOUT_CALLABLE = "backbone.accounts.limits.locked_out"
AXES_VERBOSE = False

# E-mail: the console in development, SMTP from the environment in production.
EMAIL_BACKEND = env_str(
    "BACKBONE_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("BACKBONE_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("BACKBONE_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("BACKBONE_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("BACKBONE_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("BACKBONE_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("BACKBONE_EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("BACKBONE_DEFAULT_FROM_EMAIL", "backbone@localhost")

LANGUAGE_CODE = "en"
# Each language named in itself, as a reader looks for their own.
# Spanish twice: the United States write its figures with a decimal point (formats/es_US),
# Spain with a comma; both read the one Spanish catalogue.
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("es-us", "Español (Estados Unidos)"),
    ("fr", "Français"),
]
# The catalogues (backbone/locale/*/LC_MESSAGES/django.po), compiled by `backbone
# compilemessages`; numbers and dates as each language writes them (backbone/formats).
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["backbone.formats"]
TIME_ZONE = env_str("BACKBONE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# In production `backbone serve` collects (and compresses) the files into STATIC_ROOT;
# finders would shadow them with the uncompressed originals. Development and the tests,
# which collect nothing, serve the originals.
WHITENOISE_USE_FINDERS = DEBUG or env_bool("BACKBONE_TESTING")
# Uploaded files of values: refused past this size as they arrive, and past this time to read.
BACKBONE_MAX_UPLOAD_MB = env_int("BACKBONE_MAX_UPLOAD_MB", 50)
BACKBONE_UPLOAD_SECONDS = env_int("BACKBONE_UPLOAD_SECONDS", 180)
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("BACKBONE_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# HTTPS: production runs behind a TLS reverse proxy; development and the demo speak plain http.
SECURE_SSL_REDIRECT = env_bool("BACKBONE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("BACKBONE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
# Subdomains of Backbone's own host name; on an organisation's main domain, turn it off
# unless every subdomain speaks HTTPS.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("BACKBONE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("BACKBONE_HSTS_PRELOAD", False)
BACKBONE_BEHIND_PROXY = env_bool("BACKBONE_BEHIND_PROXY")
if BACKBONE_BEHIND_PROXY:
    # Only behind a proxy that sets this header itself: a client could send it too.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = [
    # W021 asks for HSTS preloading: a promise about the whole registered domain, made by its
    # owner at hstspreload.org and slow to undo; BACKBONE_HSTS_PRELOAD=1 makes it.
    "security.W021",
]

# Background tasks (digests): queued in the database, run by `backbone worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Webhooks go to public https addresses; loopback and private ones (and plain http to them)
# only in development or where this is set, e.g. receivers inside the same private network.
WEBHOOKS_ALLOW_PRIVATE = env_bool("BACKBONE_WEBHOOKS_ALLOW_PRIVATE", DEBUG)
# How long events, their deliveries and their attempts are listed before the worker drops them.
WEBHOOKS_KEEP_DAYS = env_int("BACKBONE_WEBHOOKS_KEEP_DAYS", 90)

FRAMEWORKS_DIR = Path(env_str("BACKBONE_FRAMEWORKS_DIR", str(BASE_DIR / "frameworks" / "data")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("BACKBONE_LOG_LEVEL", "WARNING")},
}
