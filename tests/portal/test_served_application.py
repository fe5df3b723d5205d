"""The application the server calls (portal/wsgi.py): it answers pages, keeps its database connection from one
request to the next, and costs the same CPU whichever server calls it, however deep the server's stack is then.

On CPython 3.11 and 3.12 a chunk of the frame stack is unmapped as soon as the call at its bottom returns, so code
that goes up and down across a chunk boundary maps memory and faults it in on every crossing (portal/frame_stack.py).
These tests reproduce that with a small recursion called from every depth of the stack a server might call us at.
"""

from __future__ import annotations

import io
import resource
import sys
import threading

import pytest
from django.core import signals
from django.db import close_old_connections

from portal.frame_stack import AFFECTED, on_fresh_stack
from tests.portal.test_settings import import_settings


def _down(n: int) -> int:
    return _down(n - 1) + 1 if n else 0


def _page_like_work(environ, start_response):
    """Up and down a 30-call stack 300 times, as a template walk goes up and down its nodes; the page faults it took."""
    before = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
    for _ in range(300):
        _down(30)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - before]


def _called_at_depth(depth: int, app) -> int:
    if depth:
        return _called_at_depth(depth - 1, app)
    return app({}, lambda status, headers: None)[0]


def _worst_faults(app) -> int:
    """The most page faults `app` took, called from each of 200 depths of a new thread's stack (whatever stack the
    test itself runs on). One frame of _called_at_depth is about 100 bytes, a thread's first chunk 16 KiB: 200 depths
    put the work at every offset of it."""
    worst = []
    thread = threading.Thread(target=lambda: worst.append(max(_called_at_depth(depth, app) for depth in range(200))))
    thread.start()
    thread.join()
    return worst[0]


@pytest.mark.skipif(not AFFECTED, reason="this CPython keeps a frame-stack chunk spare")
def test_work_called_at_an_unlucky_depth_faults_memory_in_on_every_pass_unless_on_a_fresh_stack():
    assert _worst_faults(_page_like_work) >= 250  # the failure the wrapper exists for, reproduced
    assert _worst_faults(on_fresh_stack(_page_like_work)) <= 10


def test_the_application_on_a_fresh_stack_answers_as_the_application_does():
    seen = {}

    def app(environ, start_response):
        seen["environ"] = environ
        start_response("204 No Content", [("X-Test", "1")])
        return [b""]

    environ = {"PATH_INFO": "/x/"}
    statuses = []
    body = on_fresh_stack(app)(environ, lambda status, headers: statuses.append((status, headers)))

    assert body == [b""]
    assert seen["environ"] is environ
    assert statuses == [("204 No Content", [("X-Test", "1")])]


def _get(application, path: str) -> tuple[str, str]:
    """GET `path` from the WSGI `application`, inside the test's transaction: as Django's test client does, the
    request signals leave the test's connection open (on PostgreSQL they would close it in mid-transaction)."""
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "localhost",
        "SERVER_PORT": "80", "HTTP_HOST": "localhost", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(b""), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }
    statuses = []
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        response = application(environ, lambda status, headers: statuses.append(status))
        try:
            return statuses[0], b"".join(response).decode()
        finally:
            response.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_the_served_application_renders_the_home_page(home):
    from portal.wsgi import application

    status, body = _get(application, "/")

    assert status == "200 OK"
    assert home.title in body


def test_make_run_keeps_its_database_connection_from_one_request_to_the_next():
    # Reopening it ran the PRAGMAs, re-read the schema and started from a cold page cache: 2-3 ms of every page.
    # (The test database lives in memory, where Django never closes a connection, so this runs `make run`'s settings.)
    result = import_settings("portal.settings.local", (
        "from django.core import signals\n"
        "from django.db import connection\n"
        "def request():\n"
        "    signals.request_started.send(sender=None)\n"
        "    connection.cursor().execute('SELECT 1')\n"
        "    signals.request_finished.send(sender=None)\n"
        "request()\n"
        "first = connection.connection\n"
        "request()\n"
        "print(connection.vendor, first is not None and connection.connection is first)\n"))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["sqlite", "True"]
