"""The requests the test server is answering, so that a browser test's end can wait for them (portal/settings/test.py
puts CountRequests first in the middleware).

A browser test ends when its last check passes, and the flush that empties the database follows at once; a request
still being answered then (a script or the session's last write of a page just opened, or a poll) held a table of
the in-memory SQLite database, and the flush failed with "database table is locked" (seen on django_session)."""

from __future__ import annotations

import threading

_answering = 0
_changed = threading.Condition()


class CountRequests:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        global _answering
        with _changed:
            _answering += 1
        try:
            return self.get_response(request)
        finally:
            with _changed:
                _answering -= 1
                _changed.notify_all()


def wait_until_answered(timeout: float = 10.0) -> bool:
    """Wait until no request is being answered (False if one still is after `timeout` seconds)."""
    with _changed:
        return _changed.wait_for(lambda: _answering == 0, timeout=timeout)
