#!/usr/bin/env bash
# The whole suite, as `make test` runs it:
#   0. the newcomer stage: a fresh clone of the committed tree served by `make run` and looked at (scripts/newcomer.sh),
#      and beside it the fuzzing stage: schemathesis over every OpenAPI schema (scripts/fuzz.sh);
#   1. every test on the embedded default (SQLite), browser journeys included;
#   2. every test that reaches the database again on a real PostgreSQL 15 (a private cluster from scripts/postgres.sh).
# Before them, lint-imports checks the layers (.importlinter): a broken contract fails the run.
# Both passes run in parallel workers (pytest-xdist; TEST_WORKERS, default one per core): each worker has its own
# test database (pytest-django suffixes its name; a copy of one migrated once per run, tests/db_template.py), VAR_DIR
# and live-server port, and the Elasticsearch tests name their own indices. --dist load hands out the tests from the
# front of pytest-django's order (transactional and live-server tests last, as each worker must run them: a flushed
# database has lost what the migrations wrote), and --maxschedchunk 2 hands them out two at a time, so that the
# browser journeys at the end are shared out one by one. (With the default chunks, a quarter of what was left at once,
# they queued on one worker and the other stood idle for the last five minutes of the SQLite pass. --dist worksteal
# balances as well but breaks the order: a worker that steals from the one with the earlier tests runs them after
# its own transactional ones, on a flushed database. --dist loadgroup, to keep a module's demo build on one worker,
# groups nothing under pytest 9.2: pytest-xdist issue 1386.) Instead each demo a module asks for (load_demo,
# build_demo_site on a given day) is built once per pass, kept beside the template and copied by every worker
# (tests/demo_snapshot.py); the SQLite pass's are built ahead of it, while the stages run (tests/demo_prebuild.py).
# Both passes run the search tests against a real Elasticsearch 8 too (a private node from scripts/elasticsearch.sh).
# Services the tests need are installed and started here. Under CI=true a service that cannot be had
# fails the run; elsewhere its tests are skipped with a message saying how to enable them.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
in_ci() { [ "${CI:-}" = "true" ]; }
PYTEST_PARALLEL=(-n "${TEST_WORKERS:-auto}" --dist load --maxschedchunk 2 --durations=25)

"$PY" manage.py compile_translations -v 0  # the admin's Chinese (locale/*.po → .mo; tests/conftest.py does it too)

echo "== Import layers (lint-imports) =="
.venv/bin/lint-imports

# Two stages that share nothing run side by side, beside the installs below: what a newcomer does first (fresh
# clone, make run, look around; check --deploy: scripts/newcomer.sh) and the fuzzing stage (schemathesis against a
# small site: scripts/fuzz.sh). Each serves its own site from its own temporary folder on its own port; the newcomer's
# is mostly one process at a time (migrate, collectstatic, load_demo), so the fuzzer has the other core. Their output
# is kept apart and printed whole, one stage after the other, when both are done; either failing fails the run there.
logs=$(mktemp -d "${TMPDIR:-/tmp}/jincai-test-logs.XXXXXX")
stage_pids=()
cleanup() {  # on any exit: stages still running (an interrupted run) are stopped; a node started here is stopped
    local pid
    for pid in "${stage_pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done  # each stage's own group
    for pid in "${stage_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ "${es_started_here:-false}" = true ]; then bash scripts/elasticsearch.sh stop; fi
    rm -rf "$logs"
}
trap cleanup EXIT
echo "== Newcomer stage and fuzzing stage (side by side; their output follows when both are done) =="
# setsid: a stage and what it runs form a process group of their own (its id is $!), stopped whole by cleanup.
setsid bash scripts/newcomer.sh >"$logs/newcomer.log" 2>&1 &
newcomer_pid=$!
# schemathesis over every OpenAPI schema (case and 5xx counts), on a copy of the SQLite template migrated below.
FUZZ_MIGRATED_DB="$logs/sqlite-db/db-template.sqlite3" setsid bash scripts/fuzz.sh >"$logs/fuzz.log" 2>&1 &
fuzz_pid=$!
stage_pids=("$newcomer_pid" "$fuzz_pid")
stages_started=$SECONDS
# Meanwhile the SQLite pass's test database is migrated once (tests/db_template.py); every worker copies it.
setsid "$PY" -m tests.db_template "$logs/sqlite-db" >"$logs/sqlite-db.log" 2>&1 &
sqlite_db_pid=$!
stage_pids+=("$sqlite_db_pid")
# As soon as it is, the demos the pass's modules share are built from it (tests/demo_prebuild.py), while the stages
# still run: in the pass, the first worker to need one built it while the other waited on its lock. A build that
# fails here is built in the pass, as before; its log is printed after the pass.
setsid bash -c 'while kill -0 "$1" 2>/dev/null && [ ! -f "$2/db-template.txt" ]; do sleep 1; done
    [ -f "$2/db-template.txt" ] || exit 0  # no template: the pass will say why
    JINCAI_TEST_BUILD_AHEAD=1 JINCAI_TEST_DB_TEMPLATE_DIR="$2" exec "$3" -m pytest tests/demo_prebuild.py -q \
        -p no:cacheprovider --basetemp="$2/build-ahead"' build-ahead "$sqlite_db_pid" "$logs/sqlite-db" "$PY" \
    >"$logs/build-ahead.log" 2>&1 &
