#!/usr/bin/env bash
# The newcomer stage of `make test`: what someone does on a fresh clone, checked end to end.
#   1. clone the committed tree into a temporary folder (no var/, no database), reuse this checkout's virtualenv;
#   2. `make run` there on a free port, wait for the printed address, fetch what a newcomer looks at
#      (scripts/newcomer_check.py), stop it;
#   3. `manage.py check --deploy` with deploy/env.example's production settings: any warning whose id
#      docs/production.md does not explain fails the stage.
# Exit status 1 on any failure. Run alone: bash scripts/newcomer.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
PY=$repo/.venv/bin/python
started=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/jincai-newcomer.XXXXXX")
server_pid=""
# Stops the server's whole session (make, run.sh, gunicorn and its workers), then waits a bounded time:
# a `wait` on a process that never ends would hang CI.
stop_server() {
    [ -n "$server_pid" ] || return 0
    kill -TERM -- "-$server_pid" 2>/dev/null || kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do
        kill -0 -- "-$server_pid" 2>/dev/null || break
        sleep 0.5
    done
    kill -KILL -- "-$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}
cleanup() {
    stop_server
    rm -rf "$work"
}
trap cleanup EXIT

echo "== Newcomer stage: fresh clone, make run =="
git clone --quiet --no-local "$repo" "$work/portal"
ln -s "$repo/.venv" "$work/portal/.venv"
port=$("$PY" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
log=$work/make-run.log
# The check fetches every page of a sitemap from one address: the per-address page budget (300 a minute) would
# rightly stop such a crawler, so it is raised for this server only.
# setsid is the background job itself, so its session and process group id is $! and stopping that group stops
# make, gunicorn and its workers. No JINCAI_VAR_DIR: var/ is the clone's own.
setsid bash -c 'cd "$1" && shift && exec "$@"' newcomer "$work/portal" \
    env -u JINCAI_VAR_DIR -u DATABASE_URL -u ELASTICSEARCH_URL -u DJANGO_SETTINGS_MODULE \
    LIMIT_PAGE_RATE=100000/m LIMIT_FEED_RATE=100000/m \
    make run HOST=127.0.0.1 PORT="$port" >"$log" 2>&1 &
server_pid=$!
address="http://127.0.0.1:$port/"
deadline=$((SECONDS + 600))  # a hang guard: under `make test` the fuzzing stage shares the machine
until grep -q "金财门户已启动：.*$address" "$log" && curl -fsS -o /dev/null "$address" 2>/dev/null; do
    if ! kill -0 "$server_pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
        echo "newcomer: make run did not serve $address (log below)" >&2
        tail -n 40 "$log" >&2
        exit 1
    fi
    sleep 2
done
echo "  make run served $address after $((SECONDS - started)) s"
"$PY" scripts/newcomer_check.py "$address" || { echo "newcomer: make run log:" >&2; tail -n 40 "$log" >&2; exit 1; }
stop_server
if grep -q "Traceback" "$log"; then
    echo "newcomer: the server logged a traceback:" >&2
    grep -n -A 20 "Traceback" "$log" | head -n 60 >&2
    exit 1
fi

echo "== Newcomer stage: manage.py check --deploy with deploy/env.example =="
report=$(
    set -a
    # shellcheck disable=SC1091
    . deploy/env.example
    set +a
    DJANGO_SECRET_KEY=$("$PY" -c "import secrets; print(secrets.token_urlsafe(64))")
    # The example's folders are the production machine's; here they go in the temporary folder.
    STATIC_ROOT=$work/deploy/static MEDIA_ROOT=$work/deploy/media PRIVATE_MEDIA_ROOT=$work/deploy/private \
        JINCAI_VAR_DIR=$work/deploy/var DJANGO_SECRET_KEY=$DJANGO_SECRET_KEY \
        "$PY" manage.py check --deploy 2>&1
) || { echo "$report" >&2; echo "newcomer: check --deploy found errors" >&2; exit 1; }
unexplained=""
for id in $(grep -oE '\(([a-z_]+\.[WE][0-9]+)\)' <<<"$report" | tr -d '()' | sort -u); do
    grep -qF "$id" docs/production.md || unexplained="$unexplained $id"
done
if [ -n "$unexplained" ]; then
    echo "$report" >&2
    echo "newcomer: check --deploy warnings that docs/production.md does not explain:$unexplained" >&2
    exit 1
fi
echo "  check --deploy: $(tail -n 1 <<<"$report")"
echo "== Newcomer stage passed in $((SECONDS - started)) s =="
