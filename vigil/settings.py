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

from vigil.env import (
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_str,
    require_secrets,
    require_trusted_proxies,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VIGIL_VAR_DIR", str(BASE_DIR / "var")))

VIGIL_ENV = env_str("VIGIL_ENV", "production")
if VIGIL_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(
        f"VIGIL_ENV must be production, development or test, not {VIGIL_ENV!r}."
    )
IS_PRODUCTION = VIGIL_ENV == "production"
DEBUG = env_bool("VIGIL_DEBUG", False)

# Development and test secrets are public on purpose: they only protect demo data. Production
# refuses every one of them (and short or simple ones) at startup.
DEVELOPMENT_SECRETS = {
    "VIGIL_SECRET_KEY": "dev-only-insecure-secret-key-not-for-production",
    # Field encryption keys: comma-separated "key_id=fernet_key"; the first encrypts, all decrypt.
    "VIGIL_FIELD_KEYS": "dev1=3xRcOtjXK6uN7rdnQDCpSzPkGfKTbkRjB-HwQE4Jk-4=",
    "VIGIL_BLIND_INDEX_KEY": "dev-only-blind-index-key",
    "VIGIL_AUDIT_KEY": "dev-only-audit-chain-key",
    # Private records (vigil.private_record): identifiers' keyed hashes and the keys derived
    # from them. Its own key, so a leak of the blind-index key does not open these records.
    "VIGIL_PRIVATE_RECORD_KEY": "dev-only-private-record-key",
}
SECRET_NAMES = list(DEVELOPMENT_SECRETS)
if IS_PRODUCTION:
    require_secrets(SECRET_NAMES, mode=VIGIL_ENV, development_values=DEVELOPMENT_SECRETS)
    if DEBUG:
        raise ImproperlyConfigured("VIGIL_DEBUG must not be on in production mode.")

SECRET_KEY = env_str("VIGIL_SECRET_KEY", DEVELOPMENT_SECRETS["VIGIL_SECRET_KEY"])
FIELD_ENCRYPTION_KEYS = env_str("VIGIL_FIELD_KEYS", DEVELOPMENT_SECRETS["VIGIL_FIELD_KEYS"])
BLIND_INDEX_KEY = env_str("VIGIL_BLIND_INDEX_KEY", DEVELOPMENT_SECRETS["VIGIL_BLIND_INDEX_KEY"])
AUDIT_HMAC_KEY = env_str("VIGIL_AUDIT_KEY", DEVELOPMENT_SECRETS["VIGIL_AUDIT_KEY"])
PRIVATE_RECORD_KEY = env_str(
    "VIGIL_PRIVATE_RECORD_KEY", DEVELOPMENT_SECRETS["VIGIL_PRIVATE_RECORD_KEY"]
)

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
    # runserver leaves static files to WhiteNoise, as in production: Django's development
    # handler answered 500 to /static/../settings.py.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Only for its sitemap view and template (public_site/findable.py); no models.
    "django.contrib.sitemaps",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks_db",
    "vigil.common",
    "vigil.accounts",
    "vigil.audit",
    "vigil.contact",
    "vigil.notifications",
    "vigil.operations",
    "vigil.public_site",
    "vigil.reporting",
    "vigil.cases",
    "vigil.linking",
    "vigil.risk",
    "vigil.safeguarding",
    "vigil.offenders",
    "vigil.safety",
    "vigil.sharing",
    "vigil.private_record",
    "vigil.records",
    "vigil.insights",
    "vigil.api",
]

