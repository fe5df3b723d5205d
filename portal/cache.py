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

from portal.release import release

T = TypeVar("T")

# Caches local to one process (the embedded default) do not see another worker's bump: keep entries short.
TIMEOUT = 300


def generation(name: str) -> int:
    """The current generation of a family of cached values (published content, the Sites, the private paths): part
    of their keys, so moving it on (`next_generation`) forgets them all at once, in every worker."""
    key = f"portal:{name}-version"
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns(), timeout=None)
        version = cache.get(key)
    return version


def next_generation(name: str) -> None:
    cache.set(f"portal:{name}-version", time.time_ns(), timeout=None)


def content_version() -> int:
    return generation("content")


def bump_content_version(**_signal_kwargs) -> None:
    next_generation("content")


def cached_for_content(key: str, compute: Callable[[], T]) -> T:
    """`compute()`, cached until the published content changes (or the release: a new one may want other fields
    of a list's rows; portal/release.py)."""
    digest = hashlib.sha1(f"{key}|{release()}".encode()).hexdigest()
    full_key = f"portal:{content_version()}:{digest}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout=TIMEOUT)
    return value