build_ahead_pid=$!
stage_pids+=("$build_ahead_pid")

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
if bash scripts/elasticsearch.sh status 2>/dev/null; then es_running_before=true; else es_running_before=false; fi
if JINCAI_TEST_ELASTICSEARCH_URL="$(bash scripts/elasticsearch.sh start)"; then
    export JINCAI_TEST_ELASTICSEARCH_URL
    if ! $es_running_before; then es_started_here=true; fi  # stopped by cleanup
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

# The PostgreSQL pass's cluster, started now so that its test database is migrated while the stages run too.
# Its address is kept apart from DATABASE_URL until the pass: the SQLite pass must not see it.
if postgres_url="$(bash scripts/postgres.sh start)"; then
    DATABASE_URL="$postgres_url" setsid "$PY" -m tests.db_template "$logs/postgres-db" >"$logs/postgres-db.log" 2>&1 &
    postgres_db_pid=$!
    stage_pids+=("$postgres_db_pid")
elif in_ci; then
    echo "test.sh: PostgreSQL is required under CI=true" >&2
    exit 1
else
    postgres_url=""
    echo "test.sh: PostgreSQL 测试已跳过：安装 postgresql-15（或以 root 运行 'bash scripts/postgres.sh ensure'）后，make test 会自动运行这一轮。" >&2
fi

newcomer_status=0 fuzz_status=0
wait "$newcomer_pid" || newcomer_status=$?
wait "$fuzz_pid" || fuzz_status=$?
cat "$logs/newcomer.log"
[ "$newcomer_status" -eq 0 ] || echo "test.sh: the newcomer stage failed (exit status $newcomer_status; its output is above)" >&2
echo "== Fuzzing stage =="
cat "$logs/fuzz.log"
[ "$fuzz_status" -eq 0 ] || echo "test.sh: the fuzzing stage failed (exit status $fuzz_status; its output is above)" >&2
echo "== Newcomer and fuzzing stages done in $((SECONDS - stages_started)) s =="
if [ "$newcomer_status" -ne 0 ] || [ "$fuzz_status" -ne 0 ]; then exit 1; fi


# A template that could not be migrated: its log, and the run stops (the passes would fail the same way).
template_ready() {  # pid, log
    if wait "$1"; then cat "$2"; return 0; fi
    cat "$2" >&2
    echo "test.sh: migrating the test database failed (its output is above)" >&2
    return 1
}
template_ready "$sqlite_db_pid" "$logs/sqlite-db.log"
echo "== SQLite pass =="
JINCAI_TEST_DB_TEMPLATE_DIR="$logs/sqlite-db" "$PY" -m pytest "${PYTEST_PARALLEL[@]}" "$@"
if ! wait "$build_ahead_pid"; then
    echo "test.sh: building the demos ahead failed (the pass built them itself); its output:" >&2
    cat "$logs/build-ahead.log" >&2
fi

echo "== PostgreSQL pass =="
if [ -n "$postgres_url" ]; then
    template_ready "$postgres_db_pid" "$logs/postgres-db.log"
    stage_pids=()
    DATABASE_URL="$postgres_url" JINCAI_TEST_DB_TEMPLATE_DIR="$logs/postgres-db" JINCAI_TEST_DATABASE_ONLY=1 \
        "$PY" -m pytest -m "not e2e" -q "${PYTEST_PARALLEL[@]}" "$@"
fi
