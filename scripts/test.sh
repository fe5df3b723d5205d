#!/usr/bin/env bash
# The whole suite, as `make test` runs it:
#   0. the newcomer stage: a fresh clone of the committed tree served by `make run` and looked at (scripts/newcomer.sh);
#   1. every test on the embedded default (SQLite), browser journeys included;
#   2. every non-browser test again on a real PostgreSQL 15 (a private cluster from scripts/postgres.sh).
# Before them, lint-imports checks the layers (.importlinter): a broken contract fails the run.
# Both passes run in parallel workers (pytest-xdist; TEST_WORKERS, default one per core): each worker has its own
# test database (pytest-django suffixes its name), VAR_DIR and live-server port, and the Elasticsearch tests name
# their own indices; a module's tests stay on one worker (--dist loadscope), so a demo built per module is built once.
# Both passes run the search tests against a real Elasticsearch 8 too (a private node from scripts/elasticsearch.sh).
# Services the tests need are installed and started here. Under CI=true a service that cannot be had
# fails the run; elsewhere its tests are skipped with a message saying how to enable them.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
in_ci() { [ "${CI:-}" = "true" ]; }
PYTEST_PARALLEL=(-n "${TEST_WORKERS:-auto}" --dist load --durations=15)

"$PY" manage.py compile_translations -v 0  # the admin's Chinese (locale/*.po → .mo; tests/conftest.py does it too)

echo "== Import layers (lint-imports) =="
.venv/bin/lint-imports

# What a newcomer does first (fresh clone, make run, look around; check --deploy): scripts/newcomer.sh.
bash scripts/newcomer.sh

if bash scripts/browser.sh ensure; then
    export JINCAI_CHROMIUM="$(bash scripts/browser.sh path)"
elif in_ci; then
    echo "test.sh: Chromium is required under CI=true" >&2
    exit 1
else
    echo "test.sh: 浏览器测试将跳过：以 root 运行 'bash scripts/browser.sh ensure' 安装 chromium 与 fonts-noto-cjk 后即可运行。" >&2
fi
# axe-core and the Nu HTML checker for the page-quality browser test (pinned npm packages, scripts/checkers.sh).
if ! bash scripts/checkers.sh ensure && in_ci; then
    echo "test.sh: axe-core and vnu-jar are required under CI=true (npm and Java; the error is above)" >&2
    exit 1
fi

# Stopped at the end only if this run started it (a node from `make elasticsearch` keeps running).
if bash scripts/elasticsearch.sh status 2>/dev/null; then es_started_here=false; else es_started_here=true; fi
if JINCAI_TEST_ELASTICSEARCH_URL="$(bash scripts/elasticsearch.sh start)"; then
    export JINCAI_TEST_ELASTICSEARCH_URL
    if $es_started_here; then trap 'bash scripts/elasticsearch.sh stop' EXIT; fi
elif in_ci; then
    echo "test.sh: Elasticsearch is required under CI=true (JDK 17 and Maven; the error from scripts/elasticsearch.sh is above)" >&2
    exit 1
else
    unset JINCAI_TEST_ELASTICSEARCH_URL
    echo "test.sh: Elasticsearch 测试已跳过：安装 JDK 17 与 Maven（apt-get install openjdk-17-jdk-headless maven）后，make test 会自动启动 scripts/elasticsearch.sh 并运行这些测试。/ Elasticsearch tests skipped: install JDK 17 and Maven." >&2
fi

# Varnish for the tests marked `varnish` (tests/portal/test_varnish.py): each test run starts its own varnishd with
# scripts/varnish.sh in front of its live server (whose port pytest picks), so here it is only made available.
if bash scripts/varnish.sh ensure; then
    :
elif in_ci; then
    echo "test.sh: Varnish is required under CI=true (Debian packages varnish and varnish-modules; the error from scripts/varnish.sh is above)" >&2
    exit 1
else
    echo "test.sh: Varnish 测试将跳过：以 root 运行 'bash scripts/varnish.sh ensure'（安装 varnish 与 varnish-modules）后即可运行。/ Varnish tests skipped: install varnish and varnish-modules." >&2
fi

echo "== SQLite pass =="
"$PY" -m pytest "${PYTEST_PARALLEL[@]}" "$@"

bash scripts/fuzz.sh  # schemathesis over every OpenAPI schema against a live server: case count and 5xx count

echo "== PostgreSQL pass =="
if DATABASE_URL="$(bash scripts/postgres.sh start)"; then
    export DATABASE_URL
    JINCAI_TEST_DATABASE_ONLY=1 "$PY" -m pytest -m "not e2e" -q "${PYTEST_PARALLEL[@]}" "$@"
elif in_ci; then
    echo "test.sh: PostgreSQL is required under CI=true" >&2
    exit 1
else
    echo "test.sh: PostgreSQL 测试已跳过：安装 postgresql-15（或以 root 运行 'bash scripts/postgres.sh ensure'）后，make test 会自动运行这一轮。" >&2
fi
