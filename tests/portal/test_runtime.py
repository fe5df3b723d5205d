"""The first command on a fresh clone: runtime folders exist before anything opens them; workers share one cache."""

import logging
import os
import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from portal.cache_backends import SharedFileCache
from portal.logs import ClientErrorsWithoutTraceback
from portal.runtime import ensure_runtime_folders

ROOT = Path(__file__).resolve().parents[2]


def test_missing_runtime_folders_and_their_parents_are_made(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "fresh" / "var"
    settings.MEDIA_ROOT = tmp_path / "srv" / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "srv" / "private"
    settings.STATIC_ROOT = tmp_path / "srv" / "static"

    ensure_runtime_folders()

    for folder in ("fresh/var", "srv/media", "srv/private", "srv/static"):
        assert (tmp_path / folder).is_dir()


def test_a_folder_that_cannot_be_made_is_a_clear_error_naming_it(settings, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    settings.MEDIA_ROOT = tmp_path / "a-file" / "media"

    with pytest.raises(ImproperlyConfigured) as error:
        ensure_runtime_folders()

    assert "MEDIA_ROOT" in str(error.value)
    assert str(tmp_path / "a-file" / "media") in str(error.value)


def test_the_runtime_folders_are_made_before_migrate_on_a_fresh_checkout(tmp_path):
    # What `make run` does first on a fresh clone: nothing has made var/ yet. One small app is enough to open the
    # database file (the whole migrate, 40 s of CPU, is what the newcomer stage of scripts/test.sh runs).
    var = tmp_path / "nothing-here-yet" / "var"
    env = {"JINCAI_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "portal.settings.local", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "manage.py", "migrate", "contenttypes", "--noinput", "-v", "0"],
                            cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)

    assert result.returncode == 0, result.stderr
    assert (var / "db.sqlite3").is_file()


def _count(location: str, times: int) -> None:
    cache = SharedFileCache(location, {})
    for _ in range(times):
        cache.add("hits", 0)
        cache.incr("hits")


def test_a_rate_limit_counted_by_several_workers_at_once_loses_no_hit(tmp_path):
    workers = [multiprocessing.get_context("fork").Process(target=_count, args=(str(tmp_path), 150))
               for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert SharedFileCache(str(tmp_path), {}).get("hits") == 450


def _record(status: int, error: Exception) -> logging.LogRecord:
    try:
        raise error
    except Exception:
        record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "refused", (), sys.exc_info())
    record.status_code = status
    return record


def test_a_refused_request_is_one_log_line_and_a_server_fault_keeps_its_traceback():
    refused = _record(403, PermissionDenied("no"))
    fault = _record(500, ZeroDivisionError("bug"))

    ClientErrorsWithoutTraceback().filter(refused)
    ClientErrorsWithoutTraceback().filter(fault)

    assert refused.exc_info is None
    assert fault.exc_info is not None


def test_make_run_on_a_port_already_taken_says_so_at_once_and_starts_nothing(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "JINCAI_VAR_DIR": str(tmp_path / "var"), "PY": sys.executable,
               "HOST": "127.0.0.1", "PORT": str(port)}
        result = subprocess.run(["bash", "scripts/run.sh"], cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=60)

    assert result.returncode == 1
    assert f"端口 {port} 已被占用" in result.stderr and "make run PORT=" in result.stderr
    assert not (tmp_path / "var" / "db.sqlite3").exists()  # nothing migrated or loaded first
