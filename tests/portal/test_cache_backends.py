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


def test_pending_dataset_views_and_other_lasting_counters_outlive_the_default_timeout(tmp_path, monkeypatch):
    """A count kept for ever (a dataset's views not yet written) is still there an hour after its last count: the
    counter used to be rewritten with the cache's default timeout (5 minutes) on every count."""
    import time

    cache = SharedFileCache(str(tmp_path), {})
    assert cache.add("views-pending", 1, timeout=None)
    for _ in range(4):
        cache.incr("views-pending")
    cache.decr("views-pending", 2)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 3600)
    assert cache.get("views-pending") == 3


def test_a_limit_counter_expires_with_its_window_and_a_missing_one_is_not_found(tmp_path, monkeypatch):
    import time

    import pytest

    cache = SharedFileCache(str(tmp_path), {})
    cache.add("limit", 1, timeout=60)
    assert cache.incr("limit") == 2
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 61)
    with pytest.raises(ValueError):
        cache.incr("limit")
    with pytest.raises(ValueError):
        cache.incr("never-added")


def _count(location: str, times: int) -> None:
    cache = SharedFileCache(location, {})
    for _ in range(times):
        cache.incr("limit")
        assert cache.get("limit") is not None  # never a half-written counter


def test_workers_counting_one_limit_at_once_count_every_request(tmp_path):
    import multiprocessing

    cache = SharedFileCache(str(tmp_path), {})
    cache.add("limit", 0, timeout=600)
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_count, args=(str(tmp_path), 150)) for _ in range(3)]
    for worker in workers:
        worker.start()
    _count(str(tmp_path), 150)
    for worker in workers:
        worker.join(timeout=60)
    assert [worker.exitcode for worker in workers] == [0, 0, 0]
    assert cache.get("limit") == 600
