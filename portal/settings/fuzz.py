"""The fuzzing stage (scripts/fuzz.sh): `make run`'s settings (DEBUG off) with static files served from the finders,
so no collectstatic is needed, and mail kept in memory."""

from .local import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
