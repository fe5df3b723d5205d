"""The demo databases of the test run (tests/demo_snapshot.py): a demo is built once per run, every later use gets a
copy of it with its files, and a module that used one finds its database as it was afterwards."""

import uuid

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.demo_snapshot import demo_database, demo_restore

User = get_user_model()


def _build(calls: list) -> dict:
    """A tiny 'demo': one account, one uploaded file and one file in VAR_DIR."""
    calls.append(1)
    user = User.objects.create_user("snapshot-demo", password="correct-horse-battery")
    name = default_storage.save("snapshot/hello.txt", ContentFile(b"hello"))
    (settings.VAR_DIR / "snapshot-login.txt").write_text("snapshot-demo\n")
    return {"user": user.pk, "file": name}


@pytest.fixture
def key() -> str:
    return f"snapshot-test-{uuid.uuid4().hex[:8]}"


def test_a_demo_is_built_once_and_every_use_gets_it_with_its_files(django_db_setup, django_db_blocker, demo_shared,
                                                                    key, tmp_path, settings):
    calls = []
    with django_db_blocker.unblock():
        assert not User.objects.filter(username="snapshot-demo").exists()
        for _ in range(2):
            settings.VAR_DIR = tmp_path / f"var-{_}"
            settings.VAR_DIR.mkdir()
            with demo_database(shared=demo_shared, key=key, build=lambda: _build(calls)) as built:
                assert User.objects.get(pk=built["user"]).check_password("correct-horse-battery")
                assert default_storage.open(built["file"]).read() == b"hello"
                assert (settings.VAR_DIR / "snapshot-login.txt").read_text() == "snapshot-demo\n"
            # The database is what it was before the block.
            assert not User.objects.filter(username="snapshot-demo").exists()
    assert len(calls) == 1


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_gets_the_demo_in_its_database(demo_shared, key):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("demo_restore replaces the whole database: the browser journeys' SQLite only")
    calls = []
    for _ in range(2):
        built = demo_restore(shared=demo_shared, key=key, build=lambda: _build(calls))
        assert User.objects.filter(pk=built["user"], username="snapshot-demo").count() == 1
    assert len(calls) == 1
