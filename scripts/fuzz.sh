#!/usr/bin/env bash
# The fuzzing stage: schemathesis over every OpenAPI schema the site serves — content /api/v1/, data and catalog
# /api/data/v1/, search /api/search/v1/ — and over scripts/fuzz/ckan-openapi.json (CKAN publishes no schema of its
# own), against a live gunicorn serving a small site (scripts/fuzz/small_site.py) with DEBUG off. Prints the case count and the 5xx count of each
# schema and of the whole run; fails if any request was answered with a 5xx.
#   FUZZ_PORT (default 8131), FUZZ_MAX_EXAMPLES (cases per operation and phase, default 20).
#   FUZZ_MIGRATED_DB: a migrated SQLite database to start from (a copy; `migrate` then only checks it), waited for
#   while it is being written: scripts/test.sh gives the test template it migrates meanwhile, so that the machine
#   migrates once where it migrated twice. Without it, or if it does not appear, the site is migrated from nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
case "$PY" in /*) ;; *) PY="$PWD/$PY" ;; esac
PORT=${FUZZ_PORT:-8131}
MAX_EXAMPLES=${FUZZ_MAX_EXAMPLES:-20}
ST="$(dirname "$PY")/schemathesis"
[ -x "$ST" ] || { echo "fuzz: schemathesis is missing: make install-test" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/jincai-fuzz.XXXXXX")
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then
        kill -TERM -- "-$server_pid" 2>/dev/null || kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 -- "-$server_pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL -- "-$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# A site of its own (SQLite under $work), limits out of the way so that every case reaches the code under test.
export JINCAI_VAR_DIR="$work/var" DJANGO_SETTINGS_MODULE=portal.settings.fuzz JINCAI_HOST=127.0.0.1
export CONTENT_API_RATE=1000000/m OPENDATA_API_IP_RATE=1000000/m OPENDATA_API_KEY_RATE=1000000/m \
    OPENDATA_DOWNLOAD_RATE=1000000/m LOG_LEVEL=ERROR
address="http://127.0.0.1:$PORT"
if [ -n "${FUZZ_MIGRATED_DB:-}" ]; then
    deadline=$((SECONDS + 300))
    until [ -s "$FUZZ_MIGRATED_DB" ] || [ $SECONDS -ge $deadline ]; do sleep 1; done
    if [ -s "$FUZZ_MIGRATED_DB" ]; then
        mkdir -p "$JINCAI_VAR_DIR" && cp "$FUZZ_MIGRATED_DB" "$JINCAI_VAR_DIR/db.sqlite3"
        echo "fuzz: started from the migrated $(basename "$FUZZ_MIGRATED_DB") after ${SECONDS}s"
    else
        echo "fuzz: $FUZZ_MIGRATED_DB did not appear; migrating from nothing"
    fi
fi
"$PY" manage.py migrate --noinput -v 0
echo "fuzz: migrated in ${SECONDS}s"
"$PY" scripts/fuzz/small_site.py "$address/"

echo "fuzz: site ready in ${SECONDS}s"
GUNICORN_BIND="127.0.0.1:$PORT" WEB_CONCURRENCY=2 GUNICORN_ACCESS_LOG="" \
    GUNICORN_CONTROL_SOCKET="$work/gunicorn.ctl" \
    setsid "$PY" -m gunicorn -c deploy/gunicorn.conf.py >"$work/server.log" 2>&1 &
server_pid=$!
deadline=$((SECONDS + 60))
until curl -fsS -o /dev/null "$address/api/v1/openapi.json" 2>/dev/null; do
    if ! kill -0 "$server_pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
        echo "fuzz: the server did not start" >&2; cat "$work/server.log" >&2; exit 1
    fi
    sleep 0.5
done

total_cases=0 total_errors=0
fuzz() {  # name, schema location, extra schemathesis arguments...
    local name=$1 location=$2; shift 2
    # From $work: schemathesis keeps state in ./.schemathesis, which belongs to this run, not to the checkout.
    (cd "$work" && "$ST" run "$location" "$@" --checks not_a_server_error --max-examples "$MAX_EXAMPLES" --seed 15 \
        --phases examples,coverage,fuzzing --workers 2 --request-timeout 30 --suppress-health-check all \
        --generation-database none --no-color --report har --report-har-path "$work/$name.har" \
        >"$work/$name.log" 2>&1) || true
    if [ ! -s "$work/$name.har" ]; then
        echo "fuzz: $name: schemathesis produced no report" >&2; tail -n 30 "$work/$name.log" >&2; exit 1
    fi
    read -r cases errors < <("$PY" scripts/fuzz/count.py "$work/$name.har")
    echo "fuzz: $name: $cases cases, $errors × 5xx (${SECONDS}s)"
    if [ "$cases" -eq 0 ]; then
        echo "fuzz: $name: no case was run (the schema did not load?)" >&2; tail -n 30 "$work/$name.log" >&2; exit 1
    fi
    if [ "$errors" -gt 0 ]; then tail -n 40 "$work/$name.log" >&2; fi
    total_cases=$((total_cases + cases)) total_errors=$((total_errors + errors))
}
fuzz content "$address/api/v1/openapi.json"
fuzz data "$address/api/data/v1/openapi.json"
fuzz search "$address/api/search/v1/openapi.json"
fuzz ckan "$PWD/scripts/fuzz/ckan-openapi.json" --url "$address"
echo "fuzz: total $total_cases cases, $total_errors × 5xx"
[ "$total_errors" -eq 0 ]
