"""Which code this process runs: a fingerprint of what shapes a page (our Python, our templates, the pinned
dependencies). The page cache and the fragment cache fold it into their keys, so after an upgrade (section 13 of
docs/production.md: a new release checked out, workers reloaded) no page or fragment the old code wrote is served
by the new: a changed template shows at once instead of when the old copy expires (an hour for a page, a day for a
fragment). Workers of the same release share their entries; the old release's entries are left to expire.

JINCAI_RELEASE, when set (a deployment that names its releases), is taken as it is instead of reading the files.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from django.conf import settings

# What a page is made of: code and templates, and the dependency lock (a new Wagtail writes other markup).
SUFFIXES = (".py", ".html")
LOCK_FILES = ("requirements/base.txt",)
# Not part of what serves a page: runtime state, the tests, tooling, and search dictionaries (data, not markup).
SKIPPED = frozenset({"var", "tests", "bench", "docs", "deploy", "scripts", "static", "node_modules", "__pycache__",
                     "migrations", "dictionary"})


def fingerprint(root: Path) -> str:
    """A digest of every source and template file under `root` (paths and contents, in a fixed order)."""
    digest = hashlib.blake2b(digest_size=8)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(name for name in dirnames if name not in SKIPPED and not name.startswith("."))
        for name in sorted(filenames):
            if name.endswith(SUFFIXES):
                path = Path(dirpath, name)
                digest.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape") + b"\0")
                digest.update(path.read_bytes())
    for name in LOCK_FILES:
        path = root / name
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.cache
def release() -> str:
    """This process's release: JINCAI_RELEASE, else the fingerprint of the checkout (read once per process,
    about 30 ms)."""
    return os.environ.get("JINCAI_RELEASE") or fingerprint(Path(settings.BASE_DIR))
