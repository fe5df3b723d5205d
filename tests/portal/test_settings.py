import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def import_production(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SECRET_KEY", "ALLOWED_HOSTS"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="portal.settings.production")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=clean, capture_output=True, text=True
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
