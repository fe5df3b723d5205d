"""The test suite: fast hashing, in-memory email, no manifest needed for static files."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import SECRET_KEY

# The tests never write into the developer's var/ (the SQLite file, the demo logins that `make run` prints, uploads):
# each test process gets a folder of its own, removed when it ends.
if "JINCAI_VAR_DIR" not in os.environ:
    VAR_DIR = Path(tempfile.mkdtemp(prefix="jincai-test-var-"))
    atexit.register(shutil.rmtree, VAR_DIR, ignore_errors=True)
    MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
    PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
    STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# One process, so its own memory is shared enough; tests of the shared cache make their own.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jincai-tests"}}

SECRET_KEY = SECRET_KEY or "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
CONTENT_API_RATE = "100000/m"  # the API tests that check limits set their own rate
# The whole-site budgets (portal/limits.py) out of the way; tests of a limit set their own rate.
LIMIT_API_RATE = LIMIT_SEARCH_RATE = LIMIT_FEED_RATE = LIMIT_DOWNLOAD_RATE = "100000/m"
LIMIT_FORM_POST_RATE = LIMIT_PAGE_RATE = LIMIT_ADMIN_RATE = "100000/m"
# The page cache is switched on by its own tests (tests/portal/test_page_cache.py), which clear it first: the rest of
# the suite changes data between requests in ways no editor can (queryset updates, settings overrides).
PAGE_CACHE_ENABLED = False
# One locmem cache outlives each test's rolled-back rows (ids are reused): tests that need fragments turn them on.
FRAGMENT_CACHE_ENABLED = False
# The requests being answered are counted, so a browser test's end waits for them before the flush
# (tests/live_requests.py, tests/e2e/conftest.py).
MIDDLEWARE = ["tests.live_requests.CountRequests", *MIDDLEWARE]  # noqa: F405
