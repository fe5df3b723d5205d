import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def import_production(**env) -> subprocess.CompletedProcess:
    return import_settings("portal.settings.production", **env)


def import_settings(module: str, code: str = "", **env) -> subprocess.CompletedProcess:
    """`django.setup()` (then `code`) in a fresh interpreter with `module`, its runtime folders in a temporary place."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL"}}
    runtime = Path(tempfile.mkdtemp(prefix="jincai-settings-test-"))
    clean.update({"JINCAI_VAR_DIR": str(runtime / "var"), "STATIC_ROOT": str(runtime / "static"),
                  "MEDIA_ROOT": str(runtime / "media"), "PRIVATE_MEDIA_ROOT": str(runtime / "private")})
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code], cwd=ROOT, env=clean, capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    "env, missing",
    [({}, "DJANGO_SECRET_KEY"), ({"DJANGO_SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS")],
)
def test_production_refuses_to_start_without_secret_and_hosts(env, missing):
    result = import_production(**env)

    assert result.returncode != 0
    assert missing in result.stderr


def test_production_starts_when_configured():
    result = import_production(DJANGO_SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example.gov.cn")

    assert result.returncode == 0, result.stderr


def test_rate_limits_fall_back_to_the_socket_address_when_the_proxy_header_is_missing(client, settings, db):
    # Production names X-Real-IP; a request that arrives without it must still be answered, not fail.
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"

    assert client.get("/api/v1/articles").status_code == 200
    assert client.get("/api/v1/articles", HTTP_X_REAL_IP="203.0.113.9").status_code == 200


def test_make_run_serves_with_debug_off_and_a_cache_every_worker_shares():
    result = import_settings("portal.settings.local", "from django.conf import settings as s\n"
                             "print(s.DEBUG, s.CACHES['default']['BACKEND'], s.STORAGES['staticfiles']['BACKEND'])")

    assert result.returncode == 0, result.stderr
    debug, cache, static = result.stdout.split()
    assert debug == "False"
    assert cache == "portal.cache_backends.SharedFileCache"
    assert static == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_make_run_keeps_its_secret_key_between_restarts(tmp_path):
    show_key = "from django.conf import settings as s\nprint(s.SECRET_KEY)"
    first = import_settings("portal.settings.local", show_key, JINCAI_VAR_DIR=str(tmp_path))
    second = import_settings("portal.settings.local", show_key, JINCAI_VAR_DIR=str(tmp_path))

    assert first.returncode == 0, first.stderr
    assert len(first.stdout.strip()) >= 50
    assert first.stdout == second.stdout


def test_make_run_on_every_address_answers_whatever_host_name_is_used():
    show_hosts = "from django.conf import settings as s\nprint(s.ALLOWED_HOSTS)"

    assert "'*'" in import_settings("portal.settings.local", show_hosts, JINCAI_HOST="0.0.0.0").stdout
    assert "'*'" not in import_settings("portal.settings.local", show_hosts, JINCAI_HOST="127.0.0.1").stdout
