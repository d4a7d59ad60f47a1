"""ROSC Hub settings: one module, driven by environment variables.

Every setting a deployment may change reads an environment variable here; nothing else in the
code reads the environment.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ROSC_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("ROSC_DEBUG", False)
# Production must set ROSC_SECRET_KEY: `manage.py check --deploy` flags this development key
# (security.W009, by its "django-insecure-" prefix).
SECRET_KEY = os.environ.get(
    "ROSC_SECRET_KEY", "django-insecure-rosc-hub-development-key-never-use-in-production"
)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ROSC_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
ALLOWED_HOSTS += ["testserver"]

# Demo mode: accounts created by `rosc demo` (flagged is_demo) may skip the second factor.
# Off unless explicitly switched on; `make run` switches it on for the local demo.
ROSC_DEMO_MODE = env_bool("ROSC_DEMO_MODE", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django_htmx",
    # django-ninja as an app: its API docs then use its vendored Swagger UI and an external
    # init script, not a CDN and an inline script (which our CSP blocks).
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks_db",
    "rosc.core",
    "rosc.accounts",
    "rosc.directory",
    "rosc.people",
    "rosc.consent",
    "rosc.assessments",
    "rosc.plans",
    "rosc.encounters",
    "rosc.followups",
    "rosc.care",
    "rosc.referrals",
    "rosc.justice",
    "rosc.fhir",
    "rosc.councils",
    "rosc.meetings",
    "rosc.fidelity",
    "rosc.training",
    "rosc.events",
    "rosc.mycalendar",
    "rosc.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "rosc.accounts.middleware.SlidingSessionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "rosc.accounts.middleware.ActorMiddleware",
    "rosc.accounts.middleware.SecondFactorRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rosc.accounts.context_processors.actor",
                "rosc.referrals.context_processors.referrals_nav",
            ],
        },
    },
]

# Database: SQLite (WAL) by default, PostgreSQL when DATABASE_URL says so.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'rosc.sqlite3'}"),
        conn_max_age=int(os.environ.get("ROSC_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout (django-axes): after ROSC_LOGIN_FAILURE_LIMIT failures for one username the account is
# locked for ROSC_LOCKOUT_MINUTES, even with the right password.
AXES_FAILURE_LIMIT = int(os.environ.get("ROSC_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ROSC_LOCKOUT_MINUTES", "60")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# We lock by username, not by address: staff of one organization often share an office address,
# and a username lock cannot be dodged by changing browsers, which is what W006 warns about.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions end after inactivity (default 30 minutes for staff).
SESSION_COOKIE_AGE = int(os.environ.get("ROSC_SESSION_IDLE_MINUTES", "30")) * 60
# The idle end moves with use: rosc.accounts.middleware.SlidingSessionMiddleware saves the
# session (and so its new end) at most once a minute instead of on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
HTTPS_ONLY = env_bool("ROSC_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_SSL_REDIRECT = HTTPS_ONLY
SECURE_HSTS_SECONDS = 31536000 if HTTPS_ONLY else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A strict Content-Security-Policy: no inline script, no third-party origin.
# Map tiles, e.g. https://tile.example.org/{z}/{x}/{y}.png; empty: the map shows markers only.
MAP_TILE_URL = os.environ.get("ROSC_MAP_TILE_URL", "")
_tile_origin = "/".join(MAP_TILE_URL.split("/")[:3]) if MAP_TILE_URL.startswith("https://") else ""
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *([_tile_origin] if _tile_origin else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Two-factor (django-otp, TOTP).
OTP_TOTP_ISSUER = "ROSC Hub"

# E-mail: the console in development; SMTP when ROSC_EMAIL_BACKEND names it.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "ROSC_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        ),
        "OPTIONS": {
            k: v
            for k, v in {
                "host": os.environ.get("ROSC_EMAIL_HOST"),
                "port": int(os.environ["ROSC_EMAIL_PORT"])
                if "ROSC_EMAIL_PORT" in os.environ
                else None,
            }.items()
            if v is not None
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("ROSC_FROM_EMAIL", "ROSC Hub <no-reply@rosc-hub.invalid>")
# Where links in e-mails point (notifications sent by background tasks have no request).
ROSC_BASE_URL = os.environ.get("ROSC_BASE_URL", "http://127.0.0.1:8000")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("ROSC_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("ROSC_TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# `collectstatic` target for production; whitenoise serves from the app folders until then.
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ROSC_LOG_LEVEL", "WARNING")},
}
