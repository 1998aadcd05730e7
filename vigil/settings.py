"""Vigil settings: one module, read from the environment with secure defaults.

VIGIL_ENV chooses the mode: "production" (the default: every secret required, secure cookies,
HSTS), "development" (what `make run` uses: fixed demo secrets, plain HTTP on localhost) or
"test" (what the test suite uses).
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from vigil.env import env_bool, env_int, env_list, env_str, require_secrets

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VIGIL_VAR_DIR", str(BASE_DIR / "var")))

VIGIL_ENV = env_str("VIGIL_ENV", "production")
if VIGIL_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(
        f"VIGIL_ENV must be production, development or test, not {VIGIL_ENV!r}."
    )
IS_PRODUCTION = VIGIL_ENV == "production"
DEBUG = env_bool("VIGIL_DEBUG", False)

SECRET_NAMES = [
    "VIGIL_SECRET_KEY",
    "VIGIL_FIELD_KEYS",
    "VIGIL_BLIND_INDEX_KEY",
    "VIGIL_AUDIT_KEY",
]
if IS_PRODUCTION:
    require_secrets(SECRET_NAMES, mode=VIGIL_ENV)
    if DEBUG:
        raise ImproperlyConfigured("VIGIL_DEBUG must not be on in production mode.")

# Development and test secrets are public on purpose: they only protect demo data.
SECRET_KEY = env_str("VIGIL_SECRET_KEY", "dev-only-insecure-secret-key-not-for-production")
# Field encryption keys: comma-separated "key_id=fernet_key"; the first one encrypts, all decrypt.
FIELD_ENCRYPTION_KEYS = env_str(
    "VIGIL_FIELD_KEYS", "dev1=3xRcOtjXK6uN7rdnQDCpSzPkGfKTbkRjB-HwQE4Jk-4="
)
BLIND_INDEX_KEY = env_str("VIGIL_BLIND_INDEX_KEY", "dev-only-blind-index-key")
AUDIT_HMAC_KEY = env_str("VIGIL_AUDIT_KEY", "dev-only-audit-chain-key")

ALLOWED_HOSTS = env_list(
    "VIGIL_ALLOWED_HOSTS", "" if IS_PRODUCTION else "127.0.0.1,localhost,testserver,[::1]"
)
CSRF_TRUSTED_ORIGINS = env_list("VIGIL_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks_db",
    "vigil.common",
    "vigil.accounts",
    "vigil.audit",
    "vigil.notifications",
    "vigil.public_site",
    "vigil.reporting",
    "vigil.cases",
    "vigil.linking",
    "vigil.risk",
    "vigil.safety",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "vigil.common.middleware.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "vigil.common.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "vigil.accounts.middleware.StaffAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vigil.urls"
WSGI_APPLICATION = "vigil.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vigil.common.context_processors.service",
                "vigil.accounts.context_processors.staff",
            ],
        },
    },
]
# Every Django form renders with GOV.UK Frontend markup: error summary, inline errors, answers kept.
FORM_RENDERER = "vigil.common.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'vigil.sqlite3'}"),
        conn_max_age=env_int("VIGIL_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the task worker writes; IMMEDIATE avoids
    # "database is locked" when two writers start a transaction together.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound by the server, and a statement run 5 times on a connection is prepared
    # there: PostgreSQL then skips parsing and planning, which for the short statements that
    # sending a report makes costs more than running them (docs/benchmarks.md). Prepared
    # statements live on one connection, so keep connections (VIGIL_DB_CONN_MAX_AGE). Behind a
    # pooler that cannot keep prepared statements (PgBouncer in transaction mode before 1.21),
    # set VIGIL_DB_PREPARE_THRESHOLD=0.
    _prepare_threshold = env_int("VIGIL_DB_PREPARE_THRESHOLD", 5)
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": _prepare_threshold or None,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": env_str("VIGIL_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first so that a locked-out account or address is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "vigil.accounts.backends.PasswordBackend",
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

# Lockout: five failures lock the account, and separately the address, for 30 minutes.
AXES_FAILURE_LIMIT = env_int("VIGIL_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("VIGIL_LOGIN_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "vigil.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

OTP_TOTP_ISSUER = env_str("VIGIL_FORCE_NAME", "Vigil")

# Staff sessions end after this many minutes without activity; a warning shows before.
STAFF_IDLE_TIMEOUT_MINUTES = env_int("VIGIL_STAFF_IDLE_TIMEOUT_MINUTES", 30)
STAFF_IDLE_WARNING_MINUTES = env_int("VIGIL_STAFF_IDLE_WARNING_MINUTES", 2)

# Django's database sessions with a cheaper read (vigil/common/sessions.py).
SESSION_ENGINE = "vigil.common.sessions"
SESSION_COOKIE_NAME = "vigil_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("VIGIL_SESSION_MAX_AGE_SECONDS", 12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
# Gone when the browser closes, like every cookie we set: one that outlived the visit would show
# anyone looking at the device that this site was used.
CSRF_COOKIE_AGE = None
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "vigil.public_site.views.csrf_failure"
SECURE_COOKIES = env_bool("VIGIL_SECURE_COOKIES", IS_PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# English or Welsh, as the visitor chose: a session cookie, so it is gone when the browser closes
# (or the quick exit clears it), named like our other cookies.
LANGUAGE_COOKIE_NAME = "vigil_language"
LANGUAGE_COOKIE_AGE = None
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

SECURE_SSL_REDIRECT = env_bool("VIGIL_SSL_REDIRECT", IS_PRODUCTION)
SECURE_HSTS_SECONDS = env_int("VIGIL_HSTS_SECONDS", 63072000 if IS_PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = IS_PRODUCTION
SECURE_HSTS_PRELOAD = False
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("VIGIL_BEHIND_PROXY", False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin: our own pages get a referrer (Django's CSRF check needs the Origin);
# no other site ever learns where a visitor came from.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
    "manifest-src": [CSP.SELF],
}
# Features the site never uses are switched off so an injected script cannot turn them on.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
    "fullscreen=(), geolocation=(), gyroscope=(), hid=(), interest-cohort=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), "
    "screen-wake-lock=(), serial=(), sync-xhr=(), usb=(), xr-spatial-tracking=()"
)

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "vigil" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
if not IS_PRODUCTION:
    # WhiteNoise warns when STATIC_ROOT is missing; in development files come from the finders.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = not IS_PRODUCTION

MAILERS = {
    "default": {
        "BACKEND": env_str("VIGIL_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": env_str("VIGIL_EMAIL_HOST", "127.0.0.1"),
            "port": env_int("VIGIL_EMAIL_PORT", 25 if IS_PRODUCTION else 1025),
            "username": env_str("VIGIL_EMAIL_USER"),
            "password": env_str("VIGIL_EMAIL_PASSWORD"),
            "use_tls": env_bool("VIGIL_EMAIL_TLS", False),
            "timeout": env_int("VIGIL_EMAIL_TIMEOUT_SECONDS", 20),
        },
    }
}
DEFAULT_FROM_EMAIL = env_str("VIGIL_FROM_EMAIL", "no-reply@vigil.invalid")
# Outbox delivery per channel. SMS goes through GOV.UK Notify when a key is set.
NOTIFY_API_KEY = env_str("VIGIL_NOTIFY_API_KEY")
NOTIFY_BASE_URL = env_str("VIGIL_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_SMS_TEMPLATE_ID = env_str("VIGIL_NOTIFY_SMS_TEMPLATE_ID")
NOTIFY_EMAIL_TEMPLATE_ID = env_str("VIGIL_NOTIFY_EMAIL_TEMPLATE_ID")
_NOTIFY = "vigil.notifications.backends.NotifyBackend"
OUTBOX_BACKENDS = {
    "email": _NOTIFY
    if env_bool("VIGIL_EMAIL_VIA_NOTIFY", False)
    else "vigil.notifications.backends.SmtpEmailBackend",
    "sms": _NOTIFY if NOTIFY_API_KEY else "vigil.notifications.backends.LogBackend",
}
# A message still "sending" after this long belongs to a worker that stopped mid-way.
OUTBOX_SENDING_LEASE_SECONDS = env_int("VIGIL_OUTBOX_SENDING_LEASE_SECONDS", 600)
# Outbox: how often a message is tried before it is marked failed for staff to see.
OUTBOX_MAX_ATTEMPTS = env_int("VIGIL_OUTBOX_MAX_ATTEMPTS", 5)
OUTBOX_RETRY_BASE_SECONDS = env_int("VIGIL_OUTBOX_RETRY_BASE_SECONDS", 30)

# The force running this service: its name and brand colour are shown on every page.
VIGIL_FORCE_NAME = env_str("VIGIL_FORCE_NAME", "Demo Police")
# The default name is in the Welsh catalogue; a force that sets its own adds its Welsh there too.
VIGIL_SERVICE_NAME = env_str("VIGIL_SERVICE_NAME", gettext_noop("Stalking and harassment"))
# How emails to a reporter are signed when they said we may not say we are the police, or that
# someone else may read their messages: a name that says nothing about stalking or the police.
VIGIL_DISCREET_SENDER_NAME = env_str("VIGIL_DISCREET_SENDER_NAME", gettext_noop("The support team"))
VIGIL_BRAND_COLOUR = env_str("VIGIL_BRAND_COLOUR", "#1d3d6e")
VIGIL_FEEDBACK_URL = env_str("VIGIL_FEEDBACK_URL", "/feedback/")
# The service's public address, for links in emails sent without a request (staff alerts).
VIGIL_BASE_URL = env_str("VIGIL_BASE_URL", "" if IS_PRODUCTION else "http://127.0.0.1:8000")
# Where "Exit this page" sends someone: a neutral, everyday site.
VIGIL_QUICK_EXIT_URL = env_str("VIGIL_QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("VIGIL_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # db_worker prints task progress itself; do not print each line twice.
        "django.tasks": {"level": "WARNING", "propagate": False},
    },
}

if not __import__("re").fullmatch(r"#[0-9a-fA-F]{6}", VIGIL_BRAND_COLOUR):
    raise ImproperlyConfigured("VIGIL_BRAND_COLOUR must be a colour like #1d3d6e.")


# --- Public site (issue 4) ------------------------------------------------------------------
# Cookie consent and the flags optional features must check (vigil/public_site/consent.py).
TEMPLATES[0]["OPTIONS"]["context_processors"].append(  # type: ignore[index]
    "vigil.public_site.context_processors.public"
)
# Feedback from one address: at most this many in the window, then a kind "try later" page.
VIGIL_FEEDBACK_RATE_LIMIT = env_int("VIGIL_FEEDBACK_RATE_LIMIT", 5)
VIGIL_FEEDBACK_RATE_WINDOW_SECONDS = env_int("VIGIL_FEEDBACK_RATE_WINDOW_SECONDS", 60 * 60)

# --- Linking (vigil.linking) -------------------------------------------------------------------
# Blind-index keys for identifiers, "key_id=secret" newest first; empty uses VIGIL_BLIND_INDEX_KEY.
# After adding a key, run `manage.py linking_reindex`, then remove the old one.
LINKING_INDEX_KEYS = env_str("VIGIL_LINKING_INDEX_KEYS", "")
# The chance that two records picked at random are the same person: the prior of the score.
LINKING_PRIOR_MATCH_PROBABILITY = float(env_str("VIGIL_LINKING_PRIOR", "0.0001"))

# --- Online report and "track my report" (vigil.reporting, issue 5) -------------------------
# Evidence files: each file and all files of one report together (bytes).
REPORT_EVIDENCE_MAX_FILE_BYTES = env_int("VIGIL_REPORT_EVIDENCE_MAX_FILE_MB", 50) * 1024 * 1024
REPORT_EVIDENCE_MAX_TOTAL_BYTES = env_int("VIGIL_REPORT_EVIDENCE_MAX_TOTAL_MB", 200) * 1024 * 1024
# Answers in progress are kept this long after the last change, then deleted.
REPORT_DRAFT_TTL_HOURS = env_int("VIGIL_REPORT_DRAFT_TTL_HOURS", 24)
# The browser holds only a signed draft id, in a cookie that ends with the browser session and
# goes only to the report's own pages. Exit this page deletes it.
REPORT_DRAFT_COOKIE_NAME = "vigil_report"
REPORT_DRAFT_COOKIE_PATH = "/report/"
# What the confirmation page promises: when someone will be in touch.
REPORT_CONTACT_WITHIN_HOURS = env_int("VIGIL_REPORT_CONTACT_WITHIN_HOURS", 48)
# "Track my report": wrong sign-ins before a reference, or an address, is locked for a while.
REPORT_TRACK_FAILURE_LIMIT = env_int("VIGIL_REPORT_TRACK_FAILURE_LIMIT", 10)
REPORT_TRACK_LOCK_MINUTES = env_int("VIGIL_REPORT_TRACK_LOCK_MINUTES", 30)
# Spam: reports accepted from one address per hour (a refuge may share one address).
REPORT_SUBMIT_PER_ADDRESS_PER_HOUR = env_int("VIGIL_REPORT_SUBMIT_PER_ADDRESS_PER_HOUR", 20)
# Django refuses bigger request bodies itself; files stream to disk above 2.5 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# "Track my report" signs the person out after this long without activity (shared devices).
REPORT_TRACK_IDLE_MINUTES = env_int("VIGIL_REPORT_TRACK_IDLE_MINUTES", 20)
# "Track my report" by a one-time link sent to a safe email address: how long a link works, how
# many links one report is sent in a day, and how many times one address may ask in an hour.
REPORT_TRACK_LINK_MINUTES = env_int("VIGIL_REPORT_TRACK_LINK_MINUTES", 30)
REPORT_TRACK_LINKS_PER_REFERENCE_PER_DAY = env_int(
    "VIGIL_REPORT_TRACK_LINKS_PER_REFERENCE_PER_DAY", 3
)
REPORT_TRACK_LINK_REQUESTS_PER_ADDRESS_PER_HOUR = env_int(
    "VIGIL_REPORT_TRACK_LINK_REQUESTS_PER_ADDRESS_PER_HOUR", 10
)

# --- cases (issue 6) --------------------------------------------------------------------------
# WeasyPrint logs every step of every case file PDF at INFO; only its warnings are useful.
LOGGING["loggers"]["weasyprint"] = {"level": "WARNING"}  # type: ignore[index]
LOGGING["loggers"]["fontTools"] = {"level": "WARNING"}  # type: ignore[index]


# --- Victim safety tools (vigil.safety, issue 9) ----------------------------------------------
# Check-in timers: how long one "minute" of a timer is (tests shorten it), the longest timer,
# and how many minutes before the end the reminder goes to the victim's safe channel.
SAFETY_TIMER_UNIT_SECONDS = env_int("VIGIL_SAFETY_TIMER_UNIT_SECONDS", 60)
SAFETY_TIMER_MAX_MINUTES = env_int("VIGIL_SAFETY_TIMER_MAX_MINUTES", 24 * 60)
SAFETY_REMINDER_BEFORE = env_int("VIGIL_SAFETY_REMINDER_MINUTES_BEFORE", 2)
SAFETY_MAX_CONTACTS = env_int("VIGIL_SAFETY_MAX_CONTACTS", 5)
