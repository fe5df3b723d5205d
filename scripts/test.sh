#!/usr/bin/env bash
# The whole suite, as `make test` runs it:
#   1. every test on the embedded default (SQLite), browser journeys included;
#   2. every non-browser test again on a real PostgreSQL 15 (a private cluster from scripts/postgres.sh).
# Services the tests need are installed and started here. Under CI=true a service that cannot be had
# fails the run; elsewhere its tests are skipped with a message saying how to enable them.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
in_ci() { [ "${CI:-}" = "true" ]; }

if bash scripts/browser.sh ensure; then
    export JINCAI_CHROMIUM="$(bash scripts/browser.sh path)"
elif in_ci; then
    echo "test.sh: Chromium is required under CI=true" >&2
    exit 1
else
    echo "test.sh: 浏览器测试将跳过：以 root 运行 'bash scripts/browser.sh ensure' 安装 chromium 与 fonts-noto-cjk 后即可运行。" >&2
fi

echo "== SQLite pass =="
"$PY" -m pytest "$@"

echo "== PostgreSQL pass =="
if DATABASE_URL="$(bash scripts/postgres.sh start)"; then
    export DATABASE_URL
    "$PY" -m pytest -m "not e2e" -q "$@"
elif in_ci; then
    echo "test.sh: PostgreSQL is required under CI=true" >&2
    exit 1
else
    echo "test.sh: PostgreSQL 测试已跳过：安装 postgresql-15（或以 root 运行 'bash scripts/postgres.sh ensure'）后，make test 会自动运行这一轮。" >&2
fi
