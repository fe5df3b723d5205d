"""A cache every worker process of one machine shares, for the embedded default (no Redis).

Django's file cache is shared between gunicorn workers (it is files in one folder), but its `add` and `incr` read
then write, so two workers counting the same rate limit at once could both write n+1. Here they run under an
exclusive lock on the cache folder, so a limit of 60 a minute is 60 across all workers, never 60 per worker.

Django's file cache also lists the whole folder on every write to decide whether to cull it; with thousands of
entries (stored pages, counters) that listing costs more than the write itself, and every counted request writes.
Here the folder is checked on one write in CULL_CHECK_EVERY per process: it may pass MAX_ENTRIES by that much.

A counter (`incr`: every rate-limited request, every dataset view) is rewritten in place under that lock, as Django's
own `touch` rewrites an entry, and keeps its expiry: Django's `incr` wrote a temporary file and renamed it over the old
one (the rename alone cost about 1 ms of system time per request here) and gave the counter the default timeout, so a
counter made to live for ever (pending dataset views, the purge counter) expired 5 minutes after its last count. A
reader that meets a counter half rewritten reads it again under the lock.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import time
import zlib
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache


CULL_CHECK_EVERY = 50


class SharedFileCache(FileBasedCache):
    _writes = 0

    def _cull(self):
        self._writes += 1
        if self._writes % CULL_CHECK_EVERY == 1:
            super()._cull()

    @contextmanager
    def _exclusive(self):
        self._createdir()
        with open(os.path.join(self._dir, ".lock"), "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._exclusive():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        with self._exclusive():
            fname = self._key_to_file(key, version)
            try:
                handle = open(fname, "r+b")
            except FileNotFoundError:
                raise ValueError(f"Key '{key}' not found") from None
            with handle:
                try:
                    expiry = pickle.load(handle)
                except EOFError:
                    expiry = 0
                if expiry is not None and expiry < time.time():
                    handle.close()
                    self._delete(fname)
                    raise ValueError(f"Key '{key}' not found")
                start = handle.tell()
                value = pickle.loads(zlib.decompress(handle.read())) + delta
                handle.seek(start)
                handle.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
                handle.truncate()
            return value

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except (EOFError, pickle.UnpicklingError, zlib.error):  # a counter met half rewritten
            with self._exclusive():
                return super().get(key, default, version)
