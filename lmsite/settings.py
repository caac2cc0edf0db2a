"""Settings for lmsite, read from the environment.

Every variable is listed with its default in the README. The defaults suit a laptop: a SQLite
file next to manage.py, DEBUG off, local-memory cache, plain HTTP.
"""

from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The fallback key is only fit for a laptop; production sets DJANGO_SECRET_KEY. Its
# `django-insecure-` prefix makes `check --deploy` warn (security.W009) when that is forgotten.
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY", default="django-insecure-lmsite-local-key-change-me-in-production-0123"
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "lmsite",  # its deploy checks (lmsite/checks.py)
    "lmsite.admin_site.EditorsAdminConfig",  # django.contrib.admin, named after the site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_countries",
    "simple_history",
    "axes",
    "drivers",
    "races",
]

# The header middleware comes before SecurityMiddleware (its HTTPS redirect reads the host) and
# CommonMiddleware, whose host checks answer a bad host's 400: that answer gets the same headers.
MIDDLEWARE = [
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "lmsite.headers.HeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "lmsite.bodylimit.BodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above the session and locale middleware: it trims the Vary they add to public pages.
    "lmsite.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "lmsite.languages.AdminLanguageMiddleware",  # the editor's language in the admin
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "lmsite.methods.SafeMethodsMiddleware",
    # Last: its process_exception answers a view that meets an unreachable database first.
    "lmsite.outage.DatabaseOutageMiddleware",
]
# Request bodies: 1 MB of form data (file uploads aside: the import checks its own 2 MB) and at
# most 5000 fields, in a query string too. A 62-car session posts about 1030 fields with its
# results; 250 cars (the import's limit) about 4200.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2**20
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

ROOT_URLCONF = "lmsite.urls"
WSGI_APPLICATION = "lmsite.wsgi.application"

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
                "lmsite.languages.languages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Keep connections open between requests: opening one (and, on SQLite, reading the schema)