MIDDLEWARE = [
    # First: headers only our own proxies may set are dropped from anyone else.
    "vigil.common.middleware.ProxyHeadersMiddleware",
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
    # Counts public pages shown, per page and day, keeping nothing about the visitor.
    "vigil.public_site.usage.PageViewMiddleware",
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
# The lockout counts the client's address as vigil.common.client_address works it out from the
# trusted proxies below, like every rate limit and the audit.
AXES_CLIENT_IP_CALLABLE = "vigil.common.client_address.axes_client_ip"
# Axes keeps addresses in clear for its lockout; the admin does not show them (the audit log
# records every sign-in, with a keyed hash of the address). Unlock with `manage.py axes_reset`.
AXES_ENABLE_ADMIN = False

# Behind a reverse proxy (docs/operations.md): the proxies whose forwarding header is believed,
# as addresses or networks, and the header they write. The client is the right-most hop in that
# header that is not one of these proxies. Without VIGIL_BEHIND_PROXY the header is ignored.
VIGIL_BEHIND_PROXY = env_bool("VIGIL_BEHIND_PROXY", False)
VIGIL_TRUSTED_PROXIES = env_networks("VIGIL_TRUSTED_PROXIES")
VIGIL_CLIENT_ADDRESS_HEADER = env_str("VIGIL_CLIENT_ADDRESS_HEADER", "X-Forwarded-For")
if IS_PRODUCTION:
    require_trusted_proxies(behind_proxy=VIGIL_BEHIND_PROXY, trusted=VIGIL_TRUSTED_PROXIES)

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
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if VIGIL_BEHIND_PROXY else None
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
# Static files served as production serves them: collected into STATIC_ROOT with hashed names
# and gzip/brotli copies, and served by WhiteNoise (which answers 404 to a path outside it).
# `make run` turns this on (after collectstatic), so a developer sees what a victim's phone
# downloads; the test suite serves from the sources, with nothing to collect first.
STATIC_AS_PRODUCTION = env_bool("VIGIL_STATIC_AS_PRODUCTION", IS_PRODUCTION)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_AS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
# Where `manage.py backup` writes when given no --output; copy backups off the machine.
BACKUP_DIR = Path(env_str("VIGIL_BACKUP_DIR", str(VAR_DIR / "backups")))
if not IS_PRODUCTION:
    # WhiteNoise warns when STATIC_ROOT is missing; in development files come from the finders.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = not STATIC_AS_PRODUCTION

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
    # One-time tokens in URL paths never reach a log line (vigil/common/log_filters.py).
    "filters": {"redact_tokens": {"()": "vigil.common.log_filters.RedactTokens"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_tokens"],
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("VIGIL_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Django's own handlers (its DEBUG console) replaced by ours, so "Not Found: <path>"
        # and error lines pass the token filter too.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # db_worker prints task progress itself; do not print each line twice.
        "django.tasks": {"level": "WARNING", "propagate": False},
        # runserver's access log, as Django configures it, but through the token filter.
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # gunicorn's access log (with --access-logfile -) the same way; its own handler is
        # replaced by ours, so no line is written without the filter.
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
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
# Public page counts are added up per process and written this often (vigil/public_site/usage.py);
# tests write at once so each request's count can be read straight after it.
VIGIL_USAGE_FLUSH_SECONDS = env_int("VIGIL_USAGE_FLUSH_SECONDS", 0 if VIGIL_ENV == "test" else 10)

# --- Private records (vigil.private_record, issue 23) ---------------------------------------
# Identifiers whose keys may be derived per client address per hour, and for everyone together
# per hour: a stalker guessing who has named them must make one derivation per guess.
PRIVATE_RECORD_DERIVATIONS_PER_ADDRESS_PER_HOUR = env_int(
    "VIGIL_PRIVATE_RECORD_DERIVATIONS_PER_ADDRESS_PER_HOUR", 40
)
PRIVATE_RECORD_DERIVATIONS_PER_HOUR = env_int("VIGIL_PRIVATE_RECORD_DERIVATIONS_PER_HOUR", 5000)
# Unused this many days, the holder is asked (safely) whether to keep the record; no answer
# within PRIVATE_RECORD_KEEP_ANSWER_DAYS and it is deleted.
PRIVATE_RECORD_UNUSED_DAYS = env_int("VIGIL_PRIVATE_RECORD_UNUSED_DAYS", 365)
PRIVATE_RECORD_KEEP_ANSWER_DAYS = env_int("VIGIL_PRIVATE_RECORD_KEEP_ANSWER_DAYS", 30)
# --- Safeguarding (vigil.safeguarding) -------------------------------------------------------
# A high-risk case must have a current safety plan within this many working days of becoming
# high risk, or the coordinators are told (once): `manage.py safeguarding_sweep`.
SAFETY_PLAN_DUE_WORKING_DAYS = env_int("VIGIL_SAFETY_PLAN_DUE_WORKING_DAYS", 1)
# A plan's review date, from when it is made or reviewed (calendar days).
SAFETY_PLAN_REVIEW_DAYS = env_int("VIGIL_SAFETY_PLAN_REVIEW_DAYS", 28)

# --- Linking (vigil.linking) -------------------------------------------------------------------
# Blind-index keys for identifiers, "key_id=secret" newest first; empty uses VIGIL_BLIND_INDEX_KEY.
# After adding a key, run `manage.py linking_reindex`, then remove the old one.
LINKING_INDEX_KEYS = env_str("VIGIL_LINKING_INDEX_KEYS", "")
# The chance that two records picked at random are the same person: the prior of the score.
LINKING_PRIOR_MATCH_PROBABILITY = float(env_str("VIGIL_LINKING_PRIOR", "0.0001"))

# --- Online report and "track my report" (vigil.reporting, issue 5) -------------------------
# Evidence files: each file and all files of one report together (bytes).
REPORT_EVIDENCE_MAX_FILE_BYTES = env_int("VIGIL_REPORT_EVIDENCE_MAX_FILE_MB", 50) * 1024 * 1024
REPORT_EVIDENCE_MAX_TOTAL_BYTES = env_int("VIGIL_REPORT_EVIDENCE_MAX_TOTAL_MB", 100) * 1024 * 1024
# Staff evidence (vigil.cases): one file, larger than the public limit (a phone download, a
# video from a doorbell camera). nginx's client_max_body_size must stay above it.
CASE_EVIDENCE_MAX_FILE_BYTES = env_int("VIGIL_CASE_EVIDENCE_MAX_FILE_MB", 100) * 1024 * 1024
# From one address in an hour (a refuge or a library may share one): reports started, files
# added and their bytes. Without them one address could fill the disk with reports in progress,
# each kept for REPORT_DRAFT_TTL_HOURS.
REPORT_DRAFTS_PER_ADDRESS_PER_HOUR = env_int("VIGIL_REPORT_DRAFTS_PER_ADDRESS_PER_HOUR", 20)
REPORT_UPLOADS_PER_ADDRESS_PER_HOUR = env_int("VIGIL_REPORT_UPLOADS_PER_ADDRESS_PER_HOUR", 40)
REPORT_UPLOAD_BYTES_PER_ADDRESS_PER_HOUR = (
    env_int("VIGIL_REPORT_UPLOAD_MB_PER_ADDRESS_PER_HOUR", 300) * 1024 * 1024
)
# Answers in progress are kept this long after the last change, then deleted.
REPORT_DRAFT_TTL_HOURS = env_int("VIGIL_REPORT_DRAFT_TTL_HOURS", 24)

# Insights: figures for viewers who see the whole force are worked out once and shared for this
# long (the page shows their age; `manage.py insights_sweep` refreshes them ahead of time).
INSIGHTS_SNAPSHOT_MAX_AGE_MINUTES = env_int("VIGIL_INSIGHTS_SNAPSHOT_MAX_AGE_MINUTES", 60)
# A report saved with "Save and come back later" is kept this long from its last save, then
# deleted with its files: long enough to find a safe moment, short enough to hold little.
REPORT_DRAFT_SAVED_DAYS = env_int("VIGIL_REPORT_DRAFT_SAVED_DAYS", 7)
# The browser holds only a signed draft id, in a cookie that ends with the browser session and
# goes only to the report's own pages. Exit this page deletes it.
REPORT_DRAFT_COOKIE_NAME = "vigil_report"
REPORT_DRAFT_COOKIE_PATH = "/report/"

# Records management (vigil/records, docs/domain.md "Retention"): years after a case closes (or
# after the victim's last activity on it, if later) until the data protection officer reviews
# it. Defaults follow the Management of Police Information review periods; a force sets its own.
# Public information pages are rendered once per language and cookie choice and kept this many
# seconds (vigil/public_site/page_cache.py; 0 turns it off). Short, because the help page says
# whether the helpline is open now. In each server process's memory: nothing is shared, and
# nothing personal is ever stored (the module says how).
# Off by default in tests, which read each page's template context; the cache's tests turn it on.
PUBLIC_PAGE_CACHE_SECONDS = env_int(
    "VIGIL_PUBLIC_PAGE_CACHE_SECONDS", 0 if VIGIL_ENV == "test" else 60
)
# Change it (e.g. to the release) to drop every cached page at once.
PUBLIC_PAGE_CACHE_VERSION = env_str("VIGIL_RELEASE", "1")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "public_pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "vigil-public-pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

RETENTION_REVIEW_YEARS = {
    "standard": env_int("VIGIL_RETENTION_STANDARD_YEARS", 6),
    "high_risk": env_int("VIGIL_RETENTION_HIGH_RISK_YEARS", 10),
    "order": env_int("VIGIL_RETENTION_ORDER_YEARS", 10),
    # An online or phone report that never became a case (not triaged, withdrawn): MoPI's
    # six-year minimum, counted from its last activity (docs/domain.md, "Retention").
    "report": env_int("VIGIL_RETENTION_REPORT_YEARS", 6),
}
# What the confirmation page promises: when someone will be in touch.
REPORT_CONTACT_WITHIN_HOURS = env_int("VIGIL_REPORT_CONTACT_WITHIN_HOURS", 48)
# "Track my report": wrong sign-ins from one address in the window before it must wait; then
# it waits 1, 2, 4... minutes after each wrong try, at most REPORT_TRACK_LOCK_MINUTES. Never a
# lock on the report itself: anyone who knows a reference could use it against the victim.
REPORT_TRACK_FAILURE_LIMIT = env_int("VIGIL_REPORT_TRACK_FAILURE_LIMIT", 10)
REPORT_TRACK_LOCK_MINUTES = env_int("VIGIL_REPORT_TRACK_LOCK_MINUTES", 30)
REPORT_TRACK_BACKOFF_WINDOW_MINUTES = env_int("VIGIL_REPORT_TRACK_BACKOFF_WINDOW_MINUTES", 60)
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
# How long a deleted diary entry or a removed trusted contact can be put back ("Undo"); the
# safety sweep then deletes it for good.
SAFETY_UNDO_MINUTES = env_int("VIGIL_SAFETY_UNDO_MINUTES", 10)
SAFETY_REMINDER_BEFORE = env_int("VIGIL_SAFETY_REMINDER_MINUTES_BEFORE", 2)
SAFETY_MAX_CONTACTS = env_int("VIGIL_SAFETY_MAX_CONTACTS", 5)


# --- Referrals to partner agencies (vigil.sharing, issue 17) ----------------------------------
# Working days a partner agency has to accept or decline a referral, when its agency type does
# not say (policy: each AgencyType carries its own, editable in the admin).
SHARING_ACKNOWLEDGE_WORKING_DAYS = env_int("VIGIL_SHARING_ACKNOWLEDGE_WORKING_DAYS", 2)
# How long a signed export link works, in hours.
SHARING_EXPORT_HOURS = env_int("VIGIL_SHARING_EXPORT_HOURS", 24)
# Offender management: how many days ahead the offender manager's home page lists Stalking
# Protection Orders coming to their end (time to consider a renewal).
VIGIL_SPO_EXPIRY_LEAD_DAYS = env_int("VIGIL_SPO_EXPIRY_LEAD_DAYS", 90)
