import pytest

from tests.guard.local_server import LocalServer


@pytest.fixture
def local_server():
    server = LocalServer()
    yield server
    server.close()