# cost more than a whole page. Checked before reuse, so a dropped connection is replaced.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A PostgreSQL host that stops answering without refusing (down behind a firewall that drops
# packets, a network gone) must not hang a worker; libpq's defaults wait forever, or for the
# kernel's 15 minutes of retransmissions (docs/decisions/0018-outages.md). A new connection
# waits at most DJANGO_DB_CONNECT_TIMEOUT; on an open one, a statement the server does not
# acknowledge fails after DJANGO_DB_TCP_USER_TIMEOUT (Linux), and a connection that has been
# silent for DJANGO_DB_KEEPALIVES_IDLE is probed every DJANGO_DB_KEEPALIVES_INTERVAL and closed
# after DJANGO_DB_KEEPALIVES_COUNT probes unanswered (sooner on Linux: the user timeout bounds
# them too). A server that is up answers the probes at once, even during a long statement.
# Seconds here; libpq counts tcp_user_timeout in milliseconds. Keys set in DATABASE_URL's
# query string (`?keepalives_idle=30`) win.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    db_options = DATABASES["default"].setdefault("OPTIONS", {})
    db_options.setdefault("connect_timeout", env.int("DJANGO_DB_CONNECT_TIMEOUT", default=3))
    db_options.setdefault("keepalives", 1)
    db_options.setdefault("keepalives_idle", env.int("DJANGO_DB_KEEPALIVES_IDLE", default=10))
    db_options.setdefault(
        "keepalives_interval", env.int("DJANGO_DB_KEEPALIVES_INTERVAL", default=5)
    )
    db_options.setdefault("keepalives_count", env.int("DJANGO_DB_KEEPALIVES_COUNT", default=3))
    db_options.setdefault(
        "tcp_user_timeout", 1000 * env.int("DJANGO_DB_TCP_USER_TIMEOUT", default=10)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Whole public pages live in the default cache (lmsite/pagecache.py; README "Page cache").
# Local memory: each process keeps its own copy, at most MAX_ENTRIES pages. Redis
# (CACHE_URL=rediscache://host:6379/1): one copy for every process and host; short timeouts so
# that a Redis that stops answering costs a page render, not a hung worker.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 1000)
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    CACHES["default"].setdefault("OPTIONS", {})
    CACHES["default"]["OPTIONS"].setdefault("socket_connect_timeout", 0.5)
    CACHES["default"]["OPTIONS"].setdefault("socket_timeout", 0.5)
CACHES["default"]["KEY_PREFIX"] = env.str("DJANGO_CACHE_KEY_PREFIX", default="")
PAGE_CACHE = env.bool("DJANGO_PAGE_CACHE", default=True)
# While the database cannot be read, pages in the cache are served under the last data version
# a process read, for at most this many seconds after it read it; then, and for pages not in the
# cache, the 503 page (lmsite/outage.py; README "Deployment").
PAGE_CACHE_STALE_SECONDS = env.int("DJANGO_PAGE_CACHE_STALE_SECONDS", default=300)
# After the cache fails (Redis stopped or too slow), each process renders without it for this
# many seconds before asking it again.
PAGE_CACHE_RETRY_SECONDS = env.float("DJANGO_PAGE_CACHE_RETRY_SECONDS", default=5.0)

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

# Admin login throttling (lmsite/login_throttle.py): five failures lock the username and address
# pair for an hour, twenty the address whatever the usernames. Behind reverse proxies, the
# client's address is read from X-Forwarded-For as the trusted ones (their number, or their
# addresses and networks, comma-separated) set it; without them, REMOTE_ADDR. Behind a proxy
# (DJANGO_BEHIND_PROXY=1) that is one unless DJANGO_TRUSTED_PROXIES says otherwise; a deploy
# check (lmsite/checks.py) refuses settings that contradict each other.
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
TRUSTED_PROXIES = env.str("DJANGO_TRUSTED_PROXIES", default="") or ("1" if BEHIND_PROXY else "")
AXES_CLIENT_IP_CALLABLE = "lmsite.login_throttle.client_ip"
AXES_HANDLER = "lmsite.login_throttle.LoginThrottleHandler"
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_RESET_ON_SUCCESS = True
# The only login is the admin's: a `next` that is not safe leads to its index, not a 404.
LOGIN_REDIRECT_URL = "admin:index"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed files from `collectstatic`; DJANGO_STATIC_PLAIN=1 (the tests) serves the
# source folders directly instead, so that no collectstatic is needed first.
STATIC_PLAIN = env.bool("DJANGO_STATIC_PLAIN", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if STATIC_PLAIN
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = STATIC_PLAIN

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# Every browser feature the site does not use (it uses none of these), denied to it and to frames.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
# security.txt's Contact line (RFC 9116): a mailto: or https: address. check --deploy warns
# while it is the placeholder.
SECURITY_CONTACT_PLACEHOLDER = "mailto:security@lmsite.example"
SECURITY_CONTACT = env.str("DJANGO_SECURITY_CONTACT", default=SECURITY_CONTACT_PLACEHOLDER)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# HTTPS hardening has its own switch so that plain-HTTP runs (tests, benchmarks) keep DEBUG off.
HTTPS = env.bool("DJANGO_HTTPS", default=False)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Trust X-Forwarded-Proto only behind a proxy that sets it: without one, a client could forge it.
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


# A history record's change reason holds the name and the SHA-256 of an imported file
# (races/importers/classification.py: import_reason), longer than the default 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Codes the Le Mans data uses for countries that no longer exist or are not ISO countries.
# User-assigned codes (X*) keep them apart from any real ISO 3166 code.
COUNTRIES_OVERRIDE = {
    "DD": _("East Germany"),
    "CS": _("Czechoslovakia"),
    "RH": _("Rhodesia"),
    "XS": _("Scotland"),
    # Neutral licences, no country and no flag (docs/decisions/0001-neutral-licences.md).
    "XR": _("Neutral (RAF licence)"),
    "XW": _("Neutral (WFS licence)"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}
