"""A site-wide content version: cached reads that depend on what is published carry it in their key.

Publishing, unpublishing, moving or deleting a page bumps the version, so counts and year lists
cached under the old version are never read again (they expire on their own).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")

VERSION_KEY = "portal:content-version"
# Caches local to one process (the embedded default) do not see another worker's bump: keep entries short.
TIMEOUT = 300


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = int(time.time() * 1000)
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_content_version(**_signal_kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, int(time.time() * 1000), timeout=None)


def cached_for_content(key: str, compute: Callable[[], T]) -> T:
    """`compute()`, cached until the published content changes."""
    digest = hashlib.sha1(key.encode()).hexdigest()
    full_key = f"portal:{content_version()}:{digest}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout=TIMEOUT)
    return value
