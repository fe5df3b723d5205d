"""Settings shared by every environment; each value that differs between machines comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
# Runtime state of the embedded default (SQLite file, uploads, demo login); never committed.
VAR_DIR = Path(os.environ.get("JINCAI_VAR_DIR", BASE_DIR / "var"))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal",
    # Before django.contrib.staticfiles: its collectstatic also takes the tamper-check fingerprints.
    "audit",
    "content",
    "services_hall",
    "opendata",
    "participation",
    "disclosure",
    "search",
    "guard",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
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
    "ninja",
    "corsheaders",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",  # Django's widget templates, for the TemplatesSetting renderer below
    # Last: the demo loader sits on top of every app (docs/architecture.md).
    "demo",
]

MIDDLEWARE = [
    # First, so that every response to /api/ and /feeds/ (including early ones) carries the CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that reads the session or writes per-response headers: a hit is returned whole (its body
    # and CSP header with the same nonce) without a session being read (portal/page_cache.py).
    "portal.page_cache.PageCacheMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    # After static files (answered above without counting), before any view: every public endpoint has a limit.
    "portal.limits.PublicRateLimitMiddleware",
    "portal.middleware.JsonBodyGuardMiddleware",
    "portal.middleware.NulCharacterGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The Wagtail Site for the (now validated) Host header from the cache, not a query per request.
    "portal.sites.CachedSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Lets the audit trail name who changed a group or permission, and from which address.
    "audit.context.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.SessionTimeoutMiddleware",
    "portal.staff_security.StaffSecondFactorMiddleware",
    # After the second factor: a staff password past its maximum age is changed before anything else.
    "portal.passwords.PasswordAgeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# The lockout backend first, so a locked-out account or address is refused before its password is checked.
AUTHENTICATION_BACKENDS = [
    "portal.staff_security.StaffLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Widgets render through TEMPLATES, so templates/wagtailadmin/widgets/ (the admin's date pickers without inline
# script, for the CSP) override Wagtail's.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                # Pages served by app views: their front door and breadcrumb trail (portal/places.py).
                "services_hall.places.place",
                "opendata.places.place",
            ],
        },
    },
]

# Database: the embedded default is a SQLite file; DATABASE_URL moves to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN
    # so concurrent writers wait (up to the timeout) instead of failing mid-transaction.
    # Connections persist as on PostgreSQL (DATABASE_CONN_MAX_AGE): opening one per request ran the PRAGMAs below,
    # re-read the schema and started with a cold page cache, about 2-3 ms of CPU on every page (bench/serving.py).
    # Between requests a connection holds no lock and no read transaction, so it blocks neither writers nor checkpoints.
    DATABASES["default"]["OPTIONS"] = {
        # A 64 MB page cache and memory-mapped reads keep large lists fast (SQLite's default cache is 2 MB).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache, rate-limit counters, content versions and search answers: shared by every worker process. On the embedded
# default that is a folder of files under VAR_DIR (atomic counters, see portal/cache_backends.py); Redis when
# REDIS_URL is set. Never a per-process cache, which would let each worker count its own rate limit.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache_backends.SharedFileCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        },
        # Wagtail writes every rendition it looks up back to its "renditions" cache (else "default"): on the file
        # cache that was a file written and renamed per image size on every render (~2 ms each, 4 for one
        # <picture>). Its keys carry the image's file hash and focal point, so a change to an image is a new key
        # and a memory cache per process never shows a stale rendition of it.
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "jincai-renditions",
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 5_000},
        },
    }

# The page cache (portal/page_cache.py): anonymous GETs of public pages, in the cache above, purged by tags.
PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE_ENABLED", "true") != "false"
PAGE_CACHE_ALIAS = "default"
# The menu, footer and site identity every page repeats, kept in the same cache under the same tags as stored pages
# (portal/fragment_cache.py): renders the page cache cannot answer skip their queries; a purge rebuilds them.
FRAGMENT_CACHE_ENABLED = os.environ.get("FRAGMENT_CACHE_ENABLED", "true") != "false"
FRAGMENT_CACHE_SECONDS = 24 * 3600
# How long a stored page may be served (and Varnish may keep it) when nothing it shows changes; never past midnight.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 3600))
# Paths never stored: the admin, the APIs (keys), the services hall (sign-in, filings), search, downloads.
PAGE_CACHE_EXCLUDE = r"^/(admin|django-admin|api|hall|search|documents|media|static)/|^/open-data/(resources|datasets)/"
# Plain models pages show that editors change outside page publishing (snippets and settings are found by
# themselves): their edits purge the pages that show them.
PAGE_CACHE_TRACKED_MODELS = ["opendata.Publisher", "opendata.Resource", "services_hall.Letter",
                             "services_hall.LetterReply",
                             # A new file for an image deletes its renditions; a document's new file is a new name.
                             "wagtailimages.Image", "wagtaildocs.Document"]
# Front-end caches purged with the same tags: VARNISH_URL (e.g. http://127.0.0.1:6081) names the Varnish in front.
VARNISH_URL = os.environ.get("VARNISH_URL", "")
WAGTAILFRONTENDCACHE = (
    {"varnish": {"BACKEND": "portal.frontend_cache.VarnishXkeyBackend", "LOCATION": VARNISH_URL}} if VARNISH_URL else {}
)

# Search at scale (used by the search app when set); empty means the embedded database search.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
# The database search backend caches each answer until the index next changes, at most this long (0: never).
SEARCH_RESULT_CACHE_SECONDS = int(os.environ.get("SEARCH_RESULT_CACHE_SECONDS", "600"))
# 大家都在搜: a query becomes a candidate for editors only after this many distinct visitors (a salted hash of the
# address, never the address) found something with it within the window (search/popular.py).
POPULAR_SEARCH_MIN_VISITORS = int(os.environ.get("POPULAR_SEARCH_MIN_VISITORS", "5"))
POPULAR_SEARCH_WINDOW_DAYS = int(os.environ.get("POPULAR_SEARCH_WINDOW_DAYS", "7"))
POPULAR_SEARCH_SALT = os.environ.get("POPULAR_SEARCH_SALT", "")

# Background work: run inline by default; the database backend + `manage.py db_worker` at scale.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")}}

# 等保 third level (portal/passwords.py): Django's validators plus ours, at least 10 characters of three of the
# four classes for everyone; for staff no reuse of the last 5 passwords and a change forced after
# PASSWORD_MAX_AGE_DAYS (demo accounts exempt only when load_demo flagged them).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "portal.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "portal.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "portal.passwords.PasswordReuseValidator", "OPTIONS": {"keep": 5}},
]
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
# The zones a staff member may show the admin's times in (账户设置). Wagtail's default is every zone the system
# knows, "localtime" included on Debian, which the browser rejects: the account page threw a script error.
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai", "Asia/Urumqi", "Asia/Hong_Kong", "Asia/Macau", "Asia/Taipei", "UTC"]
USE_I18N = True
# The project's own Chinese for admin strings Wagtail's zh-hans catalogue leaves in English (compiled by
# `manage.py compile_translations`; the .mo files are not committed).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# The app serves MEDIA_ROOT itself only where no web server is in front (`make run`: portal.settings.local).
SERVE_MEDIA = False
# Uploads that must never be public (filings, data files) live outside MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "true"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@portal.example.gov.cn")

# Everything to the console (journald or the terminal of `make run`). A 404 or a refused request is one line,
# not a traceback: tracebacks are kept for 5xx.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_without_traceback": {"()": "portal.logs.ClientErrorsWithoutTraceback"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["client_errors_without_traceback"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING"), "propagate": False},
    },
}

# The public address of the site (scheme and host, e.g. https://portal.example.gov.cn): sitemap entries name it.
# Empty: the Wagtail Site record's hostname and port (`load_demo --base-url` sets them for `make run`).
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")

# Wagtail
WAGTAIL_SITE_NAME = "金财门户"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "ofd", "doc", "docx", "xls", "xlsx", "csv", "zip", "txt", "wps", "et"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 64_000_000
# Alt text (the image description) is required whenever an editor edits an image's details.
WAGTAILIMAGES_IMAGE_FORM_BASE = "portal.forms.AltTextImageForm"
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]

# --- services hall ---
# SMS: the console backend by default; a real gateway is a class path implementing
# services_hall.notifications.BaseSmsBackend.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "services_hall.notifications.ConsoleSmsBackend")
SERVICES_HALL_UPLOAD_MAX_BYTES = int(os.environ.get("SERVICES_HALL_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
SERVICES_HALL_UPLOAD_MAX_PIXELS = int(os.environ.get("SERVICES_HALL_UPLOAD_MAX_PIXELS", 40_000_000))
SERVICES_HALL_INTAKE_DAYS = 5  # 行政许可法第三十二条: accept or name what is missing within 5 working days
SERVICES_HALL_LETTER_REPLY_DAYS = int(os.environ.get("SERVICES_HALL_LETTER_REPLY_DAYS", 5))
SERVICES_HALL_FOLLOW_UP_DAYS = 15  # a poor rating is followed up within 15 working days
# --- end services hall ---

# --- JSON APIs ---
# Anyone may read the public APIs and feeds from a browser on another origin; nothing there needs credentials.
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_URLS_REGEX = r"^/(api|feeds)/.*$"
# Requests per client IP to the content API ("<count>/<s|m|h|d>"); counted in the default cache.
CONTENT_API_RATE = os.environ.get("CONTENT_API_RATE", "120/m")

# --- audit trail, tamper check, backups ---
# Seals each audit record (HMAC-SM3). Set it in production and keep it when SECRET_KEY rotates: by default it is
# derived from SECRET_KEY, and a different key makes every earlier record fail `manage.py audit verify`.
AUDIT_SIGNING_KEY = os.environ.get("AUDIT_SIGNING_KEY", "")
# Days audit records are kept before `manage.py audit prune` may remove them (never fewer than 180).
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "180"))
# Who gets the tamper-check alert mail (comma separated); empty: every active superuser with an address.
TAMPER_ALERT_EMAILS = env_list("TAMPER_ALERT_EMAILS")
# --- site guard (网站检查) ---
# Who gets the monthly report `manage.py site_guard report` mails (comma separated); empty: the active members of
# GUARD_REPORT_GROUP (the site managers) with an address.
GUARD_REPORT_EMAILS = env_list("GUARD_REPORT_EMAILS")
GUARD_REPORT_GROUP = os.environ.get("GUARD_REPORT_GROUP", "Moderators")
# Where `manage.py site_guard report` writes its PDF and XLSX files.
GUARD_REPORT_DIR = Path(os.environ.get("GUARD_REPORT_DIR", VAR_DIR / "guard-reports"))
# Where `manage.py site_guard probe` asks for the home page and key URLs: the server itself (gunicorn's address).
GUARD_PROBE_BASE_URL = os.environ.get("GUARD_PROBE_BASE_URL", "http://127.0.0.1:8000")
# Paths probed besides the home page and the first-level columns (comma separated).
GUARD_PROBE_PATHS = env_list("GUARD_PROBE_PATHS", "/sitemap.xml,/robots.txt")
# Where `manage.py backup` writes (one folder per backup).
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))

# --- open data ---
# Uploaded data files over this size are refused before they are read (413 with a message naming the limit).
OPENDATA_UPLOAD_MAX_BYTES = int(os.environ.get("OPENDATA_UPLOAD_MAX_BYTES", 100 * 1024 * 1024))
# Resource downloads per client IP ("<count>/<s|m|h|d>"), counted in the default cache.
OPENDATA_DOWNLOAD_RATE = os.environ.get("OPENDATA_DOWNLOAD_RATE", "60/m")
# Data API (/api/data/v1/), CKAN (/api/3/action/) and DCAT requests per client IP, and data API requests per key.
OPENDATA_API_IP_RATE = os.environ.get("OPENDATA_API_IP_RATE", "120/m")
OPENDATA_API_KEY_RATE = os.environ.get("OPENDATA_API_KEY_RATE", "600/m")
# Access applications (有条件开放) per client IP.
OPENDATA_APPLY_RATE = os.environ.get("OPENDATA_APPLY_RATE", "5/h")
# Views of dataset pages that Varnish answered, counted from the page by a beacon: per address, so that one client
# cannot run the 浏览量 up (an office behind one address rarely opens more than this many datasets a minute).
OPENDATA_VIEW_BEACON_RATE = os.environ.get("OPENDATA_VIEW_BEACON_RATE", "20/m")

# --- security (等保 2.0 third level) ---
# Every JSON request body: at most this many bytes and this many levels of [ / { (400 otherwise, never a 500).
JSON_BODY_MAX_BYTES = int(os.environ.get("JSON_BODY_MAX_BYTES", 1024 * 1024))
JSON_BODY_MAX_DEPTH = int(os.environ.get("JSON_BODY_MAX_DEPTH", 32))
# Sessions: staff are signed out after 30 idle minutes and 8 hours in all, applicants after 2 idle hours.
STAFF_SESSION_IDLE_SECONDS = int(os.environ.get("STAFF_SESSION_IDLE_SECONDS", 30 * 60))
STAFF_SESSION_ABSOLUTE_SECONDS = int(os.environ.get("STAFF_SESSION_ABSOLUTE_SECONDS", 8 * 3600))
APPLICANT_SESSION_IDLE_SECONDS = int(os.environ.get("APPLICANT_SESSION_IDLE_SECONDS", 2 * 3600))
# The session cookie itself never outlives the longest of these (Django's default is 14 days).
SESSION_COOKIE_AGE = APPLICANT_SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = False
# Per client IP, for each kind of public request (portal/limits.py names the kinds); "<count>/<s|m|h|d>".
LIMIT_API_RATE = os.environ.get("LIMIT_API_RATE", "300/m")
LIMIT_SEARCH_RATE = os.environ.get("LIMIT_SEARCH_RATE", "60/m")
LIMIT_FEED_RATE = os.environ.get("LIMIT_FEED_RATE", "60/m")
LIMIT_DOWNLOAD_RATE = os.environ.get("LIMIT_DOWNLOAD_RATE", "120/m")
LIMIT_FORM_POST_RATE = os.environ.get("LIMIT_FORM_POST_RATE", "30/m")
LIMIT_PAGE_RATE = os.environ.get("LIMIT_PAGE_RATE", "300/m")
LIMIT_ADMIN_RATE = os.environ.get("LIMIT_ADMIN_RATE", "600/m")
# Staff sign-in (portal/staff_security.py): 5 failures lock the account and, separately, the address for 15 minutes
# on /admin/login/ and /django-admin/login/; every staff session must pass a TOTP code or a recovery code.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_ONLY_ADMIN_SITE = True  # "admin" meaning both staff logins: StaffLockoutHandler.is_admin_request
AXES_HANDLER = "portal.staff_security.StaffLockoutHandler"
AXES_LOCKOUT_CALLABLE = "portal.staff_security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "portal.staff_security.client_ip_for_lockout"
AXES_VERBOSE = False
STAFF_SECOND_FACTOR_REQUIRED = True
OTP_TOTP_ISSUER = "金财门户"
# Content-Security-Policy (django-csp): scripts only from this site, plus the one inline script of base.html by its
# per-response nonce. The Wagtail admin runs under it too (its inline set-up scripts are replaced, see
# templates/wagtailadmin/ and static/js/admin-csp.js), and so does the Swagger UI of the APIs. Inline *styles* stay
# allowed: the admin and Swagger UI set style attributes, which cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# No avatar fetched from gravatar.com: the admin makes no request to an outside service.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor to releases.wagtail.org: the upgrade notice is for developers, and the policy refuses the connection anyway.
WAGTAIL_ENABLE_UPDATE_CHECK = False
