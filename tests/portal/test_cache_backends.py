"""The shared file cache checks its size on one write in CULL_CHECK_EVERY, and stays bounded all the same."""

import os

from portal.cache_backends import CULL_CHECK_EVERY, SharedFileCache


def test_the_shared_file_cache_stays_near_its_entry_limit(tmp_path):
    cache = SharedFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 100}})
    for number in range(2000):
        cache.set(f"key-{number}", number)
    entries = [name for name in os.listdir(tmp_path) if name.endswith(".djcache")]
    assert len(entries) <= 100 + CULL_CHECK_EVERY
    assert cache.get("key-1999") == 1999
