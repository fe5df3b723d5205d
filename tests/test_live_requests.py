"""A browser test's end waits for the requests the test server is still answering (tests/live_requests.py)."""

import threading

from tests.live_requests import CountRequests, wait_until_answered


def test_the_end_of_a_test_waits_for_a_request_still_being_answered():
    answering, release = threading.Event(), threading.Event()

    def slow_view(request):
        answering.set()
        release.wait(5)
        return "answered"

    middleware = CountRequests(slow_view)
    thread = threading.Thread(target=middleware, args=(None,))
    thread.start()
    answering.wait(5)

    assert wait_until_answered(timeout=0.1) is False  # still answering
    release.set()
    assert wait_until_answered(timeout=5) is True
    thread.join()
