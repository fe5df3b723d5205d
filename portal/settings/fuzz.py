"""The fuzzing stage (scripts/fuzz.sh): `make run`'s settings (DEBUG off) with static files served from the finders,
so no collectstatic is needed, and mail kept in memory."""

from .local import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# One address sends thousands of requests: the per-address limits (tested in tests/portal/test_security.py) would
# answer most of them with 429 and leave whole schemas unfuzzed.
CONTENT_API_RATE = OPENDATA_API_IP_RATE = OPENDATA_API_KEY_RATE = OPENDATA_DOWNLOAD_RATE = OPENDATA_VIEW_BEACON_RATE = "1000000/m"
LIMIT_API_RATE = LIMIT_SEARCH_RATE = LIMIT_FEED_RATE = LIMIT_DOWNLOAD_RATE = "1000000/m"
LIMIT_FORM_POST_RATE = LIMIT_PAGE_RATE = LIMIT_ADMIN_RATE = "1000000/m"
