"""Each request on a fresh stretch of CPython's frame stack, so rendering a page does not map and unmap memory.

CPython 3.11 and 3.12 keep the frames of Python calls in 16 KiB chunks of memory, allocated with mmap. When a call
does not fit in the current chunk, a new chunk is mapped; when the call at the bottom of that chunk returns, the chunk
is unmapped at once (python/cpython#142183, fixed upstream in 2026 for the 3.13 and 3.14 lines by keeping one chunk
spare; no fix reaches 3.11 or 3.12). Rendering a page goes up and down a deep stack of template nodes thousands of
times; if a chunk boundary falls where it goes up and down, every crossing maps a chunk, touches its pages and unmaps
it. Where the boundary falls depends on how deep the server calls the application: under gunicorn's sync worker it
fell in the middle of the template walk, and a column page paid about 190 mmap/munmap pairs and as many page faults
per request, 20–30% of its CPU (`bench/serving.py`), while the same render in a test process paid none.

`on_fresh_stack` calls the application from a frame that reserves (but never touches) just over half of a 256 KiB
chunk, so CPython maps a chunk of that size for it, whatever room the chunk below had left. The request then runs
in the other 130 KiB of that chunk, far more than the deepest render needs: one mapping per request, in the same
place whichever server calls it. Reserved stack slots are address space only; their pages are never written, so
never faulted in.
"""

from __future__ import annotations

import platform
import sys

CHUNK_BYTES = 256 * 1024
WORD = 8
# push_chunk (Python/pystate.c) maps the smallest power of two of at least WORD × (frame words + 1000).
_CHUNK_OVERHEAD_WORDS = 1000
AFFECTED = platform.python_implementation() == "CPython" and sys.version_info[:2] in ((3, 11), (3, 12))


def _call(function, args, kwargs):
    return function(*args, **kwargs)


if AFFECTED:
    _reserved = CHUNK_BYTES // 2 // WORD - _CHUNK_OVERHEAD_WORDS + 64
    _call.__code__ = _call.__code__.replace(co_stacksize=_call.__code__.co_stacksize + _reserved)


def call_on_fresh_stack(function, /, *args, **kwargs):
    """`function(*args, **kwargs)`, made on a fresh chunk of the frame stack where CPython unmaps chunks at once."""
    return _call(function, args, kwargs)


def on_fresh_stack(app):
    """The WSGI application `app`, each of its calls made on a fresh chunk of the frame stack (a no-op where
    CPython keeps a chunk spare)."""
    if not AFFECTED:
        return app

    def application(environ, start_response):
        return _call(app, (environ, start_response), {})

    return application
